// Shared in-flight work (VB365 token obtain/renewal and version detection, EM version and logon) runs on
// the client's own signal, not on the signal of the caller that happened to start it. Caller A starts the
// work (held up by the simulator's delay fault), B joins, A aborts: A gets 'cancelled' at once, B still
// succeeds, and the work was done once. Ordering comes from the simulator's request records and the
// client's request log, never from sleeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { RequestRecord } from '../simulator/types';
import type { Entity, RequestLogEntry } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { makeClient } from './helpers';

const DELAY = 1500;

/** Resolves once the simulator has received a request matching `pred` (its record is made on arrival). */
async function arrived(sim: SimulatorExt, pred: (r: RequestRecord) => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (sim.stats.log.some(pred)) { return; }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the request never reached the simulator');
}

/** Resolves once the client has logged a finished request matching `pred`. */
async function logged(log: RequestLogEntry[], pred: (e: RequestLogEntry) => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (log.some(pred)) { return; }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the request was never logged');
}

/** Let every pending continuation run (B reaches the shared promise without any I/O). */
const settle = () => new Promise((r) => setImmediate(r));

interface Outcome<T> { value?: T; error?: unknown; at: number }
const track = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then((value) => ({ value, at: performance.now() }), (error: unknown) => ({ error, at: performance.now() }));

function cancelled(o: Outcome<unknown>): void {
  assert.ok(o.error instanceof VeeamError, `A was ${o.error ? `rejected with ${String(o.error)}` : 'not cancelled: it succeeded'}`);
  assert.equal(o.error.kind, 'cancelled', o.error.message);
}
function succeeded<T>(o: Outcome<T>): T {
  assert.equal(o.error, undefined, `B failed: ${o.error instanceof Error ? o.error.message : String(o.error)}`);
  return o.value as T;
}

describe('shared in-flight work survives the first caller\'s cancel', () => {
  let sim: SimulatorExt;
  before(async () => { sim = await startSimulator({ vb365: { sessionsPerJob: 2 }, em: { sessionsPerJob: 2 } }); });
  after(async () => { await sim.close(); });
  const reset = () => { sim.clearFaults(); sim.resetStats(); };
  const tokenPost = (r: RequestRecord) => r.method === 'POST' && /^\/v8\/token$/i.test(r.path);

  test('VB365 password login: A starts it, B joins, A aborts → A cancelled, B logged on by the same login', async () => {
    reset();
    const { client } = makeClient(sim, 'vb365', { apiVersion: 'v8' });
    try {
      sim.addFault({ kind: 'delay', server: 'vb365', method: 'POST', path: /^\/v8\/token$/i, delayMs: DELAY, times: 1 });
      const a = new AbortController();
      const pa = track(client.children(undefined, undefined, a.signal));
      await arrived(sim, tokenPost);
      const pb = track(client.children(undefined, undefined));
      await settle();
      a.abort();
      const [oa, ob] = await Promise.all([pa, pb]);
      cancelled(oa);
      assert.equal(succeeded(ob).items.length, 3);
      assert.ok(oa.at < ob.at, 'A stopped waiting at once, before the login answered');
      assert.equal(sim.stats.log.filter(tokenPost).length, 1, 'one login, shared');
    } finally { await client.dispose(); }
  });

  test('VB365 renewal after a 401: A starts the refresh, B joins on its own 401, A aborts → B renewed by it', async () => {
    reset();
    const t = makeClient(sim, 'vb365', { apiVersion: 'v8' });
    const client = t.client;
    try {
      const [orgs, repos] = (await client.children(undefined, undefined)).items;
      sim.resetStats();
      sim.expireTokens();
      sim.addFault({ kind: 'delay', server: 'vb365', method: 'POST', path: /^\/v8\/token$/i, delayMs: DELAY, times: 1 });
      const a = new AbortController();
      const pa = track(client.children(orgs, undefined, a.signal));
      await arrived(sim, tokenPost);
      const pb = track(client.children(repos, undefined));
      await logged(t.log, (e) => e.path.startsWith('/v8/BackupRepositories') && e.status === 401);
      await settle();
      a.abort();
      const [oa, ob] = await Promise.all([pa, pb]);
      cancelled(oa);
      assert.equal(succeeded(ob).items.length, 3);
      const grants = sim.stats.log.filter(tokenPost).map((r) => /grant_type=(\w+)/.exec(r.body)?.[1]);
      assert.deepEqual(grants, ['refresh_token'], 'one renewal, shared');
    } finally { await client.dispose(); }
  });

  test('VB365 version detection: A starts it, B joins, A aborts → A cancelled, B gets the detected version', async () => {
    reset();
    const { client } = makeClient(sim, 'vb365');
    try {
      sim.addFault({ kind: 'delay', server: 'vb365', method: 'GET', path: '/v8/ServiceInstance', delayMs: DELAY, times: 1 });
      const a = new AbortController();
      const pa = track(client.connect(a.signal));
      await arrived(sim, (r) => r.path === '/v8/ServiceInstance');
      const pb = track(client.children(undefined, undefined));
      await settle();
      a.abort();
      const [oa, ob] = await Promise.all([pa, pb]);
      cancelled(oa);
      assert.equal(succeeded(ob).items.length, 3);
      assert.ok(oa.at < ob.at);
      assert.equal(sim.stats.log.filter((r) => /ServiceInstance/.test(r.path)).length, 1, 'one detection, shared');
    } finally { await client.dispose(); }
  });

  test('EM version (GET /api/): A starts it, B joins through its logon, A aborts → B lists the backup servers', async () => {
    reset();
    const { client } = makeClient(sim, 'em');
    try {
      const servers: Entity = (await client.children(undefined, undefined)).items[0];   // no request
      sim.addFault({ kind: 'delay', server: 'em', method: 'GET', path: /^\/api\/$/, delayMs: DELAY, times: 1 });
      const a = new AbortController();
      const pa = track(client.connect(a.signal));
      await arrived(sim, (r) => r.path === '/api/');
      const pb = track(client.children(servers, undefined));
      await settle();
      a.abort();
      const [oa, ob] = await Promise.all([pa, pb]);
      cancelled(oa);
      assert.equal(succeeded(ob).items.length, 2);
      assert.ok(oa.at < ob.at);
      assert.equal(sim.stats.log.filter((r) => r.path === '/api/').length, 1, 'one version read, shared');
    } finally { await client.dispose(); }
  });

  test('EM logon: A starts it, B joins, A aborts → A stops waiting at once (cancelled), B uses the same logon', async () => {
    reset();
    const { client } = makeClient(sim, 'em');
    try {
      const servers: Entity = (await client.children(undefined, undefined)).items[0];
      sim.addFault({ kind: 'delay', server: 'em', method: 'POST', path: '/api/sessionMngr/', delayMs: DELAY, times: 1 });
      const a = new AbortController();
      const pa = track(client.connect(a.signal));
      await arrived(sim, (r) => r.method === 'POST' && r.path.startsWith('/api/sessionMngr/'));
      const pb = track(client.children(servers, undefined));
      await settle();
      a.abort();
      const [oa, ob] = await Promise.all([pa, pb]);
      cancelled(oa);
      assert.equal(succeeded(ob).items.length, 2);
      assert.ok(oa.at < ob.at, 'A did not wait for the logon it no longer needs');
      assert.equal(sim.stats.log.filter((r) => r.method === 'POST').length, 1, 'one logon, shared');
    } finally { await client.dispose(); }
  });

  test('dispose() stops shared work: a login held up by the server ends as cancelled for every waiter', async () => {
    reset();
    const { client } = makeClient(sim, 'vb365', { apiVersion: 'v8' });
    sim.addFault({ kind: 'delay', server: 'vb365', method: 'POST', path: /^\/v8\/token$/i, delayMs: DELAY, times: 1 });
    const pa = track(client.children(undefined, undefined));
    await arrived(sim, tokenPost);
    const pb = track(client.children(undefined, undefined));
    await settle();
    await client.dispose();
    const [oa, ob] = await Promise.all([pa, pb]);
    cancelled(oa);
    cancelled(ob);
  });
});
