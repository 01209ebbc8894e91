// Faults against the Enterprise Manager client over real HTTPS: slow, hanging and resetting
// servers, 5xx with and without <Error Message>, 429, proxy HTML, broken XML and JSON, 10 MB,
// a server that goes away while a job session is watched, a session that vanishes, the job
// start POST under fire and cancellation. No secret may show up in any message or log entry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { ClientDeps, Entity, RequestLogEntry, ServerDefinition } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { EmClient } from '../../src/api/em';
import { postsTo, until, expectFailure, harvestSecrets, settledPage } from './helpers';

const messages: string[] = [];
const logs: RequestLogEntry[] = [];

const failure = (p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp) => expectFailure(messages, p, kind, re);

const secrets = harvestSecrets;

function emClient(sim: SimulatorExt, wire: 'xml' | 'json' = 'xml'): EmClient {
  const def: ServerDefinition = { name: 'em', kind: 'em', url: sim.em.url, username: sim.credentials.username,
    trustedCertificate: sim.certificate.fingerprint256 };
  const deps: ClientDeps = {
    credentials: { password: async () => sim.credentials.password },
    log: (e) => logs.push(e),
    http: { timeoutMs: 800, connectTimeoutMs: 500, pageSize: 25 },
  };
  return new EmClient(def, deps, { pollMs: 100, wire });
}

const gets = (sim: SimulatorExt, re: RegExp) => sim.stats.log.filter((r) => r.method === 'GET' && re.test(r.path));
const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t = Date.now(); const v = await fn(); return [v, Date.now() - t]; };
const pathOf = (sim: SimulatorExt, e: Entity) => new URL(e.ref.href, sim.em.url).pathname;

describe('Enterprise Manager client under faults', () => {
  let sim: SimulatorExt;
  let c: EmClient;
  let serversF: Entity;
  let server: Entity;
  let jobs: Entity[];
  const seen = new Set<string>();
  const host = () => `127.0.0.1:${sim.em.port}`;
  const QUERY = /^\/api\/query\?type=BackupServer/;

  before(async () => {
    sim = await startSimulator({ em: { sessionsPerJob: 6, jobDurationMs: 1500 } });
    c = emClient(sim);
    serversF = (await c.children(undefined, undefined)).items[0];
    server = (await c.children(serversF, undefined)).items[0];
    jobs = (await settledPage(c, (await c.children(server, undefined)).items[0], undefined)).items;
  });
  after(async () => {
    await c.dispose();
    secrets(sim, seen);
    await sim.close();
    assert.ok(seen.size >= 3, 'secrets were collected');
    const texts = [...messages, ...logs.map((l) => JSON.stringify(l))];
    const found = texts.filter((t) => [...seen].some((s) => s && t.includes(s)));
    assert.deepEqual(found, [], 'no password or X-RestSvcSessionId in any message or log entry');
  });
  const clear = () => { sim.clearFaults(); secrets(sim, seen); sim.resetStats(); };

  test('a response slower than the timeout: kind timeout naming host and seconds, not retried', async () => {
    clear();
    sim.addFault({ kind: 'delay', server: 'em', method: 'GET', path: '/api/query', delayMs: 2000 });
    const [err, ms] = await elapsed(() => failure(c.children(serversF, undefined), 'timeout'));
    assert.equal(err.message, `${host()} did not answer within 0.8 s.`);
    assert.equal(gets(sim, QUERY).length, 1);
    assert.ok(ms < 1600, `${ms} ms`);
  });

  test('a hanging server times out; the client works again afterwards', async () => {
    clear();
    sim.addFault({ kind: 'hang', server: 'em', method: 'GET', path: pathOf(sim, server) });
    await failure(c.refresh(server), 'timeout', /did not answer within 0\.8 s/);
    sim.clearFaults();
    assert.equal((await c.refresh(server)).key, server.key);
  });

  test('connection reset mid-body: one is retried and recovers; persistent is "closed the connection unexpectedly"', async () => {
    clear();
    sim.addFault({ kind: 'reset', server: 'em', method: 'GET', path: '/api/query', times: 1 });
    assert.equal((await c.children(serversF, undefined)).items.length, 2);
    assert.equal(gets(sim, QUERY).length, 2);
    clear();
    sim.addFault({ kind: 'reset', server: 'em', method: 'GET', path: '/api/query' });
    await failure(c.children(serversF, undefined), 'network', new RegExp(`^${host()} closed the connection unexpectedly\\.$`));
    const tries = gets(sim, QUERY);
    assert.equal(tries.length, 3);
    const gaps = [tries[1].at - tries[0].at, tries[2].at - tries[1].at];
    assert.ok(gaps[0] >= 250 && gaps[1] >= 550, `back-off gaps ${gaps}`);
  });

  test('502/503/504 retried and recover; 500 not; <Error Message> surfaces; empty bodies name host and path', async () => {
    for (const status of [502, 503, 504]) {
      clear();
      sim.addFault({ kind: 'status', server: 'em', method: 'GET', path: '/api/query', status, times: 1 });
      assert.equal((await c.children(serversF, undefined)).items.length, 2);
      assert.equal(gets(sim, QUERY).length, 2, `one retry after ${status}`);
    }
    clear();
    sim.addFault({ kind: 'status', server: 'em', method: 'GET', path: '/api/query', status: 503 });
    const e503 = await failure(c.children(serversF, undefined), 'http', /^Simulated failure \(HTTP 503\)\. \(HTTP 503\)$/);
    assert.equal(e503.extra.serverMessage, 'Simulated failure (HTTP 503).');
    assert.equal(gets(sim, QUERY).length, 3);
    clear();
    sim.addFault({ kind: 'status', server: 'em', method: 'GET', path: '/api/query', status: 500 });
    await failure(c.children(serversF, undefined), 'http', /Simulated failure \(HTTP 500\)/);
    assert.equal(gets(sim, QUERY).length, 1, '500 is not retried');
    clear();
    sim.addFault({ kind: 'status-empty', server: 'em', method: 'GET', path: '/api/query', status: 500 });
    await failure(c.children(serversF, undefined), 'http', new RegExp(`^HTTP 500 from ${host()} for /api/query\\.$`));
    clear();
    sim.addFault({ kind: 'status-empty', server: 'em', method: 'GET', path: '/api/query', status: 504 });
    await failure(c.children(serversF, undefined), 'http', /HTTP 504/);
    assert.equal(gets(sim, QUERY).length, 3);
  });

  test('429 with Retry-After: waits about that long and succeeds; beyond the cap fails at once', async (t) => {
    clear();
    sim.addFault({ kind: 'retry-after', server: 'em', method: 'GET', path: '/api/query', retryAfterSeconds: 1, times: 1 });
    assert.equal((await c.children(serversF, undefined)).items.length, 2);
    const tries = gets(sim, QUERY);
    const waited = tries[1].at - tries[0].at;
    assert.ok(waited >= 950 && waited < 1600, `waited ${waited} ms`);
    t.diagnostic(`EM 429 Retry-After 1 s: waited ${waited} ms`);
    clear();
    sim.addFault({ kind: 'retry-after', server: 'em', method: 'GET', path: '/api/query', retryAfterSeconds: 90 });
    const [err, ms] = await elapsed(() => failure(c.children(serversF, undefined), 'http', /Too many requests\. \(HTTP 429\) .*busy.*90 s/));
    assert.equal(err.extra.retryAfterSeconds, 90);
    assert.ok(ms < 500, `${ms} ms`);
  });

  test('HTML from a proxy: HTML page and its title; malformed, truncated XML and malformed JSON name the path', async () => {
    clear();
    sim.addFault({ kind: 'html', server: 'em', method: 'GET', path: '/api/query', status: 502 });
    const e = await failure(c.children(serversF, undefined), 'http', /HTTP 502: .*HTML page "502 Bad Gateway" instead of an API answer/);
    assert.equal(e.status, 502);
    clear();
    const p = pathOf(sim, server);
    for (const kind of ['malformed', 'truncated'] as const) {
      sim.addFault({ kind, server: 'em', method: 'GET', path: p, times: 1 });
      const err = await failure(c.refresh(server), 'malformed', /not valid XML for \/api\/backupServers\//);
      assert.ok(err.extra.path?.includes(p));
    }
    const cj = emClient(sim, 'json');
    try {
      sim.addFault({ kind: 'malformed', server: 'em', method: 'GET', path: p, times: 1 });
      await failure(cj.refresh(server), 'malformed', /not valid JSON for \/api\/backupServers\//);
      sim.addFault({ kind: 'truncated', server: 'em', method: 'GET', path: '/api/query', times: 1 });
      await failure(cj.children(serversF, undefined), 'malformed', /\/api\/query\?type=BackupServer/);
    } finally { await cj.dispose(); }
  });

  test('a 10 MB document works; text/plain instead of XML is accepted', async (t) => {
    clear();
    sim.addFault({ kind: 'huge', server: 'em', method: 'GET', path: pathOf(sim, jobs[0]), times: 1 });
    const [doc, ms] = await elapsed(() => c.document(jobs[0], 'xml'));
    assert.ok(doc.text.length > 10 * 1024 * 1024, `${doc.text.length} chars`);
    assert.ok(ms < 5000, `${ms} ms`);
    sim.addFault({ kind: 'huge', server: 'em', method: 'GET', path: '/api/query', times: 1 });
    const [page, ms2] = await elapsed(() => c.children(serversF, undefined));
    assert.equal(page.items.length, 2);
    t.diagnostic(`EM 10 MB XML document: ${ms} ms; 10 MB query page: ${ms2} ms`);
    sim.addFault({ kind: 'wrong-content-type', server: 'em', method: 'GET', path: '/api/query', times: 1 });
    assert.equal((await c.children(serversF, undefined)).items.length, 2);
  });

  test('EM stops and starts while a job session is watched: network errors while down, then the session ends', async () => {
    clear();
    const job = jobs.find((j) => /Oracle/.test(j.name)) ?? jobs[0];
    const session = await c.startJob(job);
    assert.equal(session.status, 'running');
    await sim.stop();
    const err = await failure(c.refresh(session), 'network', /refused the connection/);
    assert.ok(err.message.includes(host()));
    await sim.start();
    const done = await until(() => c.refresh(session), (e) => e.status !== 'running', 8000, 150);
    assert.equal(done.status, 'success');
    assert.equal(postsTo(sim, /^\/api\/jobs\//), 1);
  });

  test('a session that vanishes (404) while watched is an http error with the server\'s message', async () => {
    clear();
    const session = (await c.children(jobs[0], undefined)).items[0];
    sim.addFault({ kind: 'status', server: 'em', method: 'GET', path: pathOf(sim, session), status: 404 });
    const err = await failure(c.refresh(session), 'http', /\(HTTP 404\)$/);
    assert.equal(err.status, 404);
    assert.equal(gets(sim, /backupSessions/).length, 1, '404 is not retried');
  });

  test('the job start POST is never retried: reset, 503, 502, proxy HTML, timeout, 429', async () => {
    const job = jobs.find((j) => /Exchange/.test(j.name)) ?? jobs[1];
    const cases: { fault: Parameters<SimulatorExt['addFault']>[0]; kind: VeeamError['kind']; re: RegExp }[] = [
      { fault: { kind: 'reset' }, kind: 'network', re: /closed the connection unexpectedly\. Whether job ".+" started is unknown \(it was not repeated\): check on the server/ },
      { fault: { kind: 'status', status: 503 }, kind: 'http', re: /Simulated failure \(HTTP 503\)/ },
      { fault: { kind: 'status', status: 502 }, kind: 'http', re: /HTTP 502/ },
      { fault: { kind: 'html', status: 502 }, kind: 'http', re: /HTML page/ },
      { fault: { kind: 'delay', delayMs: 1400 }, kind: 'timeout', re: /did not answer within 0\.8 s\. Whether job ".+" started is unknown/ },
      { fault: { kind: 'retry-after', retryAfterSeconds: 1 }, kind: 'http', re: /HTTP 429.*busy/ },
    ];
    for (const x of cases) {
      clear();
      sim.addFault({ ...x.fault, server: 'em', method: 'POST', path: 'action=start' });
      const err = await failure(c.startJob(job), x.kind, x.re);
      if (x.fault.kind === 'delay') { await new Promise((r) => setTimeout(r, 700)); }
      assert.equal(postsTo(sim, /^\/api\/jobs\//), 1, `start under ${x.fault.kind} ${x.fault.status ?? ''} POSTed once (${err.message})`);
      assert.equal(sim.stats.log.filter((r) => r.method === 'POST' && r.path.includes('action=start')).length, 1);
    }
  });

  test('an AbortSignal cancels an in-flight GET and closes its connection; back-off waits are cancellable', async () => {
    clear();
    sim.addFault({ kind: 'delay', server: 'em', method: 'GET', path: '/api/query', delayMs: 600, times: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const [, ms] = await elapsed(() => failure(c.children(serversF, undefined, ac.signal), 'cancelled'));
    assert.ok(ms < 400, `${ms} ms`);
    await new Promise((r) => setTimeout(r, 650));
    const rec = gets(sim, QUERY);
    assert.equal(rec.length, 1);
    assert.equal(rec[0].status, 0, 'the connection was closed before the server could answer');
    clear();
    sim.addFault({ kind: 'status', server: 'em', method: 'GET', path: '/api/query', status: 503 });
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 100);
    const [, ms2] = await elapsed(() => failure(c.children(serversF, undefined, ac2.signal), 'cancelled'));
    assert.ok(ms2 < 300, `cancelled in the back-off after ${ms2} ms`);
    assert.equal(gets(sim, QUERY).length, 1);
  });
});
