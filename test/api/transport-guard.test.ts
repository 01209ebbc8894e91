// The transport refuses a request whose path or query carries "null" or "undefined" (or an empty id)
// before anything is sent: such a URL is always a client bug (an entity the server sent without an id).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import { Transport } from '../../src/api/http/transport';
import type { RequestLogEntry } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';

describe('transport: no null/undefined in a URL', () => {
  let sim: SimulatorExt;
  let t: Transport;
  const log: RequestLogEntry[] = [];
  before(async () => {
    sim = await startSimulator({ vb365: { sessionsPerJob: 2 }, em: { sessionsPerJob: 2 } });
    t = new Transport({ baseUrl: sim.vb365.url, trustedFingerprint: sim.certificate.fingerprint256, timeoutMs: 2000, connectTimeoutMs: 1000,
      log: (e) => log.push(e) });
  });
  after(async () => { t.dispose(); await sim.close(); });

  const bad: [string, string][] = [
    ['GET', '/v8/Jobs/null'],
    ['GET', '/v8/Jobs/undefined'],
    ['GET', '/v8/Jobs/NULL/JobSessions'],
    ['GET', '/v8/JobSessions?jobId=null'],
    ['GET', '/v8/JobSessions?jobId=undefined&offset=0&limit=50'],
    ['GET', '/v8/JobSessions?offset=0&jobId=null&limit=50'],
    ['GET', '/v8/JobSessions?jobId=&limit=50'],
    ['GET', '/v8/Jobs//JobSessions'],
    ['GET', '/v8/Jobs/%6Eull'],
    ['GET', '/api/query?type=BackupJobSession&format=Entities&filter=JobUid%3D%3Dnull'],
    ['GET', '/api/query?type=Job&format=Entities&filter=BackupServerUid%3D%3D%22%22'],
    ['POST', '/v8/Jobs/null/start'],
    ['POST', '/v8/BackupRepositories/undefined/Sync'],
  ];

  for (const [method, path] of bad) {
    test(`${method} ${path} is refused with a malformed error naming the request, nothing sent`, async () => {
      sim.resetStats();
      log.length = 0;
      const err = await t.request({ method: method as 'GET' | 'POST', path }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof VeeamError, `refused with a VeeamError, got ${String(err)}`);
      assert.equal(err.kind, 'malformed');
      assert.ok(err.message.includes(`${method} ${path}`), err.message);
      assert.equal(err.extra.method, method);
      assert.equal(err.extra.path, path);
      assert.equal(sim.stats.requests, 0, 'nothing reached the server');
      assert.equal(log.length, 1, 'the refusal is in the request log');
      assert.equal(log[0].error, err.message);
    });
  }

  test('an absolute link on the same host is checked too', async () => {
    sim.resetStats();
    const err = await t.request({ method: 'GET', path: `${sim.vb365.url}/v8/Jobs/null` }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof VeeamError && err.kind === 'malformed', String(err));
    assert.equal(sim.stats.requests, 0);
  });

  test('ordinary paths still go out: trailing slash, names that merely contain "null", non-id empty values', async () => {
    sim.resetStats();
    for (const path of ['/v8/ServiceInstance', '/v8/Jobs?name=nullable', '/v8/Organizations/nullsoft', '/v8/', '/v8/Jobs?filter=Name%3D%3D%22%22']) {
      const res = await t.request({ method: 'GET', path });
      assert.ok(res.status === 401 || res.status === 404, `${path}: ${res.status}`);
    }
    assert.equal(sim.stats.requests, 5);
    const em = new Transport({ baseUrl: sim.em.url, trustedFingerprint: sim.certificate.fingerprint256, timeoutMs: 2000, connectTimeoutMs: 1000, log: () => undefined });
    try {
      assert.equal((await em.request({ method: 'GET', path: '/api/' })).status, 200);
      assert.equal((await em.request({ method: 'POST', path: '/api/sessionMngr/?v=latest' })).status, 401);
    } finally { em.dispose(); }
  });
});
