// Every endpoint the VBR simulator serves, for 1.2-rev1 and 1.3-rev2, validated against Veeam's OpenAPI file of that
// revision; every request the test sends is checked with checkRequest; the validator and the checker must catch wrong ones.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type SimulatorExt } from '../simulator';
import { request, vbrSession, type Resp } from '../simulator/http-client';
import { loadSpec, responseSchema, specsDir, validate, type OpenApi, type Schema, type ValidateOptions } from '../simulator/openapi-validate';
import { checkRequest } from '../simulator/vbr/contract';

const SPECS = specsDir(__dirname, 'vbr_rest_1.3-rev2.json');
const SKIP = 'Veeam VBR OpenAPI specs not found (set VEEAM_SPECS_DIR or provide ../shared/specs)';
const REVS = { '1.2-rev1': 'vbr_rest_1.2-rev1.json', '1.3-rev2': 'vbr_rest_1.3-rev2.json' } as const;
type R = keyof typeof REVS;
// Known real-world quirks the simulator serves on purpose (docs/vbr-api.md §4, §6, §9): nulls in properties the schema
// does not mark nullable, and the 1.2 start response's sessionType "Job". Each use is counted and printed.
const ALLOW_NULL: Record<R, string[]> = {
  '1.2-rev1': ['JobStateModel.lastRun', 'JobStateModel.nextRun', 'SessionModel.endTime', 'SessionModel.result', 'SessionModel.resourceId',
    'SessionModel.resourceReference', 'SessionModel.parentSessionId', 'PaginationResult.skip', 'PaginationResult.limit'],
  '1.3-rev2': ['JobStateModel.lastRun', 'JobStateModel.nextRun'],
};
const ALLOW_ENUM: Record<R, string[]> = { '1.2-rev1': ['SessionModel.sessionType=Job'], '1.3-rev2': [] };
const ERROR: Schema = { $ref: '#/components/schemas/Error' };
const READONLY = { username: 'LAB\\operator', password: 'Operator1!' };
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let nulls: SimulatorExt;
const specs = new Map<R, OpenApi>();
const spec = (r: R): OpenApi => { if (!specs.has(r)) specs.set(r, loadSpec(SPECS as string, REVS[r])); return specs.get(r) as OpenApi; };
before(async () => {
  if (!SPECS) return;
  nulls = await startSimulator({ seed: 5, vbr: { nulls: true, logRecords: 50 } });
});
after(async () => { await nulls?.close(); });

interface Case { name: string; tpl: string; method: string; resp: Resp }

/** Runs the cases of one revision; returns the errors, the allow-list uses and the statuses the spec does not declare. */
function checkAll(r: R, cases: Case[], o: ValidateOptions = {}): { errors: string[]; used: Map<string, number>; undeclared: string[] } {
  const used = o.used ?? new Map<string, number>();
  const errors: string[] = [];
  const undeclared: string[] = [];
  for (const c of cases) {
    let schema: Schema | undefined;
    try { schema = responseSchema(spec(r), c.tpl, c.method, c.resp.status); } catch (e) {
      if (c.resp.status < 400) { errors.push(`${c.name}: ${String(e)}`); continue; }
      undeclared.push(`${c.method.toUpperCase()} ${c.tpl} ${c.resp.status}`);
      schema = ERROR;
    }
    if (!schema) { if (c.resp.text !== '') errors.push(`${c.name}: spec declares no body but got ${c.resp.text.slice(0, 80)}`); continue; }
    errors.push(...validate(spec(r), schema, c.resp.json(), { allowNull: ALLOW_NULL[r], allowEnum: ALLOW_ENUM[r], ...o, used }).map((e) => `${c.name}: ${e}`));
  }
  return { errors, used, undeclared };
}

async function runRevision(r: R, target: SimulatorExt, cases: Case[]): Promise<void> {
  const ca = target.certificate.pem;
  const url = target.vbrUrl;
  const s = await vbrSession(url, ca, r);
  const fx = target.vbrData.fixtures();
  const v13 = r.startsWith('1.3');
  const add = async (name: string, tpl: string, method: string, resp: Resp | Promise<Resp>, status: number | number[]): Promise<Resp> => {
    const res = await resp;
    const shown = /access_token|refresh_token/.test(res.text) ? '(a token response, not shown)' : res.text.slice(0, 300);
    assert.ok((Array.isArray(status) ? status : [status]).includes(res.status), `${r} ${name}: HTTP ${res.status} ${shown}`);
    cases.push({ name, tpl, method, resp: res });
    return res;
  };
  const raw = (p: string, o: Parameters<typeof request>[1] = {}): Promise<Resp> => request(url + p, { ca, ...o });
  /** A request that is wrong on purpose: marked so the request check below leaves it out. */
  const wrongOnPurpose = (p: string, headers: Record<string, string> = {}): Promise<Resp> => raw(p, { headers: { ...headers, 'x-test-wrong': '1' } });
  const data = <T>(x: Resp): T[] => x.json<{ data: T[] }>().data;
  await add('token', '/api/oauth2/token', 'post', s.tokenResponse, 200);
  await add('token: wrong password', '/api/oauth2/token', 'post', raw('/api/oauth2/token', { method: 'POST', headers: { ...FORM, 'x-api-version': r },
    body: 'grant_type=password&username=LAB%5Cadministrator&password=wrong' }), 401);
  const refresh = (rt: string): Promise<Resp> => raw('/api/oauth2/token', { method: 'POST', headers: { ...FORM, 'x-api-version': r }, body: `grant_type=refresh_token&refresh_token=${rt}` });
  await add('token: refresh', '/api/oauth2/token', 'post', refresh(s.refreshToken), 200);
  await add('token: refresh reused', '/api/oauth2/token', 'post', refresh(s.refreshToken), 400);
  await add('server time', '/api/v1/serverTime', 'get', raw('/api/v1/serverTime', { headers: { 'x-api-version': r } }), 200);
  await add('server certificate', '/api/v1/serverCertificate', 'get', raw('/api/v1/serverCertificate', { headers: { 'x-api-version': r } }), 200);
  const jobs = data<{ id: string; type: string }>(await add('jobs', '/api/v1/jobs', 'get', s.get('/api/v1/jobs'), 200));
  assert.equal(jobs.length, v13 ? 11 : 8);
  await add('jobs filtered', '/api/v1/jobs', 'get', s.get(`/api/v1/jobs?typeFilter=${v13 ? 'VSphereBackup' : 'Backup'}&nameFilter=*backup*&orderColumn=Name&orderAsc=false&skip=1&limit=2`), 200);
  await add('job states', '/api/v1/jobs/states', 'get', s.get('/api/v1/jobs/states'), 200);
  await add('job states filtered', '/api/v1/jobs/states', 'get', s.get(`/api/v1/jobs/states?statusFilter=${v13 ? 'Running' : 'running'}&lastResultFilter=None&orderColumn=LastRun`), 200);
  for (const j of jobs) await add(`job ${j.type}`, '/api/v1/jobs/{id}', 'get', s.get(`/api/v1/jobs/${j.id}`), 200);
  await add('job: unknown id', '/api/v1/jobs/{id}', 'get', s.get('/api/v1/jobs/00000000-0000-4000-8000-000000000000'), 404);
  if (!v13) await add('job: 1.3-only kind on 1.2', '/api/v1/jobs/{id}', 'get', s.get(`/api/v1/jobs/${fx.v13OnlyJobIds[0]}`), 404);
  // Actions.
  const started = (await add('start', '/api/v1/jobs/{id}/start', 'post', s.post(`/api/v1/jobs/${fx.successJobId}/start`, { performActiveFull: false }), 201)).json<{ id: string }>();
  await add('session (Starting)', '/api/v1/sessions/{id}', 'get', s.get(`/api/v1/sessions/${started.id}`), 200);
  await add('stop job', '/api/v1/jobs/{id}/stop', 'post', s.post(`/api/v1/jobs/${fx.successJobId}/stop`, { gracefulStop: true }), 201);
  await add('stop job not running', '/api/v1/jobs/{id}/stop', 'post', s.post(`/api/v1/jobs/${fx.warningJobId}/stop`), 400);
  const second = (await add('start 2', '/api/v1/jobs/{id}/start', 'post', s.post(`/api/v1/jobs/${fx.warningJobId}/start`), 201)).json<{ id: string }>();
  await add('stop session', '/api/v1/sessions/{id}/stop', 'post', s.post(`/api/v1/sessions/${second.id}/stop`), 200);
  await add('start disabled', '/api/v1/jobs/{id}/start', 'post', s.post(`/api/v1/jobs/${fx.disabledJobId}/start`), 400);
  await add('start empty job', '/api/v1/jobs/{id}/start', 'post', s.post(`/api/v1/jobs/${fx.emptyJobId}/start`), v13 ? 204 : 201);
  if (v13) {
    await add('retry', '/api/v1/jobs/{id}/retry', 'post', s.post(`/api/v1/jobs/${fx.failedJobId}/retry`), 201);
    const okJob = (await s.get('/api/v1/jobs/states?lastResultFilter=Success&statusFilter=Stopped&limit=1')).json<{ data: { id: string }[] }>().data[0];
    await add('retry refused', '/api/v1/jobs/{id}/retry', 'post', s.post(`/api/v1/jobs/${okJob.id}/retry`), 400);
  }
  await add('enable', '/api/v1/jobs/{id}/enable', 'post', s.post(`/api/v1/jobs/${fx.disabledJobId}/enable`), v13 ? 204 : 200);
  await add('disable', '/api/v1/jobs/{id}/disable', 'post', s.post(`/api/v1/jobs/${fx.disabledJobId}/disable`), v13 ? 204 : 200);
  const ro = await vbrSession(url, ca, r, READONLY.username, READONLY.password);
  await add('start: read-only user', '/api/v1/jobs/{id}/start', 'post', ro.post(`/api/v1/jobs/${fx.successJobId}/start`), 403);
  await sleep(700);
  // Sessions, logs, task sessions.
  const sessions = data<{ id: string; name: string; state: string; sessionType: string; result: { result: string } }>(
    await add('sessions', '/api/v1/sessions', 'get', s.get('/api/v1/sessions?limit=400'), 200));
  const pick = new Map<string, string>();
  for (const x of sessions) pick.set(`${x.sessionType}/${x.state}/${x.result.result}/${/Retry/.test(x.name)}`, x.id);
  assert.ok(pick.size >= 8, [...pick.keys()].join(' '));
  for (const [k, id] of pick) await add(`session ${k}`, '/api/v1/sessions/{id}', 'get', s.get(`/api/v1/sessions/${id}`), 200);
  await add('sessions filtered', '/api/v1/sessions', 'get', s.get(`/api/v1/sessions?${v13 ? 'resultFilter=Failed&resultFilter=Warning' : 'resultFilter=Failed'}&createdAfterFilter=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&orderColumn=EndTime&orderAsc=true&skip=0&limit=20`), 200);
  const running = sessions.find((x) => x.state === 'Working') as { id: string };
  const failed = sessions.find((x) => x.result.result === 'Failed' && x.sessionType === 'BackupJob') as { id: string };
  for (const [n, id] of [['running', running.id], ['failed', failed.id], ['big', fx.bigLogSessionId]]) {
    await add(`logs ${n}`, '/api/v1/sessions/{id}/logs', 'get', s.get(`/api/v1/sessions/${id}/logs`), 200);
    const tasks = await add(`task sessions ${n}`, '/api/v1/sessions/{id}/taskSessions', 'get', s.get(`/api/v1/sessions/${id}/taskSessions`), 200);
    for (const t of data<{ id: string }>(tasks).slice(0, 2)) await add(`task session ${n}`, '/api/v1/taskSessions/{id}', 'get', s.get(`/api/v1/taskSessions/${t.id}`), 200);
  }
  if (v13) await add('logs filtered', '/api/v1/sessions/{id}/logs', 'get', s.get(`/api/v1/sessions/${failed.id}/logs?statusFilter=Failed`), 200);
  await add('task sessions', '/api/v1/taskSessions', 'get', s.get('/api/v1/taskSessions?limit=30&resultFilter=Failed'), 200);
  // Infrastructure and server.
  const infra = [['repositories', 'backupInfrastructure/repositories'], ['managed servers', 'backupInfrastructure/managedServers'], ['proxies', 'backupInfrastructure/proxies']];
  for (const [n, p] of infra) {
    const list = data<{ id: string }>(await add(n, `/api/v1/${p}`, 'get', s.get(`/api/v1/${p}`), 200));
    for (const x of list) await add(`${n} item`, `/api/v1/${p}/{id}`, 'get', s.get(`/api/v1/${p}/${x.id}`), 200);
  }
  await add('repository states', '/api/v1/backupInfrastructure/repositories/states', 'get', s.get('/api/v1/backupInfrastructure/repositories/states?orderColumn=FreeGB'), 200);
  if (v13) await add('proxy states', '/api/v1/backupInfrastructure/proxies/states', 'get', s.get('/api/v1/backupInfrastructure/proxies/states?isOnlineFilter=false'), 200);
  for (const [n, p] of [['license', 'license'], ['server info', 'serverInfo'], ['malware events', 'malwareDetection/events'],
    ['best practices', 'securityAnalyzer/bestPractices'], ['analyzer last run', 'securityAnalyzer/lastRun']]) {
    await add(n, `/api/v1/${p}`, 'get', s.get(`/api/v1/${p}`), 200);
  }
  // Errors.
  await add('bad query', '/api/v1/jobs', 'get', wrongOnPurpose('/api/v1/jobs?limit=-1', s.headers), 400);
  await add('bad enum', '/api/v1/jobs/states', 'get', wrongOnPurpose('/api/v1/jobs/states?statusFilter=Sleeping', s.headers), 400);
  await add('bad id', '/api/v1/jobs/{id}', 'get', wrongOnPurpose('/api/v1/jobs/not-a-guid', s.headers), 400);
  await add('no version header', '/api/v1/serverTime', 'get', wrongOnPurpose('/api/v1/serverTime'), 400);
  await add('unauthorized', '/api/v1/jobs', 'get', wrongOnPurpose('/api/v1/jobs', { 'x-api-version': r }), 401);
  await add('logout', '/api/oauth2/logout', 'post', request(`${url}/api/oauth2/logout`, { method: 'POST', ca, headers: s.headers }), 200);
}

for (const r of Object.keys(REVS) as R[]) {
  test(`contract ${r}: every VBR response matches ${REVS[r]}, every request the test sends matches an operation`, async (t) => {
    if (!SPECS) { t.skip(SKIP); return; }
    // A fresh server per revision: the actions of one run must not change what the other sees (e.g. the empty job's lastRun).
    const sim = await startSimulator({ seed: 5, vbr: { jobDurationMs: 600, readOnlyUser: READONLY, logRecords: 300 } });
    t.after(() => sim.close());
    const cases: Case[] = [];
    await runRevision(r, sim, cases);
    const { errors, used, undeclared } = checkAll(r, cases);
    t.diagnostic(`${cases.length} responses; allowed quirks: ${JSON.stringify(Object.fromEntries(used))}`);
    t.diagnostic(`statuses the spec does not declare (validated as Error): ${[...new Set(undeclared)].join(', ')}`);
    assert.deepEqual(errors, []);
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    assert.ok((used.get('JobStateModel.lastRun') ?? 0) >= 1 && (used.get('JobStateModel.nextRun') ?? 0) >= 1, 'never-run / unscheduled nulls were served');
    if (r === '1.2-rev1') assert.equal(used.get('SessionModel.sessionType=Job'), 3, 'the three 1.2 start responses say "Job"');
    const reqErrors: string[] = [];
    const sent = sim.stats.log.filter((x) => x.server === 'vbr' && !x.headers['x-test-wrong']);
    t.diagnostic(`${sent.length} requests checked with checkRequest`);
    assert.ok(sent.length >= 60);
    for (const rec of sent) {
      const c = checkRequest(spec(r), rec.method, rec.path, rec.headers, rec.body);
      if (!c.ok) reqErrors.push(`${rec.method} ${rec.path}: ${c.errors.join('; ')}`);
    }
    assert.deepEqual(reqErrors, []);
  });
}

test('contract, nulls mode: every null the simulator sends is on a property the schema does not require', async (t) => {
  if (!SPECS) { t.skip(SKIP); return; }
  for (const r of Object.keys(REVS) as R[]) {
    const s = await vbrSession(nulls.vbrUrl, nulls.certificate.pem, r);
    const fx = nulls.vbrData.fixtures();
    const cases: Case[] = [];
    const running = (await s.get('/api/v1/sessions?stateFilter=Working&limit=1')).json<{ data: { id: string }[] }>().data[0].id;
    for (const p of ['jobs', 'jobs/states', 'sessions?limit=300', `sessions/${fx.bigLogSessionId}/logs`, `sessions/${running}/logs`, `sessions/${running}/taskSessions`,
      'backupInfrastructure/repositories/states', 'backupInfrastructure/managedServers', 'license', 'serverInfo', 'malwareDetection/events', 'taskSessions?limit=50']) {
      const tpl = `/api/v1/${p.split('?')[0].replace(/[0-9a-f-]{36}/, '{id}')}`;
      const resp = await s.get(`/api/v1/${p}`);
      assert.equal(resp.status, 200, `${r} ${p}: ${resp.text.slice(0, 200)}`);
      cases.push({ name: p, tpl, method: 'get', resp });
    }
    const used = new Map<string, number>();
    const { errors } = checkAll(r, cases, { nullableOptional: true, used });
    const optional = [...used].filter(([k]) => k.startsWith('optional:'));
    t.diagnostic(`${r}: ${optional.reduce((a, [, n]) => a + n, 0)} nulls on ${optional.length} optional properties`);
    assert.deepEqual(errors, []);
    for (const want of ['SessionModel.endTime', 'SessionModel.progressPercent', 'JobStateModel.repositoryId', 'SessionLogRecordModel.updateTime', 'PaginationResult.limit']) {
      assert.ok(used.has(`optional:${want}`) || used.has(want), `${r}: no null for ${want}`);
    }
  }
});

test('the validator dispatches polymorphic bases and rejects wrong objects', (t) => {
  if (!SPECS) { t.skip(SKIP); return; }
  const v12 = spec('1.2-rev1');
  const v13 = spec('1.3-rev2');
  const job = { id: '6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2', name: 'j', type: 'VSphereBackup', isDisabled: false, description: '', isHighPriority: false,
    storage: { backupRepositoryId: '6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2', backupProxies: { autoSelectEnabled: true }, retentionPolicy: { type: 'Days', quantity: 7 } },
    guestProcessing: { appAwareProcessing: { isEnabled: false }, guestFSIndexing: { isEnabled: false } }, schedule: { runAutomatically: false } };
  const jobModel = responseSchema(v13, '/api/v1/jobs/{id}', 'get', 200) as Schema;
  assert.deepEqual(validate(v13, jobModel, job), [], 'a correct 1.3 vSphere backup job');
  const wrong = (s: OpenApi, schema: Schema, value: unknown, re: RegExp): void => {
    const errors = validate(s, schema, value);
    assert.ok(errors.some((e) => re.test(e)), `expected ${re}: ${errors.join('; ')}`);
  };
  wrong(v13, jobModel, { ...job, type: 'Backup' }, /\$\.type: "Backup" is not a mapped JobModel value/);
  wrong(v13, jobModel, Object.fromEntries(Object.entries(job).filter(([k]) => k !== 'storage')), /missing required property storage/);
  wrong(v13, jobModel, { ...job, virtualMachines: { includes: [{ platform: 'VMware', hostName: 'h', name: 'n', type: 'VirtualMachine' }] } }, /platform: "VMware" is not a mapped/);
  wrong(v13, jobModel, { ...job, colour: 'red' }, /property colour is not in the schema BackupJobModel/);
  wrong(v13, jobModel, { name: 'x' }, /missing discriminator type/);
  const states12 = responseSchema(v12, '/api/v1/jobs/states', 'get', 200) as Schema;
  wrong(v12, states12, { data: [{ id: 'x', name: 'n', type: 'Backup', description: '', status: 'Running', lastResult: 'None', workload: 'vm', objectsCount: 1 }], pagination: { total: 1, count: 1 } },
    /status: "Running" not in enum/);
  wrong(v12, states12, { data: [{ id: 'x', name: 'n', type: 'Backup', description: '', status: 'running', lastResult: 'None', workload: 'vm', objectsCount: 1 }], pagination: { total: 1, count: 1 } },
    /\.id: not a uuid/);
  const task = responseSchema(v13, '/api/v1/taskSessions/{id}', 'get', 200) as Schema;
  wrong(v13, task, { id: job.id, type: 'Backup', sessionId: job.id, sessionType: 'BackupJob', creationTime: '2024-11-11T12:54:32.649649', name: 'vm', state: 'Running', usn: 1 }, /state: "Running" not in enum/);
  const repoStates = responseSchema(v13, '/api/v1/backupInfrastructure/repositories/states', 'get', 200) as Schema;
  wrong(v13, repoStates, { data: [{ id: job.id, name: 'r', type: 'WinLocal', description: '', capacityGB: 1, freeGB: 1, usedSpaceGB: 0, isOnline: true }], pagination: { total: 1, count: 1 } },
    /missing required property isOutOfDate/);
  const session = responseSchema(v12, '/api/v1/sessions/{id}', 'get', 200) as Schema;
  wrong(v12, session, { id: job.id, name: 'n', jobId: job.id, sessionType: 'Job', creationTime: '2024-01-01T00:00:00Z', state: 'Stopped', usn: 0, endTime: null }, /sessionType: "Job" not in enum/);
  assert.ok(validate(v12, session, { id: job.id, name: 'n', jobId: job.id, sessionType: 'BackupJob', creationTime: '2024-01-01T00:00:00Z', state: 'Stopped', usn: 0, endTime: null })
    .some((e) => /endTime: null is not allowed/.test(e)), 'strict without allowNull');
});

test('checkRequest accepts correct requests and names what is wrong in wrong ones', (t) => {
  if (!SPECS) { t.skip(SKIP); return; }
  const v12 = spec('1.2-rev1');
  const v13 = spec('1.3-rev2');
  const h = (rev: string): Record<string, string> => ({ 'x-api-version': rev, Authorization: 'Bearer secret-token-value' });
  const H13 = h('1.3-rev2');
  const H12 = h('1.2-rev1');
  assert.deepEqual(checkRequest(v13, 'GET', '/api/v1/sessions?resultFilter=Failed&resultFilter=Warning&limit=50&orderColumn=CreationTime&orderAsc=false', H13),
    { ok: true, operation: 'GET /api/v1/sessions', errors: [] });
  assert.equal(checkRequest(v13, 'GET', 'https://vbr01:9419/api/v1/jobs/states?statusFilter=Running', H13).operation, 'GET /api/v1/jobs/states', 'literal path before {id}');
  assert.equal(checkRequest(v13, 'get', '/api/v1/jobs/6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2', H13).ok, true);
  const form = { 'x-api-version': '1.3-rev2', 'Content-Type': 'application/x-www-form-urlencoded' };
  assert.equal(checkRequest(v13, 'POST', '/api/oauth2/token', form, 'grant_type=password&username=u&password=p').ok, true, 'lowercase grant_type binds (case-insensitive enums)');
  assert.equal(checkRequest(v13, 'POST', '/api/oauth2/token', form, 'grant_type=password&username=u&password=p', { caseInsensitiveEnums: false }).ok, false);
  assert.equal(checkRequest(v13, 'POST', '/api/v1/jobs/6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2/start', { ...H13, 'Content-Type': 'application/json' }, '{"performActiveFull":true}').ok, true);
  const wrong = (s: OpenApi, method: string, p: string, headers: Record<string, string>, re: RegExp, body?: string): void => {
    const c = checkRequest(s, method, p, headers, body);
    assert.equal(c.ok, false, `${method} ${p} should be wrong`);
    assert.ok(c.errors.some((e) => re.test(e)), `expected ${re}: ${c.errors.join('; ')}`);
    assert.ok(!c.errors.join(' ').includes('secret-token-value'), 'errors never echo header values');
  };
  wrong(v12, 'GET', '/api/v1/sessions?resultFilter=Failed&resultFilter=Warning', H12, /resultFilter is repeated but takes one value/);
  wrong(v13, 'GET', '/api/v1/sessions?resultFilter=Failed,Warning', H13, /resultFilter\[0\]: "Failed,Warning" not in enum/);
  wrong(v13, 'GET', '/api/v1/sessions', { Authorization: 'Bearer secret-token-value' }, /missing required header x-api-version/);
  wrong(v13, 'GET', '/api/v1/sessions', h('v1.3-rev2'), /x-api-version is not in the <version>-<revision> format/);
  wrong(v13, 'GET', '/api/v1/sessions?resultfilter=Failed', H13, /query resultfilter is not declared .*did you mean resultFilter/);
  wrong(v13, 'GET', '/api/v1/sessions?resultFilter=Succeeded', H13, /not in enum/);
  wrong(v13, 'GET', '/api/v1/sessions?limit=ten', H13, /query limit: expected integer/);
  wrong(v13, 'GET', '/api/v1/sessions?orderAsc=yes', H13, /orderAsc: expected true or false/);
  wrong(v13, 'GET', '/api/v1/sessions?createdAfterFilter=yesterday', H13, /not a date-time/);
  wrong(v12, 'GET', '/api/v1/jobs/states?statusFilter=Sleeping', H12, /statusFilter: "Sleeping" not in enum/);
  wrong(v13, 'GET', '/api/v1/jobs/42', H13, /path id: not a uuid: 42/);
  wrong(v13, 'GET', '/api/v1/jobz', H13, /no path of the spec matches/);
  wrong(v13, 'DELETE', '/api/v1/sessions', H13, /DELETE is not an operation of \/api\/v1\/sessions/);
  wrong(v13, 'GET', '/api/v1/jobs', { 'x-api-version': '1.3-rev2' }, /needs Authorization: Bearer/);
  wrong(v12, 'POST', '/api/v1/jobs/6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2/retry', H12, /no path of the spec matches/);
  wrong(v13, 'POST', '/api/oauth2/token', { 'x-api-version': '1.3-rev2', 'Content-Type': 'application/json' }, /Content-Type application\/json is not accepted/, '{"grant_type":"password"}');
  wrong(v13, 'POST', '/api/oauth2/token', form, /missing required property grant_type/, 'username=u&password=p');
  wrong(v13, 'POST', '/api/oauth2/token', form, /needs a request body/);
  wrong(v13, 'POST', '/api/v1/jobs/6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2/start', { ...H13, 'Content-Type': 'application/json' }, /performActiveFull: expected boolean/, '{"performActiveFull":"yes"}');
  wrong(v13, 'POST', '/api/v1/jobs/6b4c3f43-2ab9-4a04-b07e-7dd23dd0f7a2/enable', { ...H13, 'Content-Type': 'application/json' }, /takes no request body/, '{}');
});
