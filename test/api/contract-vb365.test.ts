// Every kind of response the VB365 simulator serves, validated against Veeam's own OpenAPI file for that version.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type SimulatorExt } from '../simulator';
import { request, vb365Session, type Resp } from '../simulator/http-client';
import { loadSpec, responseSchema, specsDir, validate, type OpenApi } from '../simulator/openapi-validate';

const SPECS = specsDir(__dirname);
// The one place where we knowingly send null for a property the spec does not mark nullable: Veeam's examples show
// "error": null on a sync session that has no error.
const ALLOW_NULL = ['RESTRepositorySynchronizeSession.error'];

let sim: SimulatorExt;
before(async () => {
  if (SPECS) sim = await startSimulator({ seed: 3, vb365: { sessionsPerJob: 8, syncDurationMs: 300, jobDurationMs: 300 } });
});
after(async () => { await sim?.close(); });

interface Case { name: string; path: string; method: string; resp: Resp }

function check(spec: OpenApi, c: Case): string[] {
  const schema = responseSchema(spec, c.path, c.method, c.resp.status);
  if (!schema) return c.resp.text === '' ? [] : [`spec declares no body but got ${c.resp.text.slice(0, 80)}`];
  return validate(spec, schema, c.resp.json(), { allowNull: ALLOW_NULL }).map((e) => `${c.name}: ${e}`);
}

for (const v of ['v6', 'v7', 'v8'] as const) {
  test(`contract ${v}: every response kind matches vb365_rest_${v}.json`, async (t) => {
    if (!SPECS) { t.skip('Veeam OpenAPI specs not found (set VEEAM_SPECS_DIR or provide /work/shared/specs)'); return; }
    const spec = loadSpec(SPECS, `vb365_rest_${v}.json`);
    const s = await vb365Session(sim.vb365.url, sim.certificate.pem, v);
    const P = `/${v}/`;
    const jobs = sim.vb365Data.jobs();
    const repo = sim.vb365Data.repositories()[0].id;
    const cases: Case[] = [];
    const add = async (name: string, tpl: string, method: string, resp: Promise<Resp>, status: number): Promise<Resp> => {
      const r = await resp;
      assert.equal(r.status, status, `${name}: ${r.text.slice(0, 200)}`);
      cases.push({ name, path: P + tpl, method, resp: r });
      return r;
    };
    await add('token', 'token', 'post', Promise.resolve(s.tokenResponse), 200);
    await add('token error', 'token', 'post', request(`${sim.vb365.url}${P}token`, {
      method: 'POST', ca: sim.certificate.pem, body: 'grant_type=password&username=x&password=y&disable_antiforgery_token=true',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 400);
    await add('service instance', 'ServiceInstance', 'get', s.get('ServiceInstance'), 200);
    const orgs = await add('organizations', 'Organizations', 'get', s.get('Organizations'), 200);
    const orgList = orgs.json<{ id: string }[] | { results: { id: string }[] }>();
    const orgId = (Array.isArray(orgList) ? orgList : orgList.results)[0].id;
    await add('organization', 'Organizations/{organizationId}', 'get', s.get(`Organizations/${orgId}`), 200);
    await add('repositories', 'BackupRepositories', 'get', s.get('BackupRepositories'), 200);
    await add('repository', 'BackupRepositories/{repositoryId}', 'get', s.get(`BackupRepositories/${repo}`), 200);
    await add('jobs', 'Jobs', 'get', s.get('Jobs'), 200);
    for (const j of jobs) await add(`job ${j.name}`, 'Jobs/{jobId}', 'get', s.get(`Jobs/${j.id}`), 200);
    if (v !== 'v8') await add('org jobs', 'Organizations/{organizationId}/Jobs', 'get', s.get(`Organizations/${orgId}/Jobs`), 200);
    const page = await add('job sessions page', 'JobSessions', 'get', s.get('JobSessions?limit=100'), 200);
    if (v === 'v6') await add('job sessions of a job', 'Jobs/{jobId}/JobSessions', 'get', s.get(`Jobs/${jobs[0].id}/JobSessions?limit=5`), 200);
    const sessions = page.json<{ results: { id: string; status: string }[] }>().results;
    for (const st of ['Running', 'Success', 'Failed', 'Warning', 'Stopped']) {
      const one = sessions.find((x) => x.status === st);
      assert.ok(one, `a ${st} session exists`);
      await add(`job session (${st})`, 'JobSessions/{jobSessionsId}', 'get', s.get(`JobSessions/${one.id}`), 200);
    }
    const logs = await add('log items', 'JobSessions/{sessionId}/LogItems', 'get', s.get(`JobSessions/${sessions[0].id}/LogItems`), 200);
    const logId = logs.json<{ results: { id: string }[] }>().results[0].id;
    await add('log item', 'JobSessions/{sessionId}/LogItems/{logItemId}', 'get', s.get(`JobSessions/${sessions[0].id}/LogItems/${logId}`), 200);
    const sync = await add('sync', 'BackupRepositories/{repositoryId}/Sync', 'post', s.post(`BackupRepositories/${repo}/Sync`), 200);
    const syncId = sync.json<{ id: string }>().id;
    await add('sync sessions', 'RepositorySynchronizeSessions', 'get', s.get('RepositorySynchronizeSessions'), 200);
    await add('sync session', 'RepositorySynchronizeSessions/{sessionId}', 'get', s.get(`RepositorySynchronizeSessions/${syncId}`), 200);
    await add('stop sync', 'RepositorySynchronizeSessions/{sessionId}/StopSynchronize', 'post',
      s.post(`RepositorySynchronizeSessions/${syncId}/StopSynchronize`), v === 'v8' ? 204 : 200);
    await add('job start', 'Jobs/{jobId}/start', 'post', s.post(`Jobs/${jobs[1 + ['v6', 'v7', 'v8'].indexOf(v)].id}/start`), v === 'v8' ? 200 : 204);
    // Issue #9: stop, enable and disable, their refusals (RESTExceptionInfo on `default`), logs of every outcome
    // (v8 types Running, Warning, Error, Success, Stop), and a sync session that failed with an error.
    const idle = jobs[0].id;
    sim.vb365Data.nextRun(idle, { status: 'Warning', durationMs: 60_000 });
    await add('job start (to stop)', 'Jobs/{jobId}/start', 'post', s.post(`Jobs/${idle}/start`), v === 'v8' ? 200 : 204);
    await add('job stop', 'Jobs/{jobId}/stop', 'post', s.post(`Jobs/${idle}/stop`), 204);
    await add('job stop refused (not running)', 'Jobs/{jobId}/stop', 'post', s.post(`Jobs/${idle}/stop`), 400);
    await add('job disable', 'Jobs/{jobId}/disable', 'post', s.post(`Jobs/${idle}/disable`), 204);
    await add('job disable refused (disabled)', 'Jobs/{jobId}/disable', 'post', s.post(`Jobs/${idle}/disable`), 400);
    await add('disabled job', 'Jobs/{jobId}', 'get', s.get(`Jobs/${idle}`), 200);
    await add('job start refused (disabled)', 'Jobs/{jobId}/start', 'post', s.post(`Jobs/${idle}/start`), 400);
    await add('job enable', 'Jobs/{jobId}/enable', 'post', s.post(`Jobs/${idle}/enable`), 204);
    await add('job enable refused (enabled)', 'Jobs/{jobId}/enable', 'post', s.post(`Jobs/${idle}/enable`), 400);
    const all = (await s.get('JobSessions?limit=1000')).json<{ results: { id: string; status: string; details: string }[] }>().results;
    for (const st of ['Running', 'Success', 'Failed', 'Warning', 'Stopped']) {
      const one = all.find((x) => x.status === st)!;
      if (st === 'Failed' || st === 'Warning') assert.ok(one.details, `a ${st} session says why`);
      await add(`log items (${st})`, 'JobSessions/{sessionId}/LogItems', 'get', s.get(`JobSessions/${one.id}/LogItems?limit=10000`), 200);
    }
    if (v === 'v8') {
      const failedId = all.find((x) => x.status === 'Failed')!.id;
      const errors = await add('log items ?type=Error', 'JobSessions/{sessionId}/LogItems', 'get',
        s.get(`JobSessions/${failedId}/LogItems?type=Error&orderAsc=false`), 200);
      assert.ok(errors.json<{ results: { type: string }[] }>().results.every((l) => l.type === 'Error'));
    }
    const repo2 = sim.vb365Data.repositories()[1].id;
    sim.vb365Data.failSync(repo2, 'Object storage is unreachable: The remote name could not be resolved.');
    const failing = await add('sync (to fail)', 'BackupRepositories/{repositoryId}/Sync', 'post', s.post(`BackupRepositories/${repo2}/Sync`), 200);
    await new Promise((r) => setTimeout(r, 250));
    const failedSync = await add('failed sync session', 'RepositorySynchronizeSessions/{sessionId}', 'get',
      s.get(`RepositorySynchronizeSessions/${failing.json<{ id: string }>().id}`), 200);
    assert.equal(failedSync.json<{ state: string }>().state, 'Failed');
    await add('not found', 'Jobs/{jobId}', 'get', s.get('Jobs/00000000-0000-4000-8000-000000000000'), 404);
    await add('unauthorized', 'Jobs', 'get', request(`${sim.vb365.url}${P}Jobs`, { ca: sim.certificate.pem }), 401);
    if (v !== 'v6') await add('logout', 'token/logout', 'post', s.post('token/logout'), v === 'v8' ? 204 : 200);
    const errors = cases.flatMap((c) => check(spec, c));
    assert.deepEqual(errors, []);
    assert.ok(cases.length >= 35);
  });
}

test('the validator rejects wrong objects', (t) => {
  if (!SPECS) { t.skip('Veeam OpenAPI specs not found'); return; }
  const spec = loadSpec(SPECS, 'vb365_rest_v8.json');
  const schema = responseSchema(spec, '/v8/JobSessions/{jobSessionsId}', 'get', 200);
  assert.ok(schema);
  const bad = {
    id: 'not-a-uuid', status: 'Succeeded', progress: 12.5, creationTime: 'yesterday', endTime: null,
    statistics: { bottleneck: 'N/A', processedObjects: '3' }, percent: 40, _links: { self: { href: 1 } },
  };
  const errors = validate(spec, schema, bad);
  for (const want of [/\$\.id: not a uuid/, /\$\.status: .*not in enum/, /\$\.progress: expected integer/, /creationTime: not a date-time/,
    /bottleneck.*not in enum/, /processedObjects: expected integer/, /property percent is not in the schema/, /href: expected string/]) {
    assert.ok(errors.some((e) => want.test(e)), `expected an error like ${want}: ${errors.join('; ')}`);
  }
  assert.equal(errors.some((e) => e.startsWith('$.endTime')), false, 'endTime is nullable in v8');
  const token = responseSchema(spec, '/v8/token', 'post', 200);
  assert.ok(token);
  assert.ok(validate(spec, token, { access_token: 'a' }).some((e) => /missing required property refresh_token/.test(e)));
  const sync = responseSchema(spec, '/v8/RepositorySynchronizeSessions/{sessionId}', 'get', 200);
  assert.ok(sync);
  assert.ok(validate(spec, sync, { error: null }).some((e) => /null is not allowed/.test(e)), 'strict without allowNull');
  assert.deepEqual(validate(spec, sync, { error: null }, { allowNull: ALLOW_NULL }), []);
  const v6 = loadSpec(SPECS, 'vb365_rest_v6.json');
  const v6err = responseSchema(v6, '/v6/Jobs/{jobId}', 'get', 404);
  assert.ok(v6err);
  assert.ok(validate(v6, v6err, { message: 'x', errorCode: 'ResourceNotFound' }).length > 0, 'errorCode is not a v6 field');
});
