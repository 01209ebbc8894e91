// The EM client against the simulator over HTTPS (pinned self-signed certificate).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { VeeamError } from '../../src/api/errors';
import type { ClientDeps, Entity, RequestLogEntry, ServerClient, ServerDefinition } from '../../src/api/model';
import { detailsOf } from '../../src/api/model';
import { EmClient, EmClientOptions, emKind } from '../../src/api/em';
import { reindent } from '../../src/api/em/xml';
import { settledPage } from './helpers';
import type { EmOptions, Simulator } from '../simulator/types';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/index') as { startSimulator(o: object): Promise<Simulator> };

const PASSWORD = 'Veeam123!';
const logs: RequestLogEntry[] = [];
const errors: string[] = [];
const sims: Simulator[] = [];
let sim: Simulator;

async function newSim(em: EmOptions): Promise<Simulator> {
  const s = await startSimulator({ em });
  sims.push(s);
  return s;
}

function client(s: Simulator, o: { password?: string | null; pageSize?: number; apiVersion?: string; username?: string } & EmClientOptions = {}): EmClient {
  const def: ServerDefinition = { name: 'em', kind: 'em', url: s.em.url, username: o.username ?? 'LAB\\administrator',
    trustedCertificate: s.certificate.fingerprint256, apiVersion: o.apiVersion };
  const deps: ClientDeps = {
    credentials: { password: async () => (o.password === null ? undefined : o.password ?? PASSWORD) },
    log: (e) => logs.push(e),
    http: { timeoutMs: 10_000, connectTimeoutMs: 5_000, pageSize: o.pageSize ?? 25 },
  };
  return new EmClient(def, deps, { pollMs: 100, wire: o.wire });
}

async function rejects(p: Promise<unknown>, kind: string, re?: RegExp): Promise<VeeamError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof VeeamError, String(e));
    errors.push(e.message);
    assert.equal(e.kind, kind, e.message);
    if (re) { assert.match(e.message, re); }
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

async function all(c: ServerClient, parent: Entity | undefined, filter?: Parameters<ServerClient['children']>[3]): Promise<Entity[]> {
  const out: Entity[] = [];
  let cursor: string | undefined;
  do {
    const p = await settledPage(c, parent, cursor, undefined, filter);
    out.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return out;
}

const logons = (s: Simulator) => s.stats.log.filter((r) => r.method === 'POST' && r.path.startsWith('/api/sessionMngr')).length;
const byName = (items: Entity[], name: string) => { const e = items.find((i) => i.name.startsWith(name)); assert.ok(e, `${name} in ${items.map((i) => i.name)}`); return e; };

before(async () => { sim = await newSim({ sessionsPerJob: 40, jobDurationMs: 1500 }); });
after(async () => {
  // No request log entry or error message may carry the password or a session token.
  const tokens = new Set<string>();
  for (const s of sims) {
    for (const r of s.stats.log) { const t = r.headers['x-restsvcsessionid']; if (typeof t === 'string' && t) { tokens.add(t); } }
  }
  assert.ok(tokens.size > 0);
  const texts = [...logs.map((l) => JSON.stringify(l)), ...errors];
  for (const t of texts) {
    assert.ok(!t.includes(PASSWORD), `password leaked: ${t}`);
    for (const tok of tokens) { assert.ok(!t.includes(tok), `token leaked: ${t}`); }
  }
  for (const s of sims) { await s.close(); }
});

test('kind metadata', () => {
  assert.equal(emKind.id, 'em');
  assert.equal(emKind.defaultPort, 9398);
  assert.equal(emKind.label, 'Veeam Backup Enterprise Manager');
});

test('tree: root folders, servers, jobs, repositories, sessions (newest first, paged), task sessions', async () => {
  const c = client(sim, { pageSize: 15 });
  try {
    const root = await all(c, undefined);
    assert.deepEqual(root.map((r) => r.name), ['Backup Servers', 'Replica Sessions (last 30 days)', 'Backup Sessions']);
    assert.deepEqual(root.map((r) => r.actions.includes('filter')), [false, true, true]);
    const servers = await all(c, root[0]);
    assert.equal(servers.length, 2);
    const vbr01 = byName(servers, 'vbr01');
    assert.equal(vbr01.type, 'backupServer');
    assert.match(vbr01.id!, /^urn:veeam:BackupServer:/);
    assert.match(vbr01.description!, /^v12\.\d+.* · port 9392$/);
    const [jobsF, reposF] = await all(c, vbr01);
    assert.deepEqual([jobsF.name, reposF.name], ['Jobs', 'Repositories']);
    assert.notEqual(jobsF.key, (await all(c, byName(servers, 'vbr02')))[0].key, 'folder keys are unique per server');
    const jobs = await all(c, jobsF);
    assert.ok(jobs.length >= 5);
    const exch = byName(jobs, 'Exchange Backup');
    assert.ok(exch.actions.includes('startJob'));
    // The job shows its last session: the reason when it failed or warned, else the job type stays in view.
    assert.match(exch.description!, /Backup · VMware|^(Failed|Warning) · \d+ (min|h|d) ago · \S/);
    assert.ok(detailsOf(exch).some((d) => d.label === 'Type' && d.value === 'Backup'));
    const repos = await all(c, reposF);
    assert.ok(repos.length >= 2);
    assert.match(repos[0].description!, / free of /);
    assert.ok(detailsOf(repos[0]).some((d) => d.label === 'Kind') === false, 'XML has no Kind (2017 XSD)');

    const first = await c.children(exch, undefined);
    assert.equal(first.items.length, 15);
    assert.equal(first.next, '2');
    const sessions = await all(c, exch);
    assert.equal(sessions.length, 40);
    const starts = sessions.map((s) => Date.parse(s.startedAt!));
    assert.deepEqual(starts, [...starts].sort((a, b) => b - a), 'newest first');
    assert.equal(new Set(sessions.map((s) => s.key)).size, 40);
    const done = sessions.find((s) => s.status === 'failed') ?? sessions[1];
    assert.match(done.description!, /^(Success|Warning|Failed) · \d+ (min|h|d) ago( · [^·]+)?$/);
    const labels = detailsOf(done).map((d) => d.label);
    for (const l of ['Start', 'End', 'Duration', 'State', 'Result', 'Progress']) { assert.ok(labels.includes(l), l); }
    const tasks = await all(c, done);
    assert.ok(tasks.length >= 3 && tasks.length <= 8);
    assert.equal(tasks[0].type, 'taskSession');
    assert.ok(detailsOf(tasks[0]).some((d) => d.label === 'Total size'));

    const sql = byName(jobs, 'SQL Backup');         // seeded running
    const running = (await c.children(sql, undefined)).items[0];
    assert.equal(running.status, 'running');
    assert.match(running.description!, /^Running \d+%$/);
    assert.equal(running.endedAt, undefined);
    const runningTasks = await all(c, running);
    assert.ok(runningTasks.some((t) => t.status === 'running' || t.status === 'queued'));
  } finally { await c.dispose(); }
});

test('a page of jobs costs one request and shows at once; later adds their last runs, one query per session type', async () => {
  const c = client(sim, { pageSize: 50 });
  try {
    const [serversF] = (await c.children(undefined, undefined)).items;
    const vbr01 = byName((await c.children(serversF, undefined)).items, 'vbr01');
    const [jobsF] = (await c.children(vbr01, undefined)).items;
    const n0 = sim.stats.log.length;
    const page = await c.children(jobsF, undefined);
    assert.deepEqual(sim.stats.log.slice(n0).map((r) => r.path.split('&')[0]), ['/api/query?type=Job'], 'the jobs: one request');
    const sqlBefore = byName(page.items, 'SQL Backup');
    assert.equal(sqlBefore.status, undefined, 'no last run before later');
    assert.ok(!sqlBefore.actions.includes('stopJob'));
    assert.match(sqlBefore.description!, /^Backup · VMware/);
    assert.ok(page.later, 'the jobs page has a later');

    const n1 = sim.stats.log.length;
    const later = await page.later!();
    const paths = sim.stats.log.slice(n1).map((r) => decodeURIComponent(r.path));
    // The simulator's jobs run daily: one query of the last 7 days per session type finds them all.
    assert.deepEqual(paths.map((p) => p.split('&')[0]).sort(), ['/api/query?type=BackupJobSession', '/api/query?type=ReplicaJobSession']);
    assert.ok(paths.every((p) => /BackupServerUid==/.test(p) && /CreationTime>=/.test(p)), paths.join('\n'));
    assert.deepEqual(later.map((e) => e.key), page.items.map((e) => e.key), 'same jobs, same keys, same order');
    const sql = byName(later, 'SQL Backup');        // seeded running
    assert.equal(sql.status, 'running');
    assert.ok(sql.actions.includes('stopJob'));
    assert.match(sql.description!, /^Running \d+%/);
    assert.ok(later.filter((j) => j.status && j.status !== 'running').length >= 3, 'finished jobs show their result');

    // Cancelled with the listing's signal (a refresh): it rejects as cancelled and sends nothing more.
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(page.later!(ac.signal), (e: unknown) => e instanceof VeeamError && e.kind === 'cancelled');
  } finally { await c.dispose(); }
});

test('single-element lists and page-by-page cursors (pageSize 1)', async () => {
  const c = client(sim, { pageSize: 1 });
  try {
    const [serversF] = (await c.children(undefined, undefined)).items;
    const p1 = await c.children(serversF, undefined);
    assert.equal(p1.items.length, 1);
    assert.equal(p1.next, '2');
    const p2 = await c.children(serversF, '2');
    assert.equal(p2.items.length, 1);
    assert.equal(p2.next, undefined);
    assert.notEqual(p1.items[0].key, p2.items[0].key);
    const repos = await all(c, (await c.children(p1.items[0], undefined)).items[1]);
    assert.ok(repos.length >= 2);
  } finally { await c.dispose(); }
});

test('session filters: result, name, since/until; replica sessions only from the last 30 days', async () => {
  const c = client(sim, { pageSize: 50 });
  try {
    const [, replicaF, backupF] = (await c.children(undefined, undefined)).items;
    const failed = await all(c, backupF, { result: 'Failed' });
    assert.ok(failed.length > 0);
    assert.ok(failed.every((s) => s.status === 'failed'));
    const sql = await all(c, backupF, { name: 'SQL Backup' });
    assert.equal(sql.length, 40);
    assert.ok(sql.every((s) => s.name.startsWith('SQL Backup')));
    const since = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const until = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const window = await all(c, backupF, { since, until, name: 'Web Farm "Prod" Backup' });
    assert.ok(window.length > 0);
    assert.ok(window.every((s) => s.startedAt! >= since && s.startedAt! <= until));
    const replicas = await all(c, replicaF);
    assert.ok(replicas.length > 0);
    assert.ok(replicas.every((s) => s.type === 'replicaSession' && Date.parse(s.startedAt!) >= Date.now() - 30 * 86_400_000 - 60_000));
    const tasks = await all(c, replicas[replicas.length - 1]);
    const vm = tasks[0].name;
    assert.deepEqual((await all(c, replicas[replicas.length - 1], { name: vm })).map((t) => t.name), [vm]);
  } finally { await c.dispose(); }
});

test('refresh, documents as XML (re-indented, never re-serialized) and JSON (BOM stripped); the JSON wire gives the same tree', async () => {
  const c = client(sim);
  const cj = client(sim, { wire: 'json' });
  try {
    const servers = await all(c, (await c.children(undefined, undefined)).items[0]);
    const jobs = await all(c, (await c.children(servers[0], undefined)).items[0]);
    const jobsJson = await all(cj, (await cj.children((await all(cj, (await cj.children(undefined, undefined)).items[0]))[0], undefined)).items[0]);
    assert.deepEqual(jobsJson.map((j) => [j.key, j.name, j.description]), jobs.map((j) => [j.key, j.name, j.description]));
    const session = (await c.children(jobs[0], undefined)).items[0];
    const sessionJson = (await cj.children(jobs[0], undefined)).items[0];
    assert.deepEqual({ ...sessionJson, description: '', details: [] }, { ...session, description: '', details: [] });
    const again = await c.refresh(session);
    assert.equal(again.key, session.key);
    assert.equal(again.startedAt, session.startedAt);
    assert.equal((await cj.refresh(session)).key, session.key);

    const xml = await c.document(jobs[0], 'xml');
    assert.equal(xml.contentType, 'xml');
    assert.match(xml.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<Job xmlns="http:\/\/www.veeam.com\/ent\/v1.0"/);
    assert.match(xml.text, /\n  <Links>\n    <Link Rel="Up"/);
    assert.match(xml.text, /\n  <JobType>Backup<\/JobType>\n/);
    assert.doesNotMatch(xml.text, /<\?xml[^>]*\?>\n?<\?xml/, 'one declaration, as sent');
    const json = await c.document(session, 'json');
    assert.equal(json.contentType, 'json');
    assert.notEqual(json.text.charCodeAt(0), 0xfeff);
    const parsed = JSON.parse(json.text);
    assert.equal(parsed.UID, session.id);
    assert.ok('CreationTimeUTC' in parsed && Array.isArray(parsed.Links));
    await rejects(c.document((await c.children(undefined, undefined)).items[0], 'xml'), 'config');
  } finally { await c.dispose(); await cj.dispose(); }
});

test('reindent only re-indents, keeps text and entities as sent, leaves multi-line documents alone', () => {
  const one = '<?xml version="1.0"?>\n<A x="1&amp;2"><B>t &amp; u</B><C/><D><E>1</E></D></A>';
  assert.equal(reindent(one), '<?xml version="1.0"?>\n<A x="1&amp;2">\n  <B>t &amp; u</B>\n  <C/>\n  <D>\n    <E>1</E>\n  </D>\n</A>');
  const multi = '<A>\n  <B/>\n</A>';
  assert.equal(reindent(multi), multi);
});

test('Task flow: start, messages, the new running session, refresh until it ends; starting a running job fails', async () => {
  const c = client(sim);
  try {
    const servers = await all(c, (await c.children(undefined, undefined)).items[0]);
    const jobs = await all(c, (await c.children(byName(servers, 'vbr01'), undefined)).items[0]);
    const job = byName(jobs, 'Oracle Backup');
    const before = sim.stats.posts;
    const postsBefore = Object.values(before).reduce((a, b) => a + b, 0);
    const messages: string[] = [];
    const session = await c.startJob(job, undefined, (m) => messages.push(m));
    assert.ok(messages.some((m) => m === 'Job "Oracle Backup" triggered to start.'), messages.join(' | '));
    assert.equal(session.status, 'running');
    assert.equal(session.type, 'backupSession');
    assert.match(session.name, /^Oracle Backup · /);
    assert.ok(Date.now() - Date.parse(session.startedAt!) < 10_000);
    const starts = sim.stats.log.filter((r) => r.method === 'POST' && r.path.includes('action=start'));
    assert.equal(starts.length, 1, 'the start is POSTed once');
    assert.ok(sim.stats.totalPosts - postsBefore >= 1);
    const tasks = sim.stats.log.filter((r) => r.method === 'GET' && r.path.startsWith('/api/tasks/'));
    assert.ok(tasks.length >= 1);

    const failed = await rejects(c.startJob(job, undefined, (m) => messages.push(m)), 'http', /already running/);
    assert.match(failed.extra.serverMessage ?? '', /already running/);

    let cur = session;
    for (let i = 0; i < 40 && cur.status === 'running'; i++) { await new Promise((r) => setTimeout(r, 150)); cur = await c.refresh(cur); }
    assert.equal(cur.status, 'success');
    assert.equal(cur.key, session.key);
    assert.match(cur.description!, /^Success · just now$/);
    await rejects(c.startJob(servers[0]), 'config');
  } finally { await c.dispose(); }
});

test('cancelling a start while the task runs', async () => {
  const c = client(sim);
  try {
    const jobs = await all(c, (await c.children((await all(c, (await c.children(undefined, undefined)).items[0]))[0], undefined)).items[0]);
    const ac = new AbortController();
    const p = c.startJob(byName(jobs, 'CRM Backup'), ac.signal, () => ac.abort());
    await rejects(p, 'cancelled');
  } finally { await c.dispose(); }
});

test('idle expiry: a GET after the session expired logs on again once and repeats', async () => {
  const s = await newSim({ idleTimeoutSeconds: 1, sessionsPerJob: 5 });
  const c = client(s);
  try {
    const [serversF] = (await c.children(undefined, undefined)).items;
    assert.equal((await c.children(serversF, undefined)).items.length, 2);
    assert.equal(logons(s), 1);
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal((await c.children(serversF, undefined)).items.length, 2);
    assert.equal(logons(s), 2);
    assert.ok(s.stats.log.some((r) => r.status === 401 && r.path.startsWith('/api/query')));
    // Many requests waiting on one expired session share one logon.
    s.expireTokens();
    const pages = await Promise.all(Array.from({ length: 6 }, () => c.children(serversF, undefined)));
    assert.ok(pages.every((p) => p.items.length === 2));
    assert.equal(logons(s), 3);
  } finally { await c.dispose(); }
});

test('auth errors: bad password (server message), no stored password, pinned unsupported version', async () => {
  const bad = client(sim, { password: 'wrong-password' });
  const e = await rejects(bad.children((await bad.children(undefined, undefined)).items[0], undefined), 'auth', /Invalid user name or password/);
  assert.equal(e.status, 401);
  assert.ok(!e.message.includes('wrong-password'));
  await bad.dispose();
  const none = client(sim, { password: null });
  await rejects(none.children((await none.children(undefined, undefined)).items[0], undefined), 'auth', /No password stored for LAB\\administrator/);
  await none.dispose();
  const pinned = client(sim, { apiVersion: 'v9_9' });
  await rejects(pinned.children((await pinned.children(undefined, undefined)).items[0], undefined), 'config', /v1_5, v1_6, v1_7/);
  await pinned.dispose();
  const v16 = client(sim, { apiVersion: 'v1_6' });
  assert.equal((await all(v16, (await v16.children(undefined, undefined)).items[0])).length, 2);
  assert.ok(sim.stats.log.some((r) => r.path === '/api/sessionMngr/?v=v1_6'));
  await v16.dispose();
});

test('HTTP errors carry the <Error Message>; HTML from a proxy; malformed and truncated XML name the path', async () => {
  const c = client(sim);
  try {
    const servers = await all(c, (await c.children(undefined, undefined)).items[0]);
    const gone = { ...servers[0], ref: { ...servers[0].ref, href: servers[0].ref.href.replace(/[0-9a-f-]{36}/, '00000000-0000-0000-0000-000000000000') } };
    const e = await rejects(c.refresh(gone), 'http', /^BackupServer with id 0{8}-.* was not found\. \(HTTP 404\)$/);
    assert.equal(e.status, 404);
    assert.match(e.extra.serverMessage!, /was not found/);
    sim.addFault({ kind: 'html', server: 'em', status: 500, path: '/api/backupServers/', times: 1 });
    await rejects(c.refresh(servers[0]), 'http', /HTML page/);
    sim.addFault({ kind: 'malformed', server: 'em', path: '/api/backupServers/', times: 1 });
    await rejects(c.refresh(servers[0]), 'malformed', /\/api\/backupServers\//);
    sim.addFault({ kind: 'truncated', server: 'em', path: '/api/query', times: 1 });
    await rejects(c.children((await c.children(undefined, undefined)).items[0], undefined), 'malformed', /\/api\/query\?type=BackupServer/);
    sim.addFault({ kind: 'status', server: 'em', status: 403, path: '/api/query', times: 1 });
    await rejects(c.children((await c.children(undefined, undefined)).items[0], undefined), 'http', /\(HTTP 403\)/);
    assert.equal((await c.refresh(servers[0])).key, servers[0].key, 'works again after the faults');
  } finally { sim.clearFaults(); await c.dispose(); }
});

test('dispose logs off (DELETE /api/logonSessions/{SessionId}) and later calls fail', async () => {
  const c = client(sim);
  await c.children((await c.children(undefined, undefined)).items[0], undefined);
  const logonRec = [...sim.stats.log].reverse().find((r) => r.path.startsWith('/api/sessionMngr'))!;
  await c.dispose();
  const del = [...sim.stats.log].reverse().find((r) => r.method === 'DELETE');
  assert.ok(del, 'a DELETE was sent');
  assert.match(del.path, /^\/api\/logonSessions\/[0-9a-f-]{36}$/);
  assert.equal(del.status, 204);
  assert.ok(!del.path.includes(String(logonRec.headers['x-restsvcsessionid'] ?? 'none')));
  await rejects(c.children((await c.children(undefined, undefined)).items[0], undefined), 'cancelled');
  await c.dispose();
});
