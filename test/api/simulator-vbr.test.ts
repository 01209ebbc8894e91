// Tests of the VBR simulator (test/simulator/vbr/) over real HTTPS with Node's client: version gate, tokens, roles,
// collections, the run lifecycle, actions and their refusals, logs, 1.2 vs 1.3 shapes, hooks and the core integration.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { startSimulator, type SimulatorExt } from '../simulator';
import { request, vbrSession, type Resp, type VbrSession } from '../simulator/http-client';
import { postsTo, until } from './helpers';

type Page<T = Record<string, unknown>> = { data: T[]; pagination: { total: number; count: number; skip?: number | null; limit?: number | null } };
type Sess = { id: string; name: string; jobId: string; sessionType: string; state: string; progressPercent: number; usn: number; creationTime: string;
  endTime?: string | null; result: { result: string; message: string; isCanceled: boolean } | null; retryInfo?: { retryNumber: number }; originalSessionId?: string };
type Log = { totalRecords: number; records: { id: number; status: string; startTime: string; updateTime: string; title: string; additionalInfo?: unknown[] }[] };
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const OPERATOR = { username: 'LAB\\operator', password: 'Operator1!' };
const R12 = '1.2-rev1';
const R13 = '1.3-rev2';

let sim: SimulatorExt;
before(async () => { sim = await startSimulator({ seed: 11, vbr: { jobDurationMs: 1500, readOnlyUser: OPERATOR } }); });
after(async () => { await sim.close(); });

const raw = (p: string, headers: Record<string, string> = {}, o: { method?: string; body?: string } = {}, s: SimulatorExt = sim): Promise<Resp> =>
  request(s.vbrUrl + p, { ca: s.certificate.pem, headers, ...o });
const token = (rev: string, body: string, s: SimulatorExt = sim): Promise<Resp> => raw('/api/oauth2/token', { ...FORM, 'x-api-version': rev }, { method: 'POST', body }, s);
const login = (rev: string, s: SimulatorExt = sim, user?: string, pw?: string): Promise<VbrSession> => vbrSession(s.vbrUrl, s.certificate.pem, rev, user, pw);
const page = async <T = Record<string, unknown>>(s: VbrSession, p: string): Promise<Page<T>> => {
  const r = await s.get(p);
  assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
  return r.json<Page<T>>();
};
const session = async (s: VbrSession, id: string): Promise<Sess> => (await s.get(`/api/v1/sessions/${id}`)).json<Sess>();

test('x-api-version gate: missing or unserved → 400 in both documented styles; swagger probe', async () => {
  const spec = { errorCode: 'NotImplemented', message: 'The specified API version is not supported.' };
  const wrong: Record<string, string>[] = [{}, { 'x-api-version': '1.4-rev0' }, { 'x-api-version': 'v1.3-rev2' }, { 'x-api-version': '1.3' }];
  for (const h of wrong) {
    const r = await raw('/api/v1/serverTime', h);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), spec);
  }
  assert.equal((await raw('/api/v1/jobs', {})).status, 400, 'the gate comes before the bearer check');
  const only12 = await startSimulator({ vbr: { revisions: ['1.2-rev1'], versionErrorStyle: 'supported-list' } });
  const only11 = await startSimulator({ vbr: { revisions: ['1.1-rev0'] } });
  try {
    const r = await raw('/api/v1/serverTime', { 'x-api-version': R13 }, {}, only12);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { errorCode: 'NotImplemented', message: 'Bad request: Unsupported RESTAPI version. The following versions are supported: v1.2-rev1.' });
    assert.equal((await raw('/api/v1/serverTime', { 'x-api-version': R12 }, {}, only12)).status, 200);
    const s11 = await login('1.1-rev0', only11);
    assert.equal((await page<{ type: string }>(s11, '/api/v1/jobs')).data.some((j) => j.type === 'Backup'), true, '1.1 is served with the 1.2 shapes');
    assert.equal((await raw('/api/v1/serverTime', { 'x-api-version': R12 }, {}, only11)).status, 400);
    assert.equal((await raw('/swagger/v1.2-rev1/swagger.json', {}, {}, only12)).status, 200);
    assert.equal((await raw('/swagger/v1.3-rev2/swagger.json', {}, {}, only12)).status, 404);
  } finally { await only12.close(); await only11.close(); }
  const many = await startSimulator({ vbr: { versionErrorStyle: 'supported-list', revisions: ['1.3-rev2', '1.2-rev1'] } });
  try {
    assert.match((await raw('/api/v1/serverTime', {}, {}, many)).json<{ message: string }>().message, /supported: v1\.2-rev1, v1\.3-rev2\.$/);
  } finally { await many.close(); }
});

test('serverTime and serverCertificate need no logon; 1.3 adds ianaTimeZoneId and isTrusted; the thumbprint follows rotation', async () => {
  const t12 = (await raw('/api/v1/serverTime', { 'x-api-version': R12 })).json<Record<string, string>>();
  const t13 = (await raw('/api/v1/serverTime', { 'x-api-version': R13 })).json<Record<string, string>>();
  assert.equal('ianaTimeZoneId' in t12, false);
  assert.equal(t13.ianaTimeZoneId, 'Africa/Lagos');
  assert.match(t13.serverTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+01:00$/);
  assert.ok(Math.abs(Date.parse(t13.serverTime) - Date.now()) < 5000);
  const sha1 = (): string => new crypto.X509Certificate(sim.certificate.pem).fingerprint.replace(/:/g, '');
  const c13 = (await raw('/api/v1/serverCertificate', { 'x-api-version': R13 })).json<Record<string, unknown>>();
  assert.equal(c13.thumbprint, sha1());
  assert.equal(c13.isTrusted, false);
  assert.equal('isTrusted' in (await raw('/api/v1/serverCertificate', { 'x-api-version': R12 })).json<object>(), false);
  const rot = await startSimulator({});
  try {
    const before1 = (await raw('/api/v1/serverCertificate', { 'x-api-version': R13 }, {}, rot)).json<{ thumbprint: string }>().thumbprint;
    await rot.rotateCertificate();
    const after1 = (await raw('/api/v1/serverCertificate', { 'x-api-version': R13 }, {}, rot)).json<{ thumbprint: string }>().thumbprint;
    assert.notEqual(before1, after1);
    assert.equal(after1, new crypto.X509Certificate(rot.certificate.pem).fingerprint.replace(/:/g, ''));
  } finally { await rot.close(); }
});

test('token: form only, any grant_type casing, 900 s, refresh rotates and a reused refresh token is refused, logout kills both', async () => {
  const pw = 'username=LAB%5Cadministrator&password=Veeam123!';
  for (const g of ['password', 'Password', 'PASSWORD']) assert.equal((await token(R13, `grant_type=${g}&${pw}`)).status, 200, g);
  const json = await raw('/api/oauth2/token', { 'Content-Type': 'application/json', 'x-api-version': R13 }, { method: 'POST', body: '{"grant_type":"password"}' });
  assert.equal(json.status, 400);
  const bad = await token(R13, 'grant_type=password&username=LAB%5Cadministrator&password=nope');
  assert.equal(bad.status, 401);
  assert.equal(bad.json<{ errorCode: string }>().errorCode, 'AccessDenied');
  assert.equal((await token(R13, 'grant_type=vbr_token&vbr_token=x')).status, 400);
  const before0 = sim.vbrData.tokens();
  const g = (await token(R12, `grant_type=password&${pw}`)).json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(g).sort(), ['.expires', '.issued', 'access_token', 'expires_in', 'refresh_token', 'token_type']);
  assert.equal(g.expires_in, 900);
  assert.equal(g.token_type, 'bearer');
  assert.equal(String(g.access_token).split('.').length, 3, 'JWT-shaped');
  assert.equal(sim.vbrData.tokens().generation, 0);
  const r1 = await token(R12, `grant_type=Refresh_token&refresh_token=${String(g.refresh_token)}`);
  assert.equal(r1.status, 200);
  const g1 = r1.json<{ access_token: string; refresh_token: string }>();
  assert.notEqual(g1.refresh_token, g.refresh_token);
  assert.equal(sim.vbrData.tokens().generation, 1);
  const reuse = await token(R12, `grant_type=refresh_token&refresh_token=${String(g.refresh_token)}`);
  assert.equal(reuse.status, 400);
  assert.deepEqual(reuse.json(), { errorCode: 'InvalidToken', message: 'The refresh token has already been used.' });
  const g2 = (await token(R12, `grant_type=refresh_token&refresh_token=${g1.refresh_token}`)).json<{ access_token: string; refresh_token: string }>();
  const st = sim.vbrData.tokens();
  assert.equal(st.generation, 2);
  assert.equal(st.refreshGrants - before0.refreshGrants, 2);
  assert.equal(st.refreshRejected - before0.refreshRejected, 1);
  const h = { 'x-api-version': R12, Authorization: `Bearer ${g2.access_token}` };
  assert.equal((await raw('/api/v1/jobs', h)).status, 200);
  assert.equal((await raw('/api/v1/jobs', { ...h, Authorization: `Bearer ${g1.access_token}` })).status, 200, 'older access tokens live until they expire');
  const out = await raw('/api/oauth2/logout', h, { method: 'POST' });
  assert.equal(out.status, 200);
  assert.deepEqual(out.json(), {});
  assert.equal((await raw('/api/v1/jobs', h)).status, 401);
  assert.equal((await token(R12, `grant_type=refresh_token&refresh_token=${g2.refresh_token}`)).status, 400, 'logout kills the refresh token too');
});

test('token lifetimes, use_short_term_refresh, expireTokens / expireRefreshTokens', async () => {
  const short = await startSimulator({ vbr: { tokenLifetimeSeconds: 1 } });
  try {
    const s = await login(R13, short);
    assert.equal(s.tokenResponse.json<{ expires_in: number }>().expires_in, 1);
    assert.equal((await s.get('/api/v1/jobs')).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await s.get('/api/v1/jobs')).status, 401);
    const s2 = await login(R13, short);
    short.expireTokens();
    assert.equal((await s2.get('/api/v1/jobs')).status, 401);
    const ref = await token(R13, `grant_type=refresh_token&refresh_token=${s2.refreshToken}`, short);
    assert.equal(ref.status, 200, 'refresh tokens survive expireTokens');
    short.expireRefreshTokens();
    assert.equal((await token(R13, `grant_type=refresh_token&refresh_token=${ref.json<{ refresh_token: string }>().refresh_token}`, short)).status, 400);
    const st = await token(R13, 'grant_type=password&username=LAB%5Cadministrator&password=Veeam123!&use_short_term_refresh=true', short);
    const payload = JSON.parse(Buffer.from(st.json<{ refresh_token: string }>().refresh_token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
    assert.equal(payload.exp - payload.iat, 1 + 15 * 60, 'short-term refresh = access lifetime + 15 min');
  } finally { await short.close(); }
});

test('401 without a valid bearer; 403 for the read-only account on actions, which may still read', async () => {
  const r = await raw('/api/v1/jobs', { 'x-api-version': R13 });
  assert.equal(r.status, 401);
  assert.deepEqual(r.json(), { errorCode: 'AccessDenied', message: 'Unauthorized. Get bearer JWT token at /api/login' });
  assert.equal((await raw('/api/v1/jobs', { 'x-api-version': R13, Authorization: 'Bearer nope' })).status, 401);
  assert.equal((await token(R13, 'grant_type=password&username=LAB%5Coperator&password=wrong')).status, 401);
  const ro = await login(R13, sim, OPERATOR.username, OPERATOR.password);
  const fx = sim.vbrData.fixtures();
  assert.equal((await ro.get('/api/v1/jobs/states')).status, 200);
  assert.equal((await ro.get('/api/v1/license')).status, 200);
  const running = (await page<{ id: string }>(ro, '/api/v1/sessions?stateFilter=Working')).data[0].id;
  for (const p of [`/api/v1/jobs/${fx.successJobId}/start`, `/api/v1/jobs/${fx.runningJobId}/stop`, `/api/v1/jobs/${fx.failedJobId}/retry`,
    `/api/v1/jobs/${fx.disabledJobId}/enable`, `/api/v1/jobs/${fx.successJobId}/disable`, `/api/v1/sessions/${running}/stop`]) {
    const x = await ro.post(p);
    assert.equal(x.status, 403, p);
    assert.deepEqual(x.json(), { errorCode: 'AccessDenied', message: 'Forbidden' });
  }
  assert.equal((await session(ro, running)).state, 'Working', 'nothing was stopped');
});

test('collections: paging, sorting, nameFilter wildcards, 1.3 repeated-key array filters, 1.2 single values, 400 on bad values', async () => {
  const s13 = await login(R13);
  const s12 = await login(R12);
  const all13 = await page<Sess>(s13, '/api/v1/sessions?limit=5000');
  assert.ok(all13.pagination.total >= 1000, `${all13.pagination.total} sessions`);
  const def = await page<Sess>(s13, '/api/v1/sessions');
  assert.deepEqual({ ...def.pagination, total: 0 }, { total: 0, count: 200, skip: 0, limit: 200 }, '1.3 limit defaults to 200');
  const times = all13.data.map((x) => Date.parse(x.creationTime));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first by default');
  const p1 = await page<Sess>(s13, '/api/v1/sessions?skip=0&limit=7');
  const p2 = await page<Sess>(s13, '/api/v1/sessions?skip=7&limit=7');
  assert.deepEqual([...p1.data, ...p2.data].map((x) => x.id), all13.data.slice(0, 14).map((x) => x.id));
  const asc = await page<Sess>(s13, '/api/v1/sessions?orderColumn=CreationTime&orderAsc=true&limit=3');
  assert.equal(asc.data[0].id, all13.data[all13.data.length - 1].id);
  const byName = await page<Sess>(s13, '/api/v1/sessions?orderColumn=Name&limit=5000');
  assert.ok(byName.data.every((x, i, a) => i === 0 || a[i - 1].name.localeCompare(x.name, 'en', { sensitivity: 'base' }) <= 0));
  const fw = await page<Sess>(s13, '/api/v1/sessions?resultFilter=Failed&resultFilter=Warning&limit=5000');
  assert.ok(fw.pagination.total > 10);
  assert.deepEqual(new Set(fw.data.map((x) => x.result?.result)), new Set(['Failed', 'Warning']));
  assert.equal((await s13.get('/api/v1/sessions?resultFilter=Failed,Warning')).status, 400, 'no comma lists');
  const only = await page<Sess>(s12, '/api/v1/sessions?resultFilter=failed');
  assert.ok(only.data.length > 0 && only.data.every((x) => x.result?.result === 'Failed'), 'enum values bind case-insensitively');
  const rep = await s12.get('/api/v1/sessions?resultFilter=Failed&resultFilter=Warning');
  assert.equal(rep.status, 400, '1.2 takes one value');
  assert.equal(rep.json<{ errorCode: string }>().errorCode, 'UnexpectedContent');
  const types = await page<Sess>(s13, '/api/v1/sessions?typeFilter=ReplicaJob&typeFilter=ConfigurationBackup&limit=5000');
  assert.deepEqual(new Set(types.data.map((x) => x.sessionType)), new Set(['ReplicaJob', 'ConfigurationBackup']));
  const day = new Date(Date.now() - 86_400_000).toISOString();
  const recent = await page<Sess>(s13, `/api/v1/sessions?createdAfterFilter=${encodeURIComponent(day)}&limit=5000`);
  assert.ok(recent.data.length > 5 && recent.data.every((x) => Date.parse(x.creationTime) >= Date.parse(day)));
  const fx = sim.vbrData.fixtures();
  const ofJob = await page<Sess>(s13, `/api/v1/sessions?jobIdFilter=${fx.failedJobId}&nameFilter=*REPLICA*&limit=5000`);
  assert.ok(ofJob.data.length > 100 && ofJob.data.every((x) => x.jobId === fx.failedJobId));
  assert.equal((await page(s13, '/api/v1/sessions?nameFilter=replica')).pagination.total, 0, 'no * = whole name');
  assert.ok((await page<Sess>(s13, '/api/v1/sessions?stateFilter=Working')).data.length >= 2);
  const ended = await page<Sess>(s13, `/api/v1/sessions?endedBeforeFilter=${encodeURIComponent(day)}&limit=5000`);
  assert.ok(ended.data.every((x) => x.endTime && Date.parse(x.endTime) <= Date.parse(day)));
  for (const q of ['limit=-1', 'skip=x', 'orderColumn=Colour', 'orderAsc=maybe', 'stateFilter=Sleeping', 'createdAfterFilter=yesterday', 'jobIdFilter=42']) {
    assert.equal((await s13.get(`/api/v1/sessions?${q}`)).status, 400, q);
  }
  assert.equal((await s13.get('/api/v1/sessions?colour=red&limit=1')).status, 200, 'unknown parameters are ignored');
  const p12 = (await page(s12, '/api/v1/sessions')).pagination;
  assert.ok(p12.count === p12.total && p12.skip === null && p12.limit === null, '1.2: no default limit, skip/limit null when not sent');
  assert.deepEqual((await page(s12, '/api/v1/sessions?skip=2&limit=3')).pagination, { total: p12.total, count: 3, skip: 2, limit: 3 });
  const states = await page<{ id: string; status: string; type: string }>(s13, `/api/v1/jobs/states?idFilter=${fx.runningJobId}`);
  assert.deepEqual(states.data.map((j) => j.id), [fx.runningJobId]);
  assert.ok((await page<{ status: string }>(s12, '/api/v1/jobs/states?statusFilter=running')).data.every((j) => j.status === 'running'));
  assert.ok((await page<{ status: string }>(s13, '/api/v1/jobs/states?statusFilter=RUNNING')).data.every((j) => j.status === 'Running'));
  assert.equal((await page(s13, '/api/v1/jobs/states?typeFilter=VSphereBackup')).pagination.total, 5);
  assert.equal((await s13.get('/api/v1/jobs/states?typeFilter=Backup')).status, 400, 'Backup is the 1.2 name');
  assert.equal((await page(s12, '/api/v1/jobs/states?typeFilter=Backup')).pagination.total, 5);
  const warn = await page<{ id: string }>(s13, '/api/v1/jobs/states?lastResultFilter=Warning&orderColumn=Name&orderAsc=false');
  assert.ok(warn.data.some((j) => j.id === fx.warningJobId));
  const byFree = await page<{ freeGB: number }>(s13, '/api/v1/backupInfrastructure/repositories/states?orderColumn=FreeGB&orderAsc=true');
  assert.deepEqual(byFree.data.map((x) => x.freeGB), [...byFree.data.map((x) => x.freeGB)].sort((a, b) => a - b));
  assert.equal((await page(s13, '/api/v1/backupInfrastructure/repositories?typeFilter=Smb&typeFilter=WinLocal')).pagination.total, 4);
  assert.equal((await page(s13, '/api/v1/backupInfrastructure/proxies/states?isOnlineFilter=false')).pagination.total, 1);
  assert.equal((await page(s13, '/api/v1/malwareDetection/events?severityFilter=Infected&severityFilter=Suspicious')).pagination.total, 5);
});

test('job run: 201 Starting → Working (0→100 %) → Stopped; job state, task sessions and logs follow; the log grows and records update', async () => {
  const s = await login(R13);
  const fx = sim.vbrData.fixtures();
  const posts = postsTo(sim, /\/jobs\/[^/]+\/start$/);
  const r = await s.post(`/api/v1/jobs/${fx.successJobId}/start`, { performActiveFull: true });
  assert.equal(r.status, 201);
  assert.equal(postsTo(sim, /\/jobs\/[^/]+\/start$/), posts + 1, 'the core counts the POST');
  const started = r.json<Sess & { algorithm: string; initiatedBy: string }>();
  assert.equal(started.state, 'Starting');
  assert.equal(started.progressPercent, 0);
  assert.deepEqual(started.result, { result: 'None', message: '', isCanceled: false });
  assert.equal(started.sessionType, 'BackupJob');
  assert.equal(started.algorithm, 'Full');
  assert.equal(started.initiatedBy, 'LAB\\administrator');
  assert.equal('endTime' in started, false, '1.3 omits endTime while running');
  assert.equal((await s.post(`/api/v1/jobs/${fx.successJobId}/start`)).status, 400, 'already running');
  const seen = new Set<string>();
  const progress: number[] = [];
  const usns: number[] = [];
  const logCounts: number[] = [];
  const firstSeen = new Map<number, { status: string; updateTime: string }>();
  let updated = false;
  const done = await until(async () => {
    const x = await session(s, started.id);
    seen.add(x.state);
    progress.push(x.progressPercent);
    usns.push(x.usn);
    const log = (await s.get(`/api/v1/sessions/${started.id}/logs`)).json<Log>();
    logCounts.push(log.totalRecords);
    for (const rec of log.records) {
      const prev = firstSeen.get(rec.id);
      if (!prev) firstSeen.set(rec.id, { status: rec.status, updateTime: rec.updateTime });
      else if (prev.status === 'None' && rec.status !== 'None' && rec.updateTime !== prev.updateTime) updated = true;
    }
    return x;
  }, (x) => x.state === 'Stopped', 10000, 80);
  assert.ok(seen.has('Working'), [...seen].join());
  assert.ok(progress.some((p) => p > 0 && p < 100), `progress ${progress.join(',')}`);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
  assert.deepEqual(usns, [...usns].sort((a, b) => a - b), 'usn never goes back');
  assert.equal(done.progressPercent, 100);
  assert.deepEqual(done.result, { result: 'Success', message: '', isCanceled: false });
  assert.ok(done.endTime && Date.parse(done.endTime) >= Date.parse(done.creationTime));
  assert.ok(logCounts[logCounts.length - 1] > logCounts[0], `log grows: ${logCounts.join(',')}`);
  assert.ok(updated, 'a record seen in progress (None) later has its final status and a new updateTime');
  const log = (await s.get(`/api/v1/sessions/${started.id}/logs`)).json<Log>();
  assert.equal(log.totalRecords, log.records.length);
  assert.match(log.records[0].title, /^Job finished with success at /);
  assert.ok(log.records.every((x, i, a) => i === 0 || Date.parse(a[i - 1].updateTime) >= Date.parse(x.updateTime)), 'newest updateTime first, as the spec example');
  assert.ok(log.records.some((x) => /^Processing dc01$/.test(x.title) && Array.isArray(x.additionalInfo)));
  const state = (await page<Record<string, unknown>>(s, `/api/v1/jobs/states?idFilter=${fx.successJobId}`)).data[0];
  assert.equal(state.sessionId, started.id);
  assert.equal(state.lastResult, 'Success');
  assert.equal(state.progressPercent, 100);
  const tasks = await page<{ id: string; name: string; state: string; creationTime: string }>(s, `/api/v1/sessions/${started.id}/taskSessions`);
  assert.equal(tasks.pagination.total, 6);
  assert.ok(tasks.data.every((x) => x.state === 'Stopped' && !/[+-]\d\d:\d\d$|Z$/.test(x.creationTime)), 'task times carry no UTC offset');
  assert.equal((await s.get(`/api/v1/taskSessions/${tasks.data[0].id}`)).json<{ name: string }>().name, tasks.data[0].name);
});

test('stop (graceful → Warning, immediate → Failed, isCanceled), session stop, retry (1.3 only) and their refusals', async () => {
  const s = await login(R13);
  const fx = sim.vbrData.fixtures();
  const stopped = (x: Sess): boolean => x.state === 'Stopped';
  const a = (await s.post(`/api/v1/jobs/${fx.warningJobId}/start`)).json<Sess>();
  const stop = await s.post(`/api/v1/jobs/${fx.warningJobId}/stop`, { gracefulStop: true });
  assert.equal(stop.status, 201);
  assert.equal(stop.json<Sess>().state, 'Stopping');
  const ga = await until(() => session(s, a.id), stopped, 5000, 50);
  assert.deepEqual(ga.result, { result: 'Warning', message: 'Job has been stopped by user', isCanceled: true });
  assert.equal((await s.post(`/api/v1/jobs/${fx.warningJobId}/stop`)).status, 400, 'not running');
  const b = (await s.post(`/api/v1/jobs/${fx.warningJobId}/start`)).json<Sess>();
  const ss = await s.post(`/api/v1/sessions/${b.id}/stop`);
  assert.equal(ss.status, 200);
  assert.deepEqual(ss.json(), {});
  const gb = await until(() => session(s, b.id), stopped, 5000, 50);
  assert.equal(gb.result?.result, 'Failed');
  assert.equal(gb.result?.isCanceled, true);
  const stopLog = (await s.get(`/api/v1/sessions/${b.id}/logs`)).json<Log>().records.map((x) => x.title);
  assert.ok(stopLog.includes('Job has been stopped by user') && stopLog.some((t) => /^Job finished with error/.test(t)), stopLog.join(' | '));
  const again = await s.post(`/api/v1/sessions/${b.id}/stop`);
  assert.equal(again.status, 400);
  assert.equal(again.json<{ errorCode: string }>().errorCode, 'UnknownError');
  // Retry: only after Failed/Warning, processes the failed object, named "(Retry n)".
  const retry = await s.post(`/api/v1/jobs/${fx.failedJobId}/retry`);
  assert.equal(retry.status, 201);
  const rs = retry.json<Sess>();
  assert.equal(rs.name, 'DR replica to site B (Retry 1)');
  assert.equal(rs.retryInfo?.retryNumber, 1);
  assert.ok(rs.originalSessionId);
  assert.equal((await s.post(`/api/v1/jobs/${fx.failedJobId}/retry`)).status, 400, 'running');
  await until(() => session(s, rs.id), stopped, 5000, 50);
  const refused = await s.post(`/api/v1/jobs/${fx.failedJobId}/retry`);
  assert.equal(refused.status, 400, 'the retry succeeded, nothing to retry');
  assert.match(refused.json<{ message: string }>().message, /did not fail/);
  assert.equal((await (await login(R12)).post(`/api/v1/jobs/${fx.failedJobId}/retry`)).status, 404, 'no retry in 1.2');
  assert.equal((await s.post('/api/v1/jobs/00000000-0000-4000-8000-000000000000/start')).status, 404);
  const nf = await s.get('/api/v1/sessions/00000000-0000-4000-8000-000000000000');
  assert.deepEqual(nf.json(), { errorCode: 'NotFound', message: 'Resource does not exist', resourceId: '00000000-0000-4000-8000-000000000000' });
  assert.equal((await s.get('/api/v1/taskSessions/00000000-0000-4000-8000-000000000000')).status, 404);
});

test('enable/disable (1.2 200 + {}, 1.3 204), a disabled job refuses to start; the empty job: 1.3 204, 1.2 a session that fails', async () => {
  const fx = sim.vbrData.fixtures();
  const s13 = await login(R13);
  const s12 = await login(R12);
  const refuse = await s13.post(`/api/v1/jobs/${fx.disabledJobId}/start`);
  assert.equal(refuse.status, 400);
  assert.match(refuse.json<{ message: string }>().message, /Legacy file server \(disabled\).* is disabled/);
  const en = await s13.post(`/api/v1/jobs/${fx.disabledJobId}/enable`);
  assert.equal(en.status, 204);
  assert.equal(en.text, '');
  const st = (await page<{ status: string; nextRun: string | null }>(s13, `/api/v1/jobs/states?idFilter=${fx.disabledJobId}`)).data[0];
  assert.equal(st.status, 'Stopped');
  assert.ok(st.nextRun, 'scheduled again');
  const dis = await s12.post(`/api/v1/jobs/${fx.disabledJobId}/disable`);
  assert.equal(dis.status, 200);
  assert.deepEqual(dis.json(), {});
  const st12 = (await page<{ status: string; nextRun: string | null }>(s12, `/api/v1/jobs/states?idFilter=${fx.disabledJobId}`)).data[0];
  assert.deepEqual(st12, { ...st12, status: 'disabled', nextRun: null });
  assert.equal((await s12.get(`/api/v1/jobs/${fx.disabledJobId}`)).json<{ isDisabled: boolean }>().isDisabled, true);
  const before = (await page(s13, `/api/v1/sessions?jobIdFilter=${fx.emptyJobId}`)).pagination.total;
  const e13 = await s13.post(`/api/v1/jobs/${fx.emptyJobId}/start`);
  assert.equal(e13.status, 204);
  assert.equal(e13.text, '');
  assert.equal((await page(s13, `/api/v1/sessions?jobIdFilter=${fx.emptyJobId}`)).pagination.total, before, 'no session was created');
  const e12 = await s12.post(`/api/v1/jobs/${fx.emptyJobId}/start`);
  assert.equal(e12.status, 201);
  const es = e12.json<Sess>();
  assert.equal(es.sessionType, 'Job', '1.2 start response quirk');
  assert.equal(es.result, null);
  const ended = await until(() => session(s12, es.id), (x) => x.state === 'Stopped', 5000, 50);
  assert.equal(ended.sessionType, 'BackupJob');
  assert.equal(ended.result?.result, 'Failed');
  assert.match(ended.result?.message ?? '', /no objects/);
});

test('hooks: setNextResult, failNextSession, stallNextSession, deleteSession', async (t) => {
  const fast = await startSimulator({ seed: 11, vbr: { jobDurationMs: 400 } });
  t.after(() => fast.close());
  const s = await login(R13, fast);
  const fx = fast.vbrData.fixtures();
  const run = async (jobId: string): Promise<Sess> => {
    const id = (await s.post(`/api/v1/jobs/${jobId}/start`)).json<Sess>().id;
    return until(() => session(s, id), (x) => x.state === 'Stopped', 8000, 100);
  };
  fast.vbrData.setNextResult(fx.successJobId, 'Warning', 'Processing web01 Warning: Changed block tracking is disabled');
  assert.deepEqual((await run(fx.successJobId)).result, { result: 'Warning', message: 'Processing web01 Warning: Changed block tracking is disabled', isCanceled: false });
  fast.vbrData.failNextSession();
  const failed = await run(fx.successJobId);
  assert.equal(failed.result?.result, 'Failed');
  assert.match(failed.result?.message ?? '', /Failed to connect to host esx01/);
  const tasks = await page<{ result: { result: string } }>(s, `/api/v1/sessions/${failed.id}/taskSessions`);
  assert.equal(tasks.data.filter((x) => x.result.result === 'Failed').length, 1, 'one object carries the failure');
  assert.equal((await run(fx.successJobId)).result?.result, 'Success', 'hooks apply once');
  fast.vbrData.stallNextSession(fx.successJobId);
  const stall = (await s.post(`/api/v1/jobs/${fx.successJobId}/start`)).json<Sess>();
  await new Promise((r) => setTimeout(r, 1000));
  const stuck = await session(s, stall.id);
  assert.equal(stuck.state, 'Working');
  assert.ok(stuck.progressPercent <= 42);
  assert.equal((await s.post(`/api/v1/sessions/${stall.id}/stop`)).status, 200, 'a stalled session can be stopped');
  fast.vbrData.deleteSession(stall.id);
  assert.equal((await s.get(`/api/v1/sessions/${stall.id}`)).status, 404);
  assert.throws(() => fast.vbrData.setNextResult('00000000-0000-4000-8000-000000000000', 'Failed'), /no VBR job/);
});

test('1.2 vs 1.3 shapes: type/status/workload spellings, progress fields, endTime null vs absent, taskSessions paging, isOutOfDate, additionalInfo, license', async () => {
  const s12 = await login(R12);
  const s13 = await login(R13);
  const fx = sim.vbrData.fixtures();
  const j12 = (await page<Record<string, unknown>>(s12, '/api/v1/jobs/states')).data;
  const j13 = (await page<Record<string, unknown>>(s13, '/api/v1/jobs/states')).data;
  assert.equal(j12.length, 8);
  assert.equal(j13.length, 11, 'agent and file backup jobs exist only for 1.3');
  const run12 = j12.find((j) => j.id === fx.runningJobId) as Record<string, unknown>;
  const run13 = j13.find((j) => j.id === fx.runningJobId) as Record<string, unknown>;
  assert.deepEqual([run12.type, run12.status, run12.workload, run12.lastResult], ['Backup', 'running', 'vm', 'None']);
  assert.deepEqual([run13.type, run13.status, run13.workload, run13.lastResult], ['VSphereBackup', 'Running', 'Vm', 'None']);
  for (const k of ['progressPercent', 'sessionProgress', 'highPriority', 'nextRunPolicy']) {
    assert.equal(k in run12, false, `1.2 has no ${k}`);
    assert.ok(k in run13, `1.3 has ${k}`);
  }
  assert.ok((run13.progressPercent as number) > 0 && (run13.progressPercent as number) < 100);
  assert.equal((await s12.get(`/api/v1/jobs/${fx.v13OnlyJobIds[0]}`)).status, 404);
  assert.equal((await s13.get(`/api/v1/jobs/${fx.v13OnlyJobIds[0]}`)).status, 200);
  const r12 = await session(s12, run12.sessionId as string);
  const r13 = await session(s13, run13.sessionId as string);
  assert.equal(r12.endTime, null, '1.2 sends endTime: null while running');
  assert.equal('endTime' in r13, false, '1.3 omits it');
  assert.ok('parentSessionId' in r12 && !('parentSessionId' in r13));
  assert.ok(!('progress' in r12) && 'progress' in r13 && 'initiatedBy' in r13);
  const t12 = await page(s12, `/api/v1/sessions/${fx.bigLogSessionId}/taskSessions?limit=1`);
  assert.deepEqual(t12.pagination, { total: 2, count: 2 }, '1.2 taskSessions take no paging parameters');
  const t13 = await page(s13, `/api/v1/sessions/${fx.bigLogSessionId}/taskSessions?limit=1`);
  assert.deepEqual(t13.pagination, { total: 2, count: 1, skip: 0, limit: 1 });
  const rs12 = (await page<Record<string, unknown>>(s12, '/api/v1/backupInfrastructure/repositories/states')).data;
  const rs13 = (await page<Record<string, unknown>>(s13, '/api/v1/backupInfrastructure/repositories/states')).data;
  assert.ok(rs12.every((x) => !('isOutOfDate' in x)) && rs13.every((x) => typeof x.isOutOfDate === 'boolean'));
  const l12 = (await s12.get(`/api/v1/sessions/${fx.bigLogSessionId}/logs`)).json<Log>();
  const l13 = (await s13.get(`/api/v1/sessions/${fx.bigLogSessionId}/logs?statusFilter=Warning`)).json<Log>();
  assert.ok(l12.records.every((x) => !('additionalInfo' in x)));
  assert.ok(l13.records.length > 0 && l13.records.every((x) => x.status === 'Warning' && Array.isArray(x.additionalInfo)));
  assert.equal(l13.totalRecords, l13.records.length);
  assert.equal((await s12.get('/api/v1/backupInfrastructure/proxies/states')).status, 400, 'no proxies/states in 1.2 ("states" is not an id)');
  const lic12 = (await s12.get('/api/v1/license')).json<Record<string, Record<string, unknown>>>();
  const lic13 = (await s13.get('/api/v1/license')).json<Record<string, Record<string, unknown>>>();
  const lic131 = (await (await login('1.3-rev1')).get('/api/v1/license')).json<Record<string, unknown>>();
  assert.ok('expirationDate' in lic12 && !('expirationDate' in lic12.instanceLicenseSummary));
  assert.ok(!('expirationDate' in lic13) && 'expirationDate' in lic13.instanceLicenseSummary, '1.3-rev2 moved it into the summary');
  assert.ok('expirationDate' in lic131, '1.3-rev1 still has it at the top');
  const days = (Date.parse(String(lic12.expirationDate)) - Date.now()) / 86_400_000;
  assert.ok(days > 0 && days < 30, `license expires in ${days} days`);
  const si12 = (await s12.get('/api/v1/serverInfo')).json<Record<string, unknown>>();
  const si13 = (await s13.get('/api/v1/serverInfo')).json<Record<string, unknown>>();
  assert.equal(si13.buildVersion, '13.1.0.411');
  assert.ok(!('platform' in si12) && si13.platform === 'Windows' && 'veeamRegistration' in si13);
  const m12 = (await page<Record<string, unknown>>(s12, '/api/v1/malwareDetection/events')).data;
  assert.ok(m12.length >= 5 && m12.every((x) => !('creationTimeUtc' in x)));
  assert.equal((await s12.get('/api/v1/malwareDetection/events?severityFilter=Infected&severityFilter=Suspicious')).status, 400, 'array filters are 1.3');
  assert.equal((await page(s12, '/api/v1/malwareDetection/events?severityFilter=Infected')).pagination.total, 2);
});

test('seeded lab: jobs of several kinds, realistic failures, a >90 % full repository, an offline proxy, deterministic per seed', async (t) => {
  const s = await login(R13);
  const jobs = (await page<{ id: string; name: string; type: string; isDisabled: boolean }>(s, '/api/v1/jobs')).data;
  assert.ok(new Set(jobs.map((j) => j.type)).size >= 6, jobs.map((j) => j.type).join());
  assert.equal(jobs.filter((j) => j.isDisabled).length, 1);
  const fx = sim.vbrData.fixtures();
  const twin = await startSimulator({ seed: 11 });
  const other = await startSimulator({ seed: 12 });
  t.after(async () => { await twin.close(); await other.close(); });
  const fresh = await login(R13, twin);
  const empty = (await page<Record<string, unknown>>(fresh, `/api/v1/jobs/states?idFilter=${fx.emptyJobId}`)).data[0];
  assert.deepEqual([empty.lastRun, empty.nextRun, empty.objectsCount, empty.status], [null, null, 0, 'Inactive'], 'never run, not scheduled (null quirks)');
  const msgs = (await page<Sess>(s, '/api/v1/sessions?resultFilter=Failed&resultFilter=Warning&limit=5000')).data.map((x) => x.result?.message ?? '');
  for (const re of [/^Failed to connect to host esx01: timeout$/, /^Error: The network path was not found$/, /^Processing SQL01 Warning: Changed block tracking is disabled$/]) {
    assert.ok(msgs.some((m) => re.test(m)), String(re));
  }
  assert.ok((await page<Sess>(s, '/api/v1/sessions?nameFilter=*(Retry 1)&limit=5000')).data.every((x) => x.retryInfo?.retryNumber === 1));
  const repos = (await page<{ name: string; capacityGB: number; freeGB: number; usedSpaceGB: number; isOnline: boolean }>(s, '/api/v1/backupInfrastructure/repositories/states')).data;
  const full = repos.filter((r) => r.freeGB / r.capacityGB < 0.1);
  assert.deepEqual(full.map((r) => r.name), ['Primary repository']);
  assert.ok(repos.some((r) => Math.abs(r.usedSpaceGB + r.freeGB - r.capacityGB) > 1), 'used + free ≠ capacity');
  assert.ok(repos.some((r) => !r.isOnline));
  const servers = (await page<{ type: string; status: string }>(s, '/api/v1/backupInfrastructure/managedServers')).data;
  assert.deepEqual(servers.map((x) => x.type).sort(), ['ViHost', 'WindowsHost', 'WindowsHost']);
  const proxies = (await page<{ isOnline: boolean }>(s, '/api/v1/backupInfrastructure/proxies/states')).data;
  assert.deepEqual(proxies.map((p) => p.isOnline).sort(), [false, true], 'one proxy is offline');
  const bp = (await s.get('/api/v1/securityAnalyzer/bestPractices')).json<{ items: { status: string }[] }>().items;
  assert.ok(bp.some((x) => x.status === 'Violation') && bp.some((x) => x.status === 'OK'));
  assert.equal((await s.get('/api/v1/securityAnalyzer/lastRun')).json<Sess>().sessionType, 'SecurityComplianceAnalyzer');
  assert.deepEqual(twin.vbrData.jobs(), sim.vbrData.jobs(), 'same seed, same jobs');
  assert.equal(twin.vbrData.fixtures().bigLogSessionId, fx.bigLogSessionId);
  assert.deepEqual((await page<Sess>(fresh, '/api/v1/sessions?orderColumn=CreationTime&orderAsc=true&limit=50')).data.map((x) => x.id),
    (await page<Sess>(s, '/api/v1/sessions?orderColumn=CreationTime&orderAsc=true&limit=50')).data.map((x) => x.id), 'same seed, same history');
  assert.notDeepEqual(other.vbrData.jobs().map((j) => j.id), sim.vbrData.jobs().map((j) => j.id));
});

test('logRecords (a 10,000-record log) and benchSessions (extra sessions on one job)', async () => {
  const big = await startSimulator({ vbr: { logRecords: 10_000, benchSessions: 3000 } });
  try {
    const s = await login(R13, big);
    const fx = big.vbrData.fixtures();
    const log = (await s.get(`/api/v1/sessions/${fx.bigLogSessionId}/logs`)).json<Log>();
    assert.equal(log.totalRecords, 10_000);
    assert.equal(new Set(log.records.map((x) => x.id)).size, 10_000);
    const bench = await page(s, `/api/v1/sessions?jobIdFilter=${fx.successJobId}&limit=10`);
    assert.ok(bench.pagination.total >= 3000, `${bench.pagination.total}`);
  } finally { await big.close(); }
});

test('nulls mode: optional ids, dates and numbers are null everywhere; required ones stay', async () => {
  const n = await startSimulator({ vbr: { nulls: true } });
  try {
    const s = await login(R13, n);
    const sess = (await page<Sess & Record<string, unknown>>(s, '/api/v1/sessions?limit=50')).data;
    assert.ok(sess.every((x) => x.endTime === null && x.progressPercent === null && typeof x.id === 'string' && typeof x.usn === 'number'));
    const states = (await page<Record<string, unknown>>(s, '/api/v1/jobs/states')).data;
    assert.ok(states.every((x) => x.lastRun === null && x.nextRun === null && x.sessionId === null && typeof x.objectsCount === 'number'));
    const p = (await page(s, '/api/v1/jobs')).pagination;
    assert.deepEqual([p.skip, p.limit], [null, null]);
    const log = (await s.get(`/api/v1/sessions/${sess[0].id}/logs`)).json<Log>();
    assert.ok(log.totalRecords === null && log.records.every((x) => x.id === null && x.startTime === null && typeof x.title === 'string'));
  } finally { await n.close(); }
});

test('core integration: faults, latency, stats and request records apply to the VBR listener', async () => {
  const s = await login(R13);
  sim.addFault({ kind: 'status', server: 'vbr', method: 'GET', path: '/api/v1/license', status: 503, times: 1 });
  const f = await s.get('/api/v1/license');
  assert.equal(f.status, 503);
  assert.deepEqual(f.json(), { errorCode: 'ServiceUnavailable', message: 'Simulated failure (HTTP 503).' });
  assert.equal((await s.get('/api/v1/license')).status, 200, 'times: 1');
  sim.addFault({ kind: 'status', server: 'vb365', path: '/api/v1/license', status: 500 });
  assert.equal((await s.get('/api/v1/license')).status, 200, 'a vb365 fault does not touch VBR');
  sim.clearFaults();
  sim.setLatency(300);
  const t0 = Date.now();
  await s.get('/api/v1/serverInfo');
  assert.ok(Date.now() - t0 >= 290);
  sim.setLatency(0);
  sim.resetStats();
  await s.post(`/api/v1/jobs/${sim.vbrData.fixtures().runningJobId}/start`);
  assert.equal(sim.stats.totalPosts, 1);
  const rec = sim.stats.log.find((x) => x.method === 'POST');
  assert.equal(rec?.server, 'vbr');
  assert.equal(rec?.status, 400, 'already running');
  assert.equal(sim.vbr.url, sim.vbrUrl);
});
