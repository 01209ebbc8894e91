// Helpers for the suites (trust, faults, vbr…): settings that are restored, a counting CONNECT
// proxy, a plain-HTTP front for the simulator, and spies on the extension's log.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { Api, children, setServers, TreeNode, waitFor } from './util';

/** The extension's services plus the parts these suites look at (structural, see util.ts). */
export interface ApiExt extends Api {
  log: { warn(m: string): void; error(m: string): void; request(server: string, e: unknown): void };
  watcher: Api['watcher'] & { unwatch(id: string): void };
}

/** Set a global setting and return a function that puts the previous user value back. */
export async function setGlobal(section: string, key: string, value: unknown): Promise<() => Promise<void>> {
  const cfg = () => vscode.workspace.getConfiguration(section);
  const old = cfg().inspect(key)?.globalValue;
  await cfg().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => JSON.stringify(cfg().inspect(key)?.globalValue), (v) => v === JSON.stringify(value), 5000);
  return async () => { await cfg().update(key, old, vscode.ConfigurationTarget.Global); };
}

/** Records every line the extension logs (the calls still go through). */
export function spyLog(x: ApiExt): { warn: string[]; error: string[]; requests: string[]; restore(): void } {
  const orig = { warn: x.log.warn, error: x.log.error, request: x.log.request };
  const spy = {
    warn: [] as string[], error: [] as string[], requests: [] as string[],
    restore() { Object.assign(x.log, orig); },
  };
  x.log.warn = (m) => { spy.warn.push(m); orig.warn.call(x.log, m); };
  x.log.error = (m) => { spy.error.push(m); orig.error.call(x.log, m); };
  x.log.request = (server, e) => { spy.requests.push(server); orig.request.call(x.log, server, e); };
  return spy;
}

/** Configure exactly these servers, store their password, and return the first server's children. */
export async function only(x: Api, defs: Record<string, unknown>[], password: string): Promise<{ key: string; server: TreeNode; nodes: TreeNode[] }> {
  await setServers(defs);
  await waitFor(() => x.store.list().length, (n) => n === defs.length, 5000);
  const key = x.store.list()[0].key;
  await x.secrets.set(key, password);
  await x.connections.forget(key);     // a fresh client: no connection or token from an earlier test
  x.tree.refresh();
  const server = (await children(x))[0];
  return { key, server, nodes: await children(x, server) };
}

/** A CONNECT proxy on 127.0.0.1 that tunnels to the requested target and counts tunnels. */
export async function connectProxy(): Promise<{ url: string; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => { res.writeHead(405); res.end(); });
  server.on('connection', (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) { up.write(head); }
      up.pipe(client); client.pipe(up);
    });
    sockets.add(up); up.once('close', () => sockets.delete(up));
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, connects,
    close: () => { for (const s of sockets) { s.destroy(); } return new Promise((r) => server.close(() => r())); },
  };
}

/** A plain-HTTP listener on 127.0.0.1 that forwards every request to an HTTPS simulator port. */
export async function plainHttpFront(targetPort: number): Promise<{ url: string; port: number; requests: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const up = https.request({
      host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, rejectUnauthorized: false, agent: false,
    }, (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, get requests() { return state.requests; },
    close: () => { for (const s of sockets) { s.destroy(); } return new Promise((r) => server.close(() => r())); },
  };
}
