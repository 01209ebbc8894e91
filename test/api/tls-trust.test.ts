// Certificate trust for both clients over real TLS: wrong host, expired, CA-signed with and
// without the CA, pinned self-signed, a pinned certificate replaced while the client lives
// (refused before any request byte, so no Authorization header reaches the impostor), and
// NODE_EXTRA_CA_CERTS in a child process using the compiled transport.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, SimulatorExt } from '../simulator';
import type { ServerClient, ServerDefinition } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { makeClient } from './helpers';

const FAST = { timeoutMs: 2000, connectTimeoutMs: 1000 };
const KINDS = ['vb365', 'em'] as const;
type Kind = (typeof KINDS)[number];

/** A call that always talks to the server (VB365 organizations, EM backup servers). */
async function touch(c: ServerClient, _kind: Kind): Promise<unknown> {
  const top = await c.children(undefined, undefined);
  return c.children(top.items[0], undefined);
}

async function certFailure(p: Promise<unknown>, re: RegExp): Promise<VeeamError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof VeeamError, String(e));
    assert.equal(e.kind, 'certificate', e.message);
    assert.match(e.message, re);
    return e;
  }
  assert.fail('expected a certificate error');
}

describe('certificate trust', () => {
  let sim: SimulatorExt;
  before(async () => { sim = await startSimulator({ cert: 'ca-signed' }); });
  after(async () => { await sim.close(); });

  /** Switch the simulator's certificate and drop kept-alive connections (as a restarted server would). */
  async function serve(mode: 'self-signed' | 'ca-signed' | 'expired' | 'wrong-host'): Promise<void> {
    await sim.rotateCertificate(mode);
    await sim.stop();
    await sim.start();
    sim.resetStats();
  }

  for (const kind of KINDS) {
    test(`${kind}: CA-signed is accepted with the CA file and refused without it`, async () => {
      await serve('ca-signed');
      const ok = makeClient(sim, kind, { trustedCertificate: undefined }, FAST, sim.testCaPem);
      await touch(ok.client, kind);
      await ok.client.dispose();
      sim.resetStats();
      const no = makeClient(sim, kind, { trustedCertificate: undefined }, FAST);
      const err = await certFailure(touch(no.client, kind),
        /^The server certificate was issued by a certificate authority this machine does not trust \(issuer: Veeam Simulator Test CA\)\.$/);
      assert.equal(err.extra.certificate?.reason, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      assert.equal(err.extra.certificate?.fingerprint256, sim.certificate.fingerprint256);
      assert.equal(sim.stats.requests, 0, 'nothing reached the server');
      await no.client.dispose();
    });

    test(`${kind}: a certificate for another host name is refused even from a trusted CA`, async () => {
      await serve('wrong-host');
      const { client } = makeClient(sim, kind, { trustedCertificate: undefined }, FAST, sim.testCaPem);
      const err = await certFailure(touch(client, kind),
        /^The server certificate was issued for a different host name \(it names DNS:wrong\.example\.invalid, not 127\.0\.0\.1\)\.$/);
      assert.equal(err.extra.certificate?.reason, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.equal(sim.stats.requests, 0);
      await client.dispose();
    });

    test(`${kind}: an expired certificate is refused with its end date`, async () => {
      await serve('expired');
      const { client } = makeClient(sim, kind, { trustedCertificate: undefined }, FAST, sim.testCaPem);
      const err = await certFailure(touch(client, kind), /^The server certificate has expired \(valid until .+ GMT\)\.$/);
      assert.equal(err.extra.certificate?.reason, 'CERT_HAS_EXPIRED');
      assert.ok(err.message.includes(sim.certificate.validTo), `${err.message} vs ${sim.certificate.validTo}`);
      assert.equal(sim.stats.requests, 0);
      await client.dispose();
    });

    test(`${kind}: a pinned self-signed certificate is accepted; once replaced, the pinned client is refused before sending anything`, async () => {
      await serve('self-signed');
      const old = sim.certificate.fingerprint256;
      const { client } = makeClient(sim, kind, { trustedCertificate: old }, FAST);
      await touch(client, kind);
      await touch(client, kind);
      await serve('self-signed');
      const now = sim.certificate.fingerprint256;
      assert.notEqual(now, old);
      const before = sim.stats.requests;
      const err = await certFailure(touch(client, kind), /changed since you trusted it/);
      assert.equal(err.extra.certificate?.pinnedFingerprint, old);
      assert.equal(err.extra.certificate?.fingerprint256, now);
      assert.equal(err.extra.certificate?.reason, 'PINNED_CERT_CHANGED');
      assert.ok(err.message.includes(old) && err.message.includes(now));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(sim.stats.requests - before, 0, 'zero requests over the mismatching connection (no Authorization header sent)');
      assert.equal(sim.stats.log.length, 0);
      await client.dispose();
      // Pinning the new fingerprint works again; pins compare without colons and case.
      const again = makeClient(sim, kind, { trustedCertificate: now.replace(/:/g, '').toLowerCase() }, FAST);
      await touch(again.client, kind);
      await again.client.dispose();
    });
  }

  test('NODE_EXTRA_CA_CERTS: the transport trusts the extra CA in a child process, and refuses without it', async () => {
    await serve('ca-signed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-extra-ca-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      fs.writeFileSync(caFile, sim.testCaPem!);
      const transport = path.resolve(__dirname, '../../src/api/http/transport.js');
      const script = `
        const { Transport } = require(${JSON.stringify(transport)});
        const t = new Transport({ baseUrl: process.argv[1], timeoutMs: 3000, connectTimeoutMs: 2000, log: () => {} });
        t.request({ method: 'GET', path: '/api/' }).then(
          (r) => console.log(JSON.stringify({ status: r.status, xml: r.text.includes('SupportedVersion') })),
          (e) => console.log(JSON.stringify({ kind: e.kind, message: e.message, reason: e.extra && e.extra.certificate && e.extra.certificate.reason })),
        ).finally(() => t.dispose());`;
      const run = (extra: Record<string, string>) => new Promise<Record<string, unknown>>((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
        if (!extra.NODE_EXTRA_CA_CERTS) { delete env.NODE_EXTRA_CA_CERTS; }
        execFile(process.execPath, ['-e', script, sim.em.url], { env, timeout: 15000 }, (err, stdout, stderr) => {
          if (err) { reject(new Error(`${err.message}\n${stderr}`)); return; }
          resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>);
        });
      });
      const [withCa, without] = await Promise.all([run({ NODE_EXTRA_CA_CERTS: caFile }), run({})]);
      assert.deepEqual(withCa, { status: 200, xml: true });
      assert.equal(without.kind, 'certificate');
      assert.equal(without.reason, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      assert.match(String(without.message), /certificate authority this machine does not trust/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  test('a pinned definition never falls back to the CA: a CA-signed certificate with another fingerprint is refused', async () => {
    await serve('ca-signed');
    const def: Partial<ServerDefinition> = { trustedCertificate: 'AB:'.repeat(31) + 'AB' };
    const { client } = makeClient(sim, 'vb365', def, FAST, sim.testCaPem);
    await certFailure(touch(client, 'vb365'), /changed since you trusted it/);
    assert.equal(sim.stats.requests, 0);
    await client.dispose();
  });
});
