// Tests of the simulator itself (core + VB365 server), over real HTTPS with Node's client.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as tls from 'node:tls';
import { startSimulator, type SimulatorExt } from '../simulator';
import { request, vb365Session } from '../simulator/http-client';

type Page = { offset: number; limit: number; setId?: string; results: Array<Record<string, unknown>>; _links?: Record<string, { href: string }> };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let sim: SimulatorExt;
before(async () => {
  sim = await startSimulator({
    seed: 7, vb365: { versions: ['v4', 'v5', 'v6', 'v7', 'v8'], sessionsPerJob: 40, syncDurationMs: 600, jobDurationMs: 700 },
  });
});
after(async () => { await sim.close(); });

const url = (p: string): string => sim.vb365.url + p;
const post = (p: string, body: string, headers: Record<string, string> = FORM) =>
  request(url(p), { method: 'POST', ca: sim.certificate.pem, body, headers });

test('token: form and JSON bodies, antiforgery rule on v7+, bad credentials', async () => {
  const form = 'grant_type=password&username=LAB%5Cadministrator&password=Veeam123!&disable_antiforgery_token=true';
  const r1 = await post('/v8/token', form);
  assert.equal(r1.status, 200);
  const g = r1.json<Record<string, unknown>>();
  for (const k of ['access_token', 'refresh_token', 'token_type', 'expires_in', 'userName', '.issued', '.expires']) assert.ok(k in g, k);
  assert.equal(g.token_type, 'bearer');
  assert.equal(g.expires_in, 3600);
  const r2 = await post('/v7/Token', JSON.stringify({ grant_type: 'password', username: 'LAB\\administrator', password: 'Veeam123!', disable_antiforgery_token: true }),
    { 'Content-Type': 'application/json' });
  assert.equal(r2.status, 200);
  const noAf = await post('/v8/token', 'grant_type=password&username=LAB%5Cadministrator&password=Veeam123!');
  assert.equal(noAf.status, 400);
  assert.match(noAf.json<{ message: string }>().message, /antiforgery/i);
  assert.equal((await post('/v6/token', 'grant_type=password&username=LAB%5Cadministrator&password=Veeam123!')).status, 200, 'v6 has no antiforgery rule');
  const bad = await post('/v8/token', 'grant_type=password&username=LAB%5Cadministrator&password=nope&disable_antiforgery_token=true');
  assert.equal(bad.status, 400);
  assert.equal(typeof bad.json<{ message: string }>().message, 'string');
});

test('token: refresh rotates the refresh token; logout per version; 401 without bearer', async () => {
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const rt = s.tokenResponse.json<{ refresh_token: string }>().refresh_token;
  const body = `grant_type=refresh_token&refresh_token=${rt}&disable_antiforgery_token=true`;
  const r1 = await post('/v8/token', body);
  assert.equal(r1.status, 200);
  assert.notEqual(r1.json<{ refresh_token: string }>().refresh_token, rt);
  assert.equal((await post('/v8/token', body)).status, 400, 'an old refresh token works once');
  const unauth = await request(url('/v8/Jobs'), { ca: sim.certificate.pem });
  assert.equal(unauth.status, 401);
  assert.equal(typeof unauth.json<{ message: string }>().message, 'string');
  assert.equal((await s.post('token/logout')).status, 204);
  assert.equal((await s.get('Jobs')).status, 401, 'logged-out token is dead');
  const s7 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v7');
  assert.equal((await s7.post('token/logout')).status, 200);
  const s6 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v6');
  assert.equal((await s6.post('token/logout')).status, 404, 'no logout in v6');
});

test('token expiry (tokenLifetimeSeconds) and expireTokens/expireRefreshTokens', async () => {
  const short = await startSimulator({ vb365: { tokenLifetimeSeconds: 1 } });
  try {
    const s = await vb365Session(short.vb365.url, short.certificate.pem, 'v8');
    assert.equal((await s.get('Jobs')).status, 200);
    await sleep(1100);
    assert.equal((await s.get('Jobs')).status, 401);
    const rt = s.tokenResponse.json<{ refresh_token: string }>().refresh_token;
    const s2 = await vb365Session(short.vb365.url, short.certificate.pem, 'v8');
    short.expireTokens();
    assert.equal((await s2.get('Jobs')).status, 401);
    const ref = await request(`${short.vb365.url}/v8/token`, { method: 'POST', ca: short.certificate.pem, headers: FORM,
      body: `grant_type=refresh_token&refresh_token=${rt}&disable_antiforgery_token=true` });
    assert.equal(ref.status, 200, 'refresh tokens survive expireTokens');
    short.expireRefreshTokens();
    const rt2 = ref.json<{ refresh_token: string }>().refresh_token;
    const ref2 = await request(`${short.vb365.url}/v8/token`, { method: 'POST', ca: short.certificate.pem, headers: FORM,
      body: `grant_type=refresh_token&refresh_token=${rt2}&disable_antiforgery_token=true` });
    assert.equal(ref2.status, 400);
  } finally { await short.close(); }
});

test('ServiceInstance and unserved versions', async () => {
  assert.equal((await request(url('/v8/ServiceInstance'), { ca: sim.certificate.pem })).status, 401);
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const si = (await s.get('ServiceInstance')).json<{ installationId: string; version: string }>();
  assert.match(si.installationId, /^[0-9a-f-]{36}$/);
  assert.match(si.version, /^8\./);
  assert.equal((await request(url('/v9/ServiceInstance'), { ca: sim.certificate.pem })).status, 404);
  const only8 = await startSimulator({ vb365: { versions: ['v8'] } });
  try {
    assert.equal((await request(`${only8.vb365.url}/v7/ServiceInstance`, { ca: only8.certificate.pem })).status, 404);
    assert.equal((await request(`${only8.vb365.url}/v8/ServiceInstance`, { ca: only8.certificate.pem })).status, 401);
  } finally { await only8.close(); }
});

test('envelopes per version', async () => {
  const isPage = (b: unknown): boolean => !!b && typeof b === 'object' && !Array.isArray(b) && Array.isArray((b as Page).results);
  const expect: Record<string, Record<string, 'A' | 'P'>> = {
    v4: { Organizations: 'A', BackupRepositories: 'A', Jobs: 'A', JobSessions: 'A', RepositorySynchronizeSessions: 'A' },
    v5: { Organizations: 'A', BackupRepositories: 'A', Jobs: 'A', JobSessions: 'P', RepositorySynchronizeSessions: 'A' },
    v6: { Organizations: 'A', BackupRepositories: 'A', Jobs: 'A', JobSessions: 'P', RepositorySynchronizeSessions: 'A' },
    v7: { Organizations: 'A', BackupRepositories: 'A', Jobs: 'A', JobSessions: 'P', RepositorySynchronizeSessions: 'A' },
    v8: { Organizations: 'P', BackupRepositories: 'P', Jobs: 'P', JobSessions: 'P', RepositorySynchronizeSessions: 'A' },
  };
  for (const [v, paths] of Object.entries(expect)) {
    const s = await vb365Session(sim.vb365.url, sim.certificate.pem, v);
    for (const [p, kind] of Object.entries(paths)) {
      const r = await s.get(p);
      assert.equal(r.status, 200, `${v} ${p}`);
      const b = r.json();
      assert.equal(kind === 'P' ? isPage(b) : Array.isArray(b), true, `${v} ${p} should be ${kind}`);
    }
    const orgs = (await s.get('Organizations')).json<Page | Page['results']>();
    const first = (Array.isArray(orgs) ? orgs : orgs.results)[0] as { _links: { self: { href: string } } };
    if (v === 'v4' || v === 'v5') assert.ok(first._links.self.href.startsWith(`${sim.vb365.url}/${v}/`), 'absolute links before v6');
    else assert.ok(first._links.self.href.startsWith(`/${v}/`), 'relative links from v6');
  }
  const s8 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const repos = (await s8.get('BackupRepositories')).json<Page>().results;
  assert.equal(repos.length, 3);
  assert.ok(repos.some((r) => r.name === 'Local Repo'));
  const jobs = (await s8.get('Jobs')).json<Page>().results;
  assert.equal(jobs.length, 6);
  assert.ok(jobs.some((j) => j.isEnabled === false));
  assert.ok(new Set(jobs.map((j) => j.lastStatus)).size >= 3);
});

test('paging, _links.next, setId, status filter and running progress', async () => {
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const jobId = sim.vb365Data.jobs()[0].id;
  const p1 = (await s.get(`JobSessions?jobId=${jobId}&limit=15`)).json<Page>();
  assert.equal(p1.results.length, 15);
  assert.ok(p1.setId);
  assert.ok(p1._links?.next, 'next link while more pages exist');
  const times = p1.results.map((x) => Date.parse(String(x.creationTime)));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  let all = [...p1.results];
  let next: string | undefined = p1._links?.next?.href;
  while (next) {
    assert.ok(next.startsWith('/v8/JobSessions?'));
    assert.ok(next.includes(`setId=${p1.setId}`));
    const pg: Page = (await request(sim.vb365.url + next, { ca: sim.certificate.pem, headers: { Authorization: `Bearer ${s.token}` } })).json<Page>();
    assert.equal(pg.setId, p1.setId, 'setId accepted back');
    all = all.concat(pg.results);
    next = pg._links?.next?.href;
  }
  assert.ok(all.length >= 40);
  assert.equal(new Set(all.map((x) => x.id)).size, all.length);
  const last = (await s.get(`JobSessions?jobId=${jobId}&offset=${all.length - 5}&limit=10`)).json<Page>();
  assert.equal(last.results.length, 5);
  assert.equal(last._links?.next, undefined);
  const ok = (await s.get('JobSessions?status=Succeeded&limit=50')).json<Page>().results;
  assert.ok(ok.length > 0 && ok.every((x) => x.status === 'Success'));
  assert.equal((await s.get('JobSessions?status=Success')).status, 400);
  const statuses = new Set((await s.get('JobSessions?limit=10000')).json<Page>().results.map((x) => x.status));
  for (const st of ['Success', 'Warning', 'Failed', 'Stopped', 'Running']) assert.ok(statuses.has(st), st);
  const running = (await s.get('JobSessions?status=Running')).json<Page>().results;
  assert.ok(running.length >= 1 && running.length <= 2);
  const before = running[0].progress as number;
  await sleep(400);
  const afterS = (await s.get(`JobSessions/${String(running[0].id)}`)).json<{ progress: number; statistics: Record<string, unknown> }>();
  assert.ok(afterS.progress > before, 'progress counts up');
  for (const k of ['processingRateBytesPS', 'processingRateItemsPS', 'readRateBytesPS', 'writeRateBytesPS', 'transferredDataBytes', 'processedObjects', 'bottleneck']) {
    assert.ok(k in afterS.statistics, k);
  }
  const logs = (await s.get(`JobSessions/${String(running[0].id)}/LogItems?limit=2`)).json<Page>();
  assert.equal(logs.results.length, 2);
  assert.ok('message' in logs.results[0] && 'type' in logs.results[0]);
  const s7 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v7');
  const l7 = (await s7.get(`JobSessions/${String(running[0].id)}/LogItems`)).json<Page>();
  assert.ok('title' in l7.results[0] && !('message' in l7.results[0]));
  assert.equal((await s7.get(`Jobs/${jobId}/JobSessions?limit=3`)).json<Page>().results.length, 3);
  const gone = String(all[3].id);
  sim.vb365Data.deleteJobSession(gone);
  assert.equal((await s.get(`JobSessions/${gone}`)).status, 404);
});

test('errors: unknown id, unknown route, wrong method', async () => {
  const s8 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const nf = await s8.get('Jobs/00000000-0000-4000-8000-000000000000');
  assert.equal(nf.status, 404);
  assert.deepEqual(nf.json(), { message: 'Job with ID 00000000-0000-4000-8000-000000000000 was not found.', errorCode: 'ResourceNotFound', stackTrace: null });
  const s6 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v6');
  assert.deepEqual(Object.keys((await s6.get('Jobs/nope')).json<object>()), ['message']);
  assert.equal((await s8.get('NoSuchThing')).status, 404);
  assert.equal((await s8.post('Jobs')).status, 405);
  assert.equal((await s8.get(`Jobs/${sim.vb365Data.jobs()[0].id}/start`)).status, 405);
});

test('repository sync: v6+ Sync and v4/v5 action, progression, dedup, stall, stop, POST counter', async () => {
  sim.resetStats();
  const repo = sim.vb365Data.repositories()[0].id;
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const r1 = await s.post(`BackupRepositories/${repo}/Sync`);
  assert.equal(r1.status, 200);
  const ss = r1.json<{ id: string; state: string; progressPercent: number; error: null }>();
  assert.equal(ss.state, 'Synchronizing');
  assert.equal(ss.error, null);
  const again = (await s.post(`BackupRepositories/${repo}/Sync`)).json<{ id: string }>();
  assert.equal(again.id, ss.id, 'a running sync is returned, not restarted');
  assert.equal(sim.stats.posts[`/v8/BackupRepositories/${repo}/Sync`], 2);
  assert.ok(sim.stats.totalPosts >= 3);
  await sleep(300);
  const mid = (await s.get(`RepositorySynchronizeSessions/${ss.id}`)).json<{ state: string; progressPercent: number }>();
  assert.ok(mid.progressPercent > 0 && mid.progressPercent < 100, String(mid.progressPercent));
  await sleep(400);
  const end = (await s.get(`RepositorySynchronizeSessions/${ss.id}`)).json<{ state: string; progressPercent: number }>();
  assert.deepEqual([end.state, end.progressPercent], ['None', 100]);
  const list = (await s.get('RepositorySynchronizeSessions')).json<unknown[]>();
  assert.ok(Array.isArray(list) && list.length >= 1);
  const repo2 = sim.vb365Data.repositories()[1].id;
  sim.vb365Data.stallSync(repo2);
  const st = (await s.post(`BackupRepositories/${repo2}/Sync`)).json<{ id: string }>();
  await sleep(800);
  assert.equal((await s.get(`RepositorySynchronizeSessions/${st.id}`)).json<{ state: string }>().state, 'Synchronizing');
  assert.equal((await s.post(`RepositorySynchronizeSessions/${st.id}/StopSynchronize`)).status, 204);
  assert.equal((await s.get(`RepositorySynchronizeSessions/${st.id}`)).json<{ state: string }>().state, 'None');
  const s5 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v5');
  const r5 = await s5.post(`BackupRepositories/${sim.vb365Data.repositories()[2].id}/action`, '{"sync":null}');
  assert.equal(r5.status, 200);
  assert.equal(r5.json<{ state: string }>().state, 'Synchronizing');
  assert.equal((await s5.post(`BackupRepositories/${repo}/Sync`)).status, 404, 'no /Sync before v6');
});

test('job start per version and the new session running to Success', async () => {
  const jobs = sim.vb365Data.jobs();
  const s8 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const r8 = await s8.post(`Jobs/${jobs[2].id}/start`);
  assert.equal(r8.status, 200);
  const js = r8.json<{ id: string; status: string; progress: number }>();
  assert.equal(js.status, 'Running');
  const s7 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v7');
  assert.equal((await s7.post(`Jobs/${jobs[3].id}/start`)).status, 204);
  const newest = (await s7.get(`JobSessions?jobId=${jobs[3].id}&limit=1`)).json<Page>().results[0];
  assert.equal(newest.status, 'Running');
  const s4 = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v4');
  const r4 = await s4.post(`Jobs/${jobs[0].id}/action`, '{"start":null}');
  assert.equal(r4.status, 200);
  assert.equal(r4.text, '');
  assert.equal((await s8.post(`Jobs/${jobs[5].id}/start`)).status, 400, 'disabled job');
  await sleep(350);
  const mid = (await s8.get(`JobSessions/${js.id}`)).json<{ status: string; progress: number }>();
  assert.equal(mid.status, 'Running');
  await sleep(450);
  const done = (await s8.get(`JobSessions/${js.id}`)).json<{ status: string; progress: number; endTime: string }>();
  assert.equal(done.status, 'Success');
  assert.ok(done.progress >= mid.progress && done.endTime);
  assert.equal((await s8.get(`Jobs/${jobs[2].id}`)).json<{ lastStatus: string }>().lastStatus, 'Success');
});

test('faults: every kind is observable', async () => {
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const ca = sim.certificate.pem;
  const get = (p: string, timeoutMs?: number) => request(url(`/v8/${p}`), { ca, timeoutMs, headers: { Authorization: `Bearer ${s.token}` } });
  const normal = await get('Jobs');

  sim.addFault({ kind: 'status', status: 503, path: '/v8/Jobs', times: 1 });
  const st = await get('Jobs');
  assert.equal(st.status, 503);
  assert.equal(typeof st.json<{ message: string; errorCode: string }>().errorCode, 'string');
  assert.equal((await get('Jobs')).status, 200, 'times:1 removes the rule');

  sim.addFault({ kind: 'status-empty', status: 500, times: 1 });
  const se = await get('Jobs');
  assert.deepEqual([se.status, se.text], [500, '']);

  sim.addFault({ kind: 'retry-after', retryAfterSeconds: 7, times: 1 });
  const ra = await get('Jobs');
  assert.deepEqual([ra.status, ra.headers['retry-after']], [429, '7']);

  sim.addFault({ kind: 'html', times: 1 });
  const h = await get('Jobs');
  assert.equal(h.status, 502);
  assert.match(String(h.headers['content-type']), /text\/html/);

  sim.addFault({ kind: 'malformed', times: 1, method: 'GET' });
  const m = await get('Jobs');
  assert.equal(m.status, 200);
  assert.throws(() => JSON.parse(m.text));

  sim.addFault({ kind: 'truncated', times: 1 });
  const tr = await get('Jobs');
  assert.equal(tr.status, 200);
  assert.equal(tr.text.length, Math.floor(normal.text.length / 2));
  assert.throws(() => JSON.parse(tr.text));

  sim.addFault({ kind: 'huge', times: 1 });
  const hg = await get('Jobs');
  assert.ok(hg.text.length >= 10 * 1024 * 1024);
  assert.ok(Array.isArray(hg.json<Page>().results));

  sim.addFault({ kind: 'wrong-content-type', times: 1 });
  const wc = await get('Jobs');
  assert.match(String(wc.headers['content-type']), /text\/plain/);
  assert.deepEqual(wc.json<Page>().results.length, normal.json<Page>().results.length);

  sim.addFault({ kind: 'delay', delayMs: 300, times: 1 });
  const t0 = Date.now();
  assert.equal((await get('Jobs')).status, 200);
  assert.ok(Date.now() - t0 >= 290);

  sim.addFault({ kind: 'reset', times: 1 });
  await assert.rejects(get('Jobs'));

  sim.addFault({ kind: 'hang', times: 1 });
  await assert.rejects(get('Jobs', 300), /timeout/);

  sim.addFault({ kind: 'status', status: 500, server: 'em' });
  assert.equal((await get('Jobs')).status, 200, 'server filter');
  sim.addFault({ kind: 'status', status: 500, path: /Organizations$/, method: 'GET' });
  assert.equal((await get('Organizations')).status, 500);
  assert.equal((await get('Jobs')).status, 200);
  sim.clearFaults();
  assert.equal((await get('Organizations')).status, 200);

  sim.setLatency(200);
  const t1 = Date.now();
  await get('Jobs');
  assert.ok(Date.now() - t1 >= 190);
  sim.setLatency(0);
});

test('stats log records headers and bodies', async () => {
  sim.resetStats();
  await post('/v8/token', 'grant_type=password&username=x&password=y&disable_antiforgery_token=true');
  assert.equal(sim.stats.requests, 1);
  const rec = sim.stats.log[0];
  assert.deepEqual([rec.server, rec.method, rec.path, rec.status], ['vb365', 'POST', '/v8/token', 400]);
  assert.match(rec.body, /grant_type=password/);
  assert.equal(rec.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('stop/start keeps ports and state; EM listener answers', async () => {
  const s = await vb365Session(sim.vb365.url, sim.certificate.pem, 'v8');
  const port = sim.vb365.port;
  const repo = sim.vb365Data.repositories()[2].id;
  const sync = (await s.post(`BackupRepositories/${repo}/Sync`)).json<{ id: string }>();
  await sim.stop();
  await assert.rejects(request(url('/v8/Jobs'), { ca: sim.certificate.pem }));
  await sim.start();
  assert.equal(sim.vb365.port, port);
  assert.equal((await s.get(`RepositorySynchronizeSessions/${sync.id}`)).status, 200, 'token and sync survive');
  const em = await request(`${sim.em.url}/api/`, { ca: sim.certificate.pem });
  assert.ok(em.status > 0);
});

test('certificates: modes and rotation', async () => {
  const fp = sim.certificate.fingerprint256;
  assert.match(fp, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const served = await new Promise<string>((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port: sim.vb365.port, rejectUnauthorized: false }, () => {
      resolve(sock.getPeerX509Certificate()?.fingerprint256 ?? ''); sock.end();
    });
    sock.on('error', reject);
  });
  assert.equal(served, fp);
  await sim.rotateCertificate();
  assert.notEqual(sim.certificate.fingerprint256, fp);
  assert.equal((await request(url('/v8/ServiceInstance'), { ca: sim.certificate.pem })).status, 401, 'new cert is served');

  const self = new crypto.X509Certificate(sim.certificate.pem);
  assert.match(self.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.equal(sim.caPem, undefined);

  await sim.rotateCertificate('expired');
  assert.ok(Date.parse(sim.certificate.validTo) < Date.now());
  await assert.rejects(request(url('/v8/ServiceInstance'), { ca: sim.testCaPem }), /expired/i);

  await sim.rotateCertificate('wrong-host');
  const wrong = new crypto.X509Certificate(sim.certificate.pem);
  assert.equal(wrong.subjectAltName, 'DNS:wrong.example.invalid');
  assert.equal(wrong.checkHost('localhost'), undefined);
  await assert.rejects(request(url('/v8/ServiceInstance'), { ca: sim.testCaPem }), /altname|does not match|IP/i);

  await sim.rotateCertificate('ca-signed');
  assert.ok(sim.caPem);
  const leaf = new crypto.X509Certificate(sim.certificate.pem);
  assert.ok(leaf.verify(new crypto.X509Certificate(sim.caPem).publicKey));
  assert.equal((await request(url('/v8/ServiceInstance'), { ca: sim.caPem })).status, 401);
  await sim.rotateCertificate('self-signed');
});

test('same seed gives the same data', async () => {
  const other = await startSimulator({ seed: 7, vb365: { sessionsPerJob: 40 } });
  try {
    assert.deepEqual(other.vb365Data.jobs(), sim.vb365Data.jobs());
    assert.deepEqual(other.vb365Data.repositories(), sim.vb365Data.repositories());
  } finally { await other.close(); }
  const diff = await startSimulator({ seed: 8 });
  try { assert.notDeepEqual(diff.vb365Data.jobs(), sim.vb365Data.jobs()); } finally { await diff.close(); }
});
