// Faults against the VB365 client (v8) over real HTTPS: slow, hanging and resetting servers,
// 5xx with and without RESTExceptionInfo, 429, proxy HTML, broken bodies, 10 MB, a server that
// goes away mid-watch, a sync that never ends, a session that vanishes, POSTs under fire and
// cancellation. Every failure must be a specific VeeamError; no secret may show up anywhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { Entity, RequestLogEntry, ServerClient } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { makeClient, postsTo, until, expectFailure, harvestSecrets } from './helpers';

const FAST = { timeoutMs: 800, connectTimeoutMs: 500 };
const messages: string[] = [];
const logs: RequestLogEntry[][] = [];

const failure = (p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp) => expectFailure(messages, p, kind, re);

const secrets = harvestSecrets;

const gets = (sim: SimulatorExt, re: RegExp) => sim.stats.log.filter((r) => r.method === 'GET' && re.test(r.path));
const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t = Date.now(); const v = await fn(); return [v, Date.now() - t]; };

describe('VB365 client under faults (v8)', () => {
  let sim: SimulatorExt;
  let client: ServerClient;
  let f: Record<string, Entity>;
  let repo: Entity;
  const seen = new Set<string>();
  const host = () => `127.0.0.1:${sim.vb365.port}`;

  before(async () => {
    sim = await startSimulator({ vb365: { syncDurationMs: 1200, jobDurationMs: 1500, sessionsPerJob: 8 } });
    const t = makeClient(sim, 'vb365', {}, FAST);
    logs.push(t.log);
    client = t.client;
    f = Object.fromEntries((await client.children(undefined, undefined)).items.map((e) => [e.ref.folder, e]));
    repo = (await client.children(f.repos, undefined)).items.find((r) => r.name === 'Local Repo')!;
  });
  after(async () => {
    await client.dispose();
    secrets(sim, seen);
    await sim.close();
    assert.ok(seen.size >= 3, 'secrets were collected');
    const texts = [...messages, ...logs.flat().map((l) => JSON.stringify(l))];
    const found = texts.filter((t) => [...seen].some((s) => s && t.includes(s)));
    assert.deepEqual(found, [], 'no password, token or refresh token in any message or log entry');
  });
  const clear = () => { sim.clearFaults(); secrets(sim, seen); sim.resetStats(); };

  test('a response slower than the timeout: kind timeout naming host and seconds, not retried', async () => {
    clear();
    sim.addFault({ kind: 'delay', server: 'vb365', method: 'GET', path: '/v8/Jobs', delayMs: 2500 });
    const [err, ms] = await elapsed(() => failure(client.children(f.jobs, undefined), 'timeout'));
    assert.match(err.message, new RegExp(`^${host().replace(/\./g, '\\.')} did not answer within 0\\.8 s\\.$`));
    assert.equal(err.extra.path?.split('?')[0], '/v8/Jobs');
    assert.equal(gets(sim, /^\/v8\/Jobs/).length, 1, 'a response timeout is not retried (3 × the timeout would make the message a lie)');
    assert.ok(ms < 1600, `failed after ${ms} ms`);
  });

  test('a server that never answers (hang) times out the same way', async () => {
    clear();
    sim.addFault({ kind: 'hang', server: 'vb365', method: 'GET', path: '/v8/Organizations' });
    await failure(client.children(f.orgs, undefined), 'timeout', /did not answer within 0\.8 s/);
    sim.clearFaults();
    assert.equal((await client.children(f.orgs, undefined)).items.length, 2, 'works again');
  });

  test('connection reset mid-body: one reset is retried and recovers; a persistent one is a clear network error', async () => {
    clear();
    sim.addFault({ kind: 'reset', server: 'vb365', method: 'GET', path: '/v8/Jobs', times: 1 });
    assert.equal((await client.children(f.jobs, undefined)).items.length, 6);
    assert.equal(gets(sim, /^\/v8\/Jobs/).length, 2, 'one retry');
    clear();
    sim.addFault({ kind: 'reset', server: 'vb365', method: 'GET', path: '/v8/Jobs' });
    const err = await failure(client.children(f.jobs, undefined), 'network', /closed the connection unexpectedly/);
    assert.ok(err.message.includes(host()));
    const tries = gets(sim, /^\/v8\/Jobs/);
    assert.equal(tries.length, 3, 'two retries, no more');
    const gaps = [tries[1].at - tries[0].at, tries[2].at - tries[1].at];
    assert.ok(gaps[0] >= 250 && gaps[1] >= 550 && gaps[1] > gaps[0], `exponential back-off, gaps ${gaps}`);
  });

  test('502/503/504 are retried and recover; 500 is not; the server\'s own message surfaces', async () => {
    for (const status of [502, 503, 504]) {
      clear();
      sim.addFault({ kind: 'status', server: 'vb365', method: 'GET', path: '/v8/Organizations', status, times: 1 });
      assert.equal((await client.children(f.orgs, undefined)).items.length, 2, `recovers from one ${status}`);
      assert.equal(gets(sim, /^\/v8\/Organizations/).length, 2);
    }
    clear();
    sim.addFault({ kind: 'status', server: 'vb365', method: 'GET', path: '/v8/Organizations', status: 503 });
    const e503 = await failure(client.children(f.orgs, undefined), 'http', /^Simulated failure \(HTTP 503\)\./);
    assert.equal(e503.status, 503);
    assert.equal(e503.extra.serverMessage, 'Simulated failure (HTTP 503).');
    assert.equal(gets(sim, /^\/v8\/Organizations/).length, 3);
    clear();
    sim.addFault({ kind: 'status', server: 'vb365', method: 'GET', path: '/v8/Organizations', status: 500 });
    const e500 = await failure(client.children(f.orgs, undefined), 'http', /Simulated failure \(HTTP 500\)/);
    assert.equal(e500.status, 500);
    assert.equal(gets(sim, /^\/v8\/Organizations/).length, 1, '500 is not retried');
    clear();
    sim.addFault({ kind: 'status-empty', server: 'vb365', method: 'GET', path: '/v8/Organizations', status: 500 });
    await failure(client.children(f.orgs, undefined), 'http', /HTTP 500.*\/v8\/Organizations/);
    clear();
    sim.addFault({ kind: 'status-empty', server: 'vb365', method: 'GET', path: '/v8/Organizations', status: 502 });
    await failure(client.children(f.orgs, undefined), 'http', /HTTP 502.*\/v8\/Organizations/);
    assert.equal(gets(sim, /^\/v8\/Organizations/).length, 3);
  });

  test('429 with Retry-After: the GET waits about that long and succeeds; beyond the cap it fails at once', async (t) => {
    clear();
    sim.addFault({ kind: 'retry-after', server: 'vb365', method: 'GET', path: '/v8/Organizations', retryAfterSeconds: 1, times: 1 });
    const [page, ms] = await elapsed(() => client.children(f.orgs, undefined));
    assert.equal(page.items.length, 2);
    const tries = gets(sim, /^\/v8\/Organizations/);
    assert.equal(tries.length, 2);
    const waited = tries[1].at - tries[0].at;
    assert.ok(waited >= 950 && waited < 1600, `waited ${waited} ms for Retry-After: 1`);
    t.diagnostic(`429 Retry-After 1 s: waited ${waited} ms, call took ${ms} ms`);
    clear();
    sim.addFault({ kind: 'retry-after', server: 'vb365', method: 'GET', path: '/v8/Organizations', retryAfterSeconds: 120 });
    const [err, ms2] = await elapsed(() => failure(client.children(f.orgs, undefined), 'http', /busy.*120 s/i));
    assert.equal(err.status, 429);
    assert.equal(err.extra.retryAfterSeconds, 120);
    assert.ok(ms2 < 500, `a Retry-After beyond the cap is not waited for (${ms2} ms)`);
    assert.equal(gets(sim, /^\/v8\/Organizations/).length, 1);
  });

  test('HTML from a proxy: the message says HTML page and gives its title', async () => {
    clear();
    sim.addFault({ kind: 'html', server: 'vb365', method: 'GET', path: '/v8/Jobs', status: 502 });
    const err = await failure(client.children(f.jobs, undefined), 'http', /HTTP 502: .*HTML page "502 Bad Gateway"/);
    assert.equal(err.status, 502);
    assert.equal(gets(sim, /^\/v8\/Jobs/).length, 3, '502 from a proxy is retried');
    clear();
    sim.addFault({ kind: 'html', server: 'vb365', method: 'GET', path: '/v8/Jobs', status: 200, times: 1 });
    await failure(client.children(f.jobs, undefined), 'malformed', /HTML page/);
  });

  test('malformed and truncated JSON are malformed errors that name the path', async () => {
    for (const kind of ['malformed', 'truncated'] as const) {
      clear();
      sim.addFault({ kind, server: 'vb365', method: 'GET', path: '/v8/BackupRepositories', times: 1 });
      const err = await failure(client.children(f.repos, undefined), 'malformed', /not valid JSON for \/v8\/BackupRepositories/);
      assert.equal(err.extra.path?.split('?')[0], '/v8/BackupRepositories');
    }
    clear();
    sim.addFault({ kind: 'malformed', server: 'vb365', method: 'GET', path: `/v8/BackupRepositories/${repo.id}`, times: 1 });
    await failure(client.document(repo, 'xml'), 'malformed', new RegExp(`/v8/BackupRepositories/${repo.id}`));
  });

  test('a 10 MB answer works; text/plain instead of JSON is accepted', async (t) => {
    clear();
    sim.addFault({ kind: 'huge', server: 'vb365', method: 'GET', path: '/v8/Jobs', times: 1 });
    const [page, ms] = await elapsed(() => client.children(f.jobs, undefined));
    assert.ok(page.items.length > 5000, `${page.items.length} jobs`);
    assert.ok(ms < 5000, `10 MB took ${ms} ms`);
    t.diagnostic(`VB365 10 MB JSON page: ${ms} ms, ${page.items.length} entities`);
    clear();
    sim.addFault({ kind: 'wrong-content-type', server: 'vb365', method: 'GET', path: '/v8/Jobs', times: 1 });
    assert.equal((await client.children(f.jobs, undefined)).items.length, 6);
    sim.addFault({ kind: 'wrong-content-type', server: 'vb365', method: 'GET', path: `/v8/BackupRepositories/${repo.id}`, times: 1 });
    assert.equal(JSON.parse((await client.document(repo, 'json')).text).id, repo.id);
  });

  test('the server stops and starts while a sync is watched: network errors while down, then the sync ends', async () => {
    clear();
    const session = await client.sync!(repo);
    assert.equal(session.status, 'running');
    await sim.stop();
    const err = await failure(client.refresh(session), 'network', /refused the connection/);
    assert.ok(err.message.includes(host()));
    await failure(client.refresh(session), 'network');
    await sim.start();
    const done = await until(() => client.refresh(session), (e) => e.status !== 'running', 8000, 150);
    assert.equal(done.status, 'success');
    assert.equal(postsTo(sim, /\/Sync$/), 1);
  });

  test('a sync that never finishes stays running, and refresh keeps answering', async () => {
    clear();
    const other = (await client.children(f.repos, undefined)).items.find((r) => r.id !== repo.id)!;
    sim.vb365Data.stallSync(other.id!);
    const session = await client.sync!(other);
    const states: string[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const e = await client.refresh(session);
      states.push(`${e.status} ${e.progress?.percent}`);
    }
    assert.ok(states.every((s) => s.startsWith('running')), states.join(', '));
    assert.ok(Number(states[states.length - 1].split(' ')[1]) <= 42);
  });

  test('a job session that vanishes while watched is HTTP 404 with the server\'s message', async () => {
    clear();
    const job = (await client.children(f.jobs, undefined)).items[1];
    const session = await client.startJob!(job);
    assert.equal(session.status, 'running');
    assert.equal((await client.refresh(session)).status, 'running');
    sim.vb365Data.deleteJobSession(session.id!);
    const err = await failure(client.refresh(session), 'http', /was not found\. \(Not found\)$/);
    assert.equal(err.status, 404);
    assert.ok(err.extra.serverMessage?.includes(session.id!));
  });

  test('POSTs are never retried: sync and job start under reset, 503, 502, timeout and 429', async () => {
    const job = (await client.children(f.jobs, undefined)).items[2];
    const cases: { fault: Parameters<SimulatorExt['addFault']>[0]; kind: VeeamError['kind']; re: RegExp }[] = [
      { fault: { kind: 'reset' }, kind: 'network', re: /closed the connection unexpectedly.*not repeated/ },
      { fault: { kind: 'status', status: 503 }, kind: 'http', re: /HTTP 503/ },
      { fault: { kind: 'status', status: 502 }, kind: 'http', re: /HTTP 502/ },
      { fault: { kind: 'html', status: 502 }, kind: 'http', re: /HTML page/ },
      { fault: { kind: 'delay', delayMs: 1500 }, kind: 'timeout', re: /did not answer within 0\.8 s.*not repeated/ },
      { fault: { kind: 'retry-after', retryAfterSeconds: 1 }, kind: 'http', re: /429|busy/i },
    ];
    for (const target of [{ what: 'sync', path: /\/Sync$/ }, { what: 'start', path: /\/start$/ }]) {
      for (const c of cases) {
        clear();
        await new Promise((r) => setTimeout(r, 50));
        sim.addFault({ ...c.fault, server: 'vb365', method: 'POST', path: target.path });
        const p = target.what === 'sync' ? client.sync!(repo) : client.startJob!(job);
        const err = await failure(p, c.kind, c.re);
        if (c.fault.kind === 'reset') {
          assert.match(err.message, target.what === 'sync' ? /Whether the sync of "Local Repo" started is unknown/ : new RegExp(`Whether job "${job.name}" started`));
        }
        assert.equal(postsTo(sim, target.path), 1, `${target.what} under ${c.fault.kind} ${c.fault.status ?? ''}: POSTed once (${err.message})`);
        if (c.fault.kind === 'delay') { await new Promise((r) => setTimeout(r, 750)); }
        assert.equal(postsTo(sim, target.path), 1, 'still once');
      }
    }
  });

  test('an AbortSignal cancels an in-flight GET and closes its connection', async () => {
    clear();
    sim.addFault({ kind: 'delay', server: 'vb365', method: 'GET', path: '/v8/Organizations', delayMs: 600, times: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const [, ms] = await elapsed(() => failure(client.children(f.orgs, undefined, ac.signal), 'cancelled', /^Cancelled\.$/));
    assert.ok(ms < 400, `cancelled after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 700));
    const rec = gets(sim, /^\/v8\/Organizations/);
    assert.equal(rec.length, 1, 'not retried after cancel');
    assert.equal(rec[0].status, 0, 'the server could not answer: the connection was closed');
  });

  test('a back-off wait is cancellable', async () => {
    clear();
    sim.addFault({ kind: 'retry-after', server: 'vb365', method: 'GET', path: '/v8/Organizations', retryAfterSeconds: 5 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const [, ms] = await elapsed(() => failure(client.children(f.orgs, undefined, ac.signal), 'cancelled'));
    assert.ok(ms < 800, `cancelled during the wait after ${ms} ms`);
    assert.equal(gets(sim, /^\/v8\/Organizations/).length, 1);
    const pre = new AbortController();
    pre.abort();
    await failure(client.children(f.orgs, undefined, pre.signal), 'cancelled');
  });
});

describe('VB365 client under faults (v6 server)', () => {
  test('v6: version detection, GET retry, POST sync once under reset and 503, timeouts', async () => {
    const sim = await startSimulator({ vb365: { versions: ['v6'], syncDurationMs: 600, sessionsPerJob: 4 } });
    const t = makeClient(sim, 'vb365', {}, FAST);
    logs.push(t.log);
    try {
      const top = (await t.client.children(undefined, undefined)).items;
      sim.addFault({ kind: 'reset', server: 'vb365', method: 'GET', path: '/v6/BackupRepositories', times: 1 });
      const repo = (await t.client.children(top[1], undefined)).items[0];
      assert.equal(gets(sim, /^\/v6\/BackupRepositories/).length, 2, 'detected v6 and retried the reset GET once');
      for (const fault of [{ kind: 'reset' as const }, { kind: 'status' as const, status: 503 }]) {
        sim.resetStats();
        sim.addFault({ ...fault, server: 'vb365', method: 'POST', path: /\/v6\/BackupRepositories\/[^/]+\/Sync$/, times: 1 });
        await failure(t.client.sync!(repo), fault.kind === 'reset' ? 'network' : 'http');
        assert.equal(postsTo(sim, /^\/v6\/BackupRepositories\/.*\/Sync$/), 1);
      }
      sim.addFault({ kind: 'hang', server: 'vb365', method: 'GET', path: '/v6/Jobs', times: 1 });
      await failure(t.client.children(top[2], undefined), 'timeout', /did not answer within 0\.8 s/);
      assert.equal((await t.client.children(top[2], undefined)).items.length, 6);
    } finally { await t.client.dispose(); await sim.close(); }
  });
});
