// Token and session lifecycles under load: VB365 access tokens that expire mid-poll (one renewal
// however many requests wait), refresh rejected → password, password rejected → auth, logout on
// dispose (v7/v8, not v6); EM idle expiry (one re-logon, GET repeated), a 401 on the start POST
// (not re-sent), and logoff. No secret may show up in any message or log entry.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { Entity, RequestLogEntry, ServerClient } from '../../src/api/model';
import type { Vb365Options } from '../simulator/types';
import { VeeamError } from '../../src/api/errors';
import { Transport } from '../../src/api/http/transport';
import { makeClient, postsTo, expectFailure, harvestSecrets } from './helpers';

const FAST = { timeoutMs: 2000, connectTimeoutMs: 1000 };
const messages: string[] = [];
const logs: RequestLogEntry[][] = [];
const seen = new Set<string>();
const sims: SimulatorExt[] = [];

const failure = (p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp) => expectFailure(messages, p, kind, re);

const collect = (sim: SimulatorExt): void => harvestSecrets(sim, seen);

async function newSim(vb365: Vb365Options = {}, idleTimeoutSeconds?: number): Promise<SimulatorExt> {
  const s = await startSimulator({ vb365: { sessionsPerJob: 5, ...vb365 }, em: { sessionsPerJob: 5, idleTimeoutSeconds, jobDurationMs: 1500 } });
  sims.push(s);
  return s;
}

function client(sim: SimulatorExt, kind: 'vb365' | 'em', apiVersion?: string) {
  const t = makeClient(sim, kind, { apiVersion }, FAST);
  logs.push(t.log);
  return t;
}

const tokenGrants = (sim: SimulatorExt) => sim.stats.log.filter((r) => r.method === 'POST' && /\/token$/i.test(r.path.split('?')[0]))
  .map((r) => /grant_type=(\w+)/.exec(r.body)?.[1]);
const logons = (sim: SimulatorExt) => sim.stats.log.filter((r) => r.method === 'POST' && r.path.startsWith('/api/sessionMngr')).length;
/** One GET with the given headers over a pinned transport of our own: what the server thinks of a credential. */
async function statusWith(sim: SimulatorExt, url: string, path: string, headers: Record<string, string>): Promise<number> {
  const t = new Transport({ baseUrl: url, trustedFingerprint: sim.certificate.fingerprint256, timeoutMs: 2000, connectTimeoutMs: 1000, log: () => undefined });
  try { return (await t.request({ method: 'GET', path, headers })).status; } finally { t.dispose(); }
}
async function folder(c: ServerClient, i = 0): Promise<Entity> { return (await c.children(undefined, undefined)).items[i]; }

after(async () => {
  for (const s of sims) { collect(s); await s.close(); }
  assert.ok(seen.size > 5);
  const texts = [...messages, ...logs.flat().map((l) => JSON.stringify(l))];
  const found = texts.filter((t) => [...seen].some((s) => s && t.includes(s)));
  assert.deepEqual(found, [], 'no password, token, refresh token or EM session id in any message or log entry');
});

describe('VB365 tokens', () => {
  test('an access token expiring mid-poll is renewed with one refresh each time, however many requests wait', async () => {
    const sim = await newSim({ tokenLifetimeSeconds: 1, syncDurationMs: 2600 });
    const { client: c } = client(sim, 'vb365');
    const repo = (await c.children(await folder(c, 1), undefined)).items[0];
    const session = await c.sync!(repo);
    const started = Date.now();
    let rounds = 0;
    for (let cur = session; cur.status === 'running'; rounds++) {
      const all = await Promise.all(Array.from({ length: 5 }, () => c.refresh(session)));
      cur = all[0];
      if (rounds === 8) { sim.expireTokens(); } // and once the server forgets them early (401 path)
      await new Promise((r) => setTimeout(r, 100));
    }
    const secs = (Date.now() - started) / 1000;
    const grants = tokenGrants(sim);
    assert.equal(grants[0], 'password');
    assert.ok(grants.slice(1).every((g) => g === 'refresh_token'), `no fallback to the password (a refresh token is single-use): ${grants}`);
    const renewals = grants.length - 1;
    assert.ok(renewals >= 2 && renewals <= Math.ceil(secs / 0.9) + 2, `${renewals} renewals in ${secs.toFixed(1)} s, ${rounds} rounds of 5`);
    assert.equal(postsTo(sim, /\/Sync$/), 1);
  });

  test('a rejected refresh token falls back to the password; a rejected password is an auth error', async () => {
    const sim = await newSim();
    const t = client(sim, 'vb365');
    const orgs = await folder(t.client);
    await t.client.children(orgs, undefined);
    sim.resetStats();
    sim.expireTokens();
    sim.expireRefreshTokens();
    assert.equal((await t.client.children(orgs, undefined)).items.length, 2);
    assert.deepEqual(tokenGrants(sim), ['refresh_token', 'password']);
    collect(sim);
    sim.resetStats();
    sim.expireTokens();
    sim.expireRefreshTokens();
    t.setPassword('Wr0ng-Passw0rd!');
    const err = await failure(t.client.children(orgs, undefined), 'auth',
      /^Authentication failed for LAB\\administrator: Invalid username or password\.$/);
    assert.equal(err.status, 400);
    assert.ok(!err.message.includes('Wr0ng-Passw0rd!'));
    assert.deepEqual(tokenGrants(sim), ['refresh_token', 'password'], 'one refresh, one password attempt, no loop');
    seen.add('Wr0ng-Passw0rd!');
  });

  for (const v of ['v8', 'v7', 'v6'] as const) {
    test(`${v}: dispose ${v === 'v6' ? 'has no logout endpoint to call' : `posts /${v}/Token/logout and the token stops working`}`, async () => {
      const sim = await newSim({ versions: [v] });
      const { client: c } = client(sim, 'vb365', v);
      await c.children(await folder(c), undefined);
      const bearer = [...sim.stats.log].reverse().find((r) => r.headers.authorization)!.headers.authorization;
      await c.dispose();
      const out = sim.stats.log.filter((r) => /token\/logout/i.test(r.path));
      if (v === 'v6') { assert.equal(out.length, 0); return; }
      assert.equal(out.length, 1);
      assert.equal(out[0].path, `/${v}/Token/logout`);
      assert.equal(out[0].headers.authorization, bearer);
      assert.ok(out[0].status >= 200 && out[0].status < 300, `logout answered ${out[0].status}`);
      assert.equal(await statusWith(sim, sim.vb365.url, `/${v}/Organizations`, { authorization: String(bearer) }), 401);
    });
  }
});

describe('Enterprise Manager sessions', () => {
  test('idle expiry: one re-logon however many GETs wait, each GET repeated once', async () => {
    const sim = await newSim({}, 1);
    const { client: c } = client(sim, 'em');
    const servers = await folder(c);
    await c.children(servers, undefined);
    assert.equal(logons(sim), 1);
    await new Promise((r) => setTimeout(r, 1200));
    sim.resetStats();
    const pages = await Promise.all(Array.from({ length: 5 }, () => c.children(servers, undefined)));
    assert.ok(pages.every((p) => p.items.length === 2));
    assert.equal(logons(sim), 1, 'one re-logon');
    const queries = sim.stats.log.filter((r) => r.path.startsWith('/api/query'));
    assert.equal(queries.filter((r) => r.status === 401).length >= 1, true);
    assert.equal(queries.filter((r) => r.status === 200).length, 5);
    assert.ok(queries.length <= 10, `each GET repeated at most once (${queries.length})`);
  });

  test('a 401 on the start POST is not re-sent: auth error saying nothing was started; the next start works', async () => {
    const sim = await newSim();
    const { client: c } = client(sim, 'em');
    const server = (await c.children(await folder(c), undefined)).items[0];
    const job = (await c.children((await c.children(server, undefined)).items[0], undefined)).items.find((j) => /Oracle/.test(j.name))!;
    sim.resetStats();
    sim.addFault({ kind: 'status', server: 'em', method: 'POST', path: 'action=start', status: 401, times: 1 });
    await failure(c.startJob!(job), 'auth', /rejected the logon session; the job was not started/);
    assert.equal(postsTo(sim, /^\/api\/jobs\//), 1);
    const session = await c.startJob!(job);
    assert.equal(session.status, 'running');
    assert.equal(postsTo(sim, /^\/api\/jobs\//), 2);
    assert.equal(logons(sim), 1, 'the rejected session was replaced by one new logon');
  });

  test('dispose logs off with DELETE /api/logonSessions/{SessionId}; the session token stops working', async () => {
    const sim = await newSim();
    const t = client(sim, 'em');
    const c = t.client;
    await c.children(await folder(c), undefined);
    const token = sim.stats.log.find((r) => r.headers['x-restsvcsessionid'])!.headers['x-restsvcsessionid'];
    await c.dispose();
    const del = sim.stats.log.filter((r) => r.method === 'DELETE');
    assert.equal(del.length, 1);
    assert.match(del[0].path, /^\/api\/logonSessions\/[0-9a-f-]{36}$/);
    assert.equal(del[0].status, 204);
    assert.equal(del[0].headers['x-restsvcsessionid'], token);
    assert.ok(t.log.some((e) => e.method === 'DELETE' && e.path === '/api/logonSessions/{SessionId}'), 'the logoff is logged without the SessionId');
    assert.equal(await statusWith(sim, sim.em.url, '/api/query?type=BackupServer&format=Entities', { 'X-RestSvcSessionId': String(token) }), 401);
    await failure(c.children(await folder(c), undefined), 'cancelled', /closed/);
  });
});
