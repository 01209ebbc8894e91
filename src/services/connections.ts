// One API client per configured server, created on first use and replaced when its
// definition or the HTTP settings change. Clients log out when removed or on shutdown.
import * as fs from 'node:fs';
import { ServerClient } from '../api/model';
import { VeeamError } from '../api/errors';
import { kindOf } from '../api/kinds';
import type { LoadedServer, ServerStore } from './settings';
import type { SecretStore } from './secrets';
import type { Logger as Log } from './types';

export class Connections {
  private readonly clients = new Map<string, { client: ServerClient; signature: string }>();

  constructor(private readonly store: ServerStore, private readonly secrets: SecretStore, private readonly log: Log) {}

  client(node: LoadedServer): ServerClient {
    // Tree nodes keep the definition they were listed with; use the one in the settings now
    // (a newly trusted certificate, a CA file), or two callers would keep replacing each other's client.
    const server = this.store.list().find((s) => s.key === node.key);
    if (!server) { throw new VeeamError('config', `${node.def.name} is no longer in the settings.`); }
    if (server.problem) { throw new VeeamError('config', server.problem); }
    const http = this.store.http();
    const signature = JSON.stringify([server.def, http]);
    const cached = this.clients.get(server.key);
    if (cached && cached.signature === signature) { return cached.client; }
    if (cached) { void cached.client.dispose(); }
    const kind = kindOf(server.def.kind);
    if (!kind) { throw new VeeamError('config', `Unknown server kind "${server.def.kind}".`); }
    let caPem: string | undefined;
    if (server.def.caFile) {
      try { caPem = fs.readFileSync(server.def.caFile, 'utf8'); } catch (e) {
        throw new VeeamError('config', `Cannot read the CA certificate file ${server.def.caFile}: ${(e as Error).message}`);
      }
      if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
        throw new VeeamError('config', `${server.def.caFile} is not a PEM certificate file.`);
      }
    }
    const client = kind.createClient(server.def, {
      credentials: { password: () => this.secrets.get(server.key) },
      log: (e) => this.log.request(server.def.name, e),
      http,
      caPem,
    });
    this.clients.set(server.key, { client, signature });
    return client;
  }

  /** Drop (and log out) clients whose server is gone or changed. */
  prune(current: LoadedServer[]): void {
    const keys = new Set(current.map((s) => s.key));
    for (const [key, c] of this.clients) {
      if (!keys.has(key)) { void c.client.dispose(); this.clients.delete(key); }
    }
  }

  async forget(key: string): Promise<void> {
    const c = this.clients.get(key);
    this.clients.delete(key);
    await c?.client.dispose();
  }

  async disposeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.client.dispose()));
  }
}
