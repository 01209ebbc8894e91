// Shared by the API tests: a client for a simulator server with the deps the extension would give it.
import assert from 'node:assert/strict';
import { ClientDeps, RequestLogEntry, ServerDefinition } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { kindOf } from '../../src/api/kinds';
import type { Page, ServerClient } from '../../src/api/model';
import type { SimulatorExt } from '../simulator';

export interface TestClient {
  client: ServerClient;
  log: RequestLogEntry[];
  setPassword(p: string | undefined): void;
}

export function makeClient(
  sim: SimulatorExt, kind: 'vb365' | 'em', def: Partial<ServerDefinition> = {}, http: Partial<ClientDeps['http']> = {}, caPem?: string,
): TestClient {
  let password: string | undefined = sim.credentials.password;
  const log: RequestLogEntry[] = [];
  const full: ServerDefinition = {
    name: `${kind} sim`, kind, url: kind === 'vb365' ? sim.vb365.url : sim.em.url, username: sim.credentials.username,
    trustedCertificate: sim.certificate.fingerprint256, ...def,
  };
  const client = kindOf(kind)!.createClient(full, {
    credentials: { password: async () => password },
    log: (e) => log.push(e),
    http: { timeoutMs: 5000, connectTimeoutMs: 2000, pageSize: 50, ...http },
    caPem,
  });
  return { client, log, setPassword: (p) => { password = p; } };
}

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000, stepMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) { return v; }
    if (Date.now() > end) { throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(v).slice(0, 300)})`); }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function postsTo(sim: SimulatorExt, re: RegExp): number {
  return Object.entries(sim.stats.posts).filter(([p]) => re.test(p)).reduce((a, [, n]) => a + n, 0);
}

/** Await a promise that must fail with a VeeamError of `kind`; its texts go to `messages` (scanned for secrets later). */
export async function expectFailure(messages: string[], p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp): Promise<VeeamError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof VeeamError, `not a VeeamError: ${String(e)}`);
    messages.push(e.message, e.extra.serverMessage ?? '');
    assert.equal(e.kind, kind, `${e.kind}: ${e.message}`);
    if (re) { assert.match(e.message, re); }
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

/** Password, Basic credentials, bearer and refresh tokens and EM session tokens, as the simulator saw them. */
export function harvestSecrets(sim: SimulatorExt, seen: Set<string>): void {
  seen.add(sim.credentials.password);
  seen.add(Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64'));
  for (const r of sim.stats.log) {
    const m = /^(?:Bearer|Basic)\s+(\S+)$/i.exec(String(r.headers.authorization ?? ''));
    if (m) { seen.add(m[1]); }
    const rt = /refresh_token=([^&\s]+)/.exec(r.body)?.[1];
    if (rt) { seen.add(decodeURIComponent(rt)); }
    const em = r.headers['x-restsvcsessionid'];
    if (typeof em === 'string' && em) { seen.add(em); }
    const logonId = /^\/api\/logonSessions\/([0-9a-f-]{36})/.exec(r.path)?.[1];
    if (logonId) { seen.add(logonId); }
  }
}

/** A page as the tree shows it once settled: its items, replaced by what its `later` returns (same keys). */
export async function settledPage(c: ServerClient, ...args: Parameters<ServerClient['children']>): Promise<Page> {
  const p = await c.children(...args);
  if (!p.later) { return p; }
  const byKey = new Map((await p.later(args[2])).map((e) => [e.key, e]));
  return { items: p.items.map((e) => byKey.get(e.key) ?? e), next: p.next };
}
