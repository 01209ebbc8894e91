// VB365 version detection without credentials, per server version: which requests it sends,
// how many, and that the detected version is the one used afterwards (token, lists, sync).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../simulator';
import { request } from '../simulator/http-client';
import type { Vb365Version } from '../simulator/types';
import { VeeamError } from '../../src/api/errors';
import { makeClient, until } from './helpers';

/** The unauthenticated GETs before the first token request: the detection. */
function detection(log: { method: string; path: string; headers: Record<string, unknown>; status: number }[]): string[] {
  const first = log.findIndex((r) => r.method === 'POST' && /\/token$/i.test(r.path));
  return log.slice(0, first < 0 ? log.length : first).filter((r) => !r.headers.authorization).map((r) => `${r.path} ${r.status}`);
}

describe('VB365 version detection', () => {
  test('the simulator answers 404 on ServiceInstance for v4/v5 (it exists from v6 on) and 401 on a resource they serve', async () => {
    const sim = await startSimulator({ vb365: { versions: ['v4', 'v5'] } });
    try {
      const get = async (p: string) => (await request(sim.vb365.url + p, { ca: sim.certificate.pem })).status;
      assert.equal(await get('/v5/ServiceInstance'), 404);
      assert.equal(await get('/v4/ServiceInstance'), 404);
      assert.equal(await get('/v5/Organizations'), 401);
      assert.equal(await get('/v4/Organizations'), 401);
      assert.equal(await get('/v6/Organizations'), 404, 'a version the server does not serve');
    } finally { await sim.close(); }
  });

  const expected: Record<Vb365Version, string[]> = {
    v8: ['/v8/ServiceInstance 401'],
    v7: ['/v8/ServiceInstance 404', '/v7/ServiceInstance 401'],
    v6: ['/v8/ServiceInstance 404', '/v7/ServiceInstance 404', '/v6/ServiceInstance 401'],
    v5: ['/v8/ServiceInstance 404', '/v7/ServiceInstance 404', '/v6/ServiceInstance 404', '/v5/Organizations 401'],
    v4: ['/v8/ServiceInstance 404', '/v7/ServiceInstance 404', '/v6/ServiceInstance 404', '/v5/Organizations 404', '/v4/Organizations 401'],
  };

  for (const v of ['v4', 'v5', 'v6', 'v7', 'v8'] as const) {
    test(`a ${v}-only server is detected as ${v} with ${expected[v].length} unauthenticated request(s), then read and synced on ${v}`, async () => {
      const sim = await startSimulator({ vb365: { versions: [v], sessionsPerJob: 3, syncDurationMs: 300 } });
      const { client } = makeClient(sim, 'vb365');
      try {
        await client.connect();
        assert.deepEqual(detection(sim.stats.log), expected[v]);
        const token = sim.stats.log.filter((r) => r.method === 'POST');
        assert.deepEqual(token.map((r) => r.path), [`/${v}/Token`], 'one password login, on the detected version');
        const [, repos, jobs] = (await client.children(undefined, undefined)).items;
        const repo = (await client.children(repos, undefined)).items[0];
        const job = (await client.children(jobs, undefined)).items[0];
        assert.equal((await client.children(job, undefined)).items.length, 3, 'the job sessions of the job');
        const s = await client.sync!(repo);
        await until(() => client.refresh(s), (e) => e.status !== 'running');
        const paths = sim.stats.log.filter((r) => r.headers.authorization).map((r) => r.path);
        assert.ok(paths.every((p) => p.startsWith(`/${v}/`)), `every authenticated request on ${v}: ${paths.join(', ')}`);
      } finally { await client.dispose(); await sim.close(); }
    });
  }

  test('a server that answers none of v4–v8 is a config error after five requests', async () => {
    const sim = await startSimulator();
    // The EM listener answers 404 to every /vN path: the URL of the wrong product.
    const { client } = makeClient(sim, 'vb365', { url: sim.em.url });
    try {
      const err = await client.connect().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof VeeamError, String(err));
      assert.equal(err.kind, 'config');
      assert.match(err.message, /none of the VB365 REST API versions v4–v8/);
      assert.equal(sim.stats.log.length, 5);
    } finally { await client.dispose(); await sim.close(); }
  });
});
