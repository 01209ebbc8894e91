// The simulator core: three HTTPS listeners (VB365, EM and VBR) with body reading, latency, faults and stats
// wrapped around each server kind's ServerApp.
import * as https from 'node:https';
import type * as http from 'node:http';
import type * as net from 'node:net';
import * as path from 'node:path';
import { generateCertificate, type GeneratedCert } from './certs';
import { capture, errorBody, hugeBody, htmlPage, malform, matchFault, writeBody, type ServerKind } from './faults';
import type { AppContext, CertMode, EmDataHooks, EmOptions, FaultRule, RequestRecord, ServerApp, Simulator, SimulatorOptions, SimulatorStats } from './types';
import { createVb365App } from './vb365';
import { createVbrApp } from './vbr';
import { sessionState } from './vb365/data';
import { logItems } from './vb365/logs';
import { sessionDetails } from './vb365/views';

export { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './vb365';
export type * from './types';

const LOG_MAX = 2000;
const RESPONSE_BODY_MAX = 64 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Simulator plus extras that are not in the contract. */
export interface SimulatorExt extends Simulator {
  /** The CA behind the leaf in every CA-signed mode (ca-signed, expired, wrong-host); caPem is only set for 'ca-signed'. */
  testCaPem?: string;
  /** The credentials every server accepts (unless VbrOptions / Vb365Options set others). */
  credentials: { username: string; password: string };
}

type EmFactory = (opts: EmOptions, ctx: AppContext) => ServerApp;

/** The EM app is written separately; until test/simulator/em/index.ts exists the EM listener answers 404 <Error>. */
function loadEm(opts: EmOptions, ctx: AppContext): ServerApp {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, 'em', 'index')) as { createEmApp?: EmFactory };
    if (typeof mod.createEmApp === 'function') return mod.createEmApp(opts, ctx);
  } catch (e) {
    const missing = (e as { code?: string }).code === 'MODULE_NOT_FOUND' && String(e).includes(path.join(__dirname, 'em', 'index'));
    if (!missing) process.stderr.write(`[simulator] EM app failed to load: ${String(e)}\n`);
  }
  return {
    handle: (_req, res) => {
      const b = errorBody('em', 404, 'The Enterprise Manager simulator is not available.');
      writeBody(res, 404, b.type, b.text);
    },
    expireTokens: () => undefined,
  };
}

class Listening {
  server?: https.Server;
  readonly sockets = new Set<net.Socket>();
  port: number;
  constructor(port: number) { this.port = port; }
}

/** Keep what a response sends (headers and the first RESPONSE_BODY_MAX bytes of the body) without changing it. */
function keepResponse(res: http.ServerResponse): { headers(): http.OutgoingHttpHeaders; body(): string } {
  const extra: http.OutgoingHttpHeaders = {};
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (c: unknown): void => {
    if (size >= RESPONSE_BODY_MAX) return;
    const b = typeof c === 'string' ? Buffer.from(c) : c instanceof Uint8Array ? Buffer.from(c) : undefined;
    if (!b) return;
    const part = b.subarray(0, RESPONSE_BODY_MAX - size);
    chunks.push(part);
    size += part.length;
  };
  const { writeHead, write, end } = res;
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    const h = typeof args[1] === 'string' ? args[2] : args[1];
    if (Array.isArray(h)) {
      for (let i = 0; i + 1 < h.length; i += 2) extra[String(h[i]).toLowerCase()] = h[i + 1] as string;
    } else if (h && typeof h === 'object') {
      for (const [k, v] of Object.entries(h as http.OutgoingHttpHeaders)) extra[k.toLowerCase()] = v;
    }
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  res.write = function (this: http.ServerResponse, ...args: unknown[]) {
    keep(args[0]);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  res.end = function (this: http.ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') keep(args[0]);
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.end;
  return {
    headers: () => ({ ...res.getHeaders(), ...extra }),
    body: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimulatorExt> {
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? 42;
  let cert: GeneratedCert = generateCertificate(opts.cert ?? 'self-signed', opts.signWith);
  let latencyMs = opts.latencyMs ?? 0;
  const faults: FaultRule[] = [];
  const stats: SimulatorStats = { requests: 0, posts: {}, totalPosts: 0, log: [] };
  const listeners: Record<ServerKind, Listening> = {
    vb365: new Listening(opts.vb365Port ?? 0), em: new Listening(opts.emPort ?? 0), vbr: new Listening(opts.vbrPort ?? 0),
  };
  const urlOf = (k: ServerKind): string => `https://${host.includes(':') ? `[${host}]` : host}:${listeners[k].port}`;
  const vb365 = createVb365App(opts.vb365 ?? {}, { seed, baseUrl: () => urlOf('vb365') });
  const em = loadEm(opts.em ?? {}, { seed, baseUrl: () => urlOf('em') });
  const vbr = createVbrApp(opts.vbr ?? {}, { seed, baseUrl: () => urlOf('vbr'), certificatePem: () => cert.pem });
  const apps: Record<ServerKind, ServerApp> = { vb365, em, vbr };

  function record(kind: ServerKind, req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const method = (req.method ?? 'GET').toUpperCase();
    const p = req.url ?? '/';
    stats.requests++;
    if (method === 'POST') {
      const key = p.split('?')[0];
      stats.posts[key] = (stats.posts[key] ?? 0) + 1;
      stats.totalPosts++;
    }
    const rec: RequestRecord = { server: kind, method, path: p, status: 0, headers: req.headers, body, at: Date.now() };
    stats.log.push(rec);
    if (stats.log.length > LOG_MAX) stats.log.splice(0, stats.log.length - LOG_MAX);
    const response = method === 'POST' ? keepResponse(res) : undefined;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      rec.status = res.headersSent ? res.statusCode : 0;
      if (response) {
        rec.responseHeaders = response.headers();
        rec.responseBody = response.body();
      }
      if (opts.verbose) process.stderr.write(`[${kind}] ${method} ${p} → ${rec.status || 'no response'}\n`);
      opts.onRequestDone?.(rec);
    };
    res.once('finish', done);
    res.once('close', () => { if (!res.writableFinished) done(); });
  }

  async function respond(kind: ServerKind, req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const fault = matchFault(faults, kind, method, req.url ?? '/');
    if (latencyMs > 0) await sleep(latencyMs);
    const app = apps[kind];
    const xml = kind === 'em';
    if (!fault) { await app.handle(req, res, body); return; }
    switch (fault.kind) {
      case 'delay': await sleep(fault.delayMs ?? 1000); await app.handle(req, res, body); return;
      case 'hang': return; // the socket stays open until the client gives up or the simulator stops
      case 'status': {
        const status = fault.status ?? 500;
        const b = errorBody(kind, status, `Simulated failure (HTTP ${status}).`);
        writeBody(res, status, b.type, b.text);
        return;
      }
      case 'status-empty': writeBody(res, fault.status ?? 500, undefined, ''); return;
      case 'retry-after': {
        const b = errorBody(kind, 429, 'Too many requests.');
        writeBody(res, 429, b.type, b.text, { 'Retry-After': String(fault.retryAfterSeconds ?? 1) });
        return;
      }
      case 'html': writeBody(res, fault.status ?? 502, 'text/html; charset=utf-8', htmlPage(fault.status ?? 502)); return;
      default: break;
    }
    const real = await capture(res, () => app.handle(req, res, body));
    const type = (real.headers['content-type'] as string | undefined) ?? (xml ? 'application/xml' : 'application/json; charset=utf-8');
    const text = real.body.toString('utf8');
    switch (fault.kind) {
      case 'malformed': writeBody(res, 200, type, malform(text, xml)); return;
      case 'truncated': writeBody(res, 200, type, real.body.subarray(0, Math.floor(real.body.length / 2))); return;
      case 'huge': writeBody(res, 200, type, hugeBody(text, xml)); return;
      case 'wrong-content-type': writeBody(res, 200, 'text/plain; charset=utf-8', real.body); return;
      case 'reset': {
        const full = real.body.length >= 64 ? real.body : Buffer.concat([real.body, Buffer.alloc(4096, 0x20)]);
        res.writeHead(real.status, { 'Content-Type': type, 'Content-Length': String(full.length) });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
        return;
      }
    }
  }

  function makeServer(kind: ServerKind): https.Server {
    const l = listeners[kind];
    const server = https.createServer({ cert: cert.pem, key: cert.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        record(kind, req, res, body);
        respond(kind, req, res, body).catch((e: unknown) => {
          process.stderr.write(`[simulator] ${kind} handler error: ${e instanceof Error ? e.stack : String(e)}\n`);
          if (!res.headersSent) {
            const b = errorBody(kind, 500, 'Internal simulator error.');
            writeBody(res, 500, b.type, b.text);
          } else res.destroy();
        });
      });
    });
    server.on('connection', (s: net.Socket) => { l.sockets.add(s); s.once('close', () => l.sockets.delete(s)); });
    server.on('tlsClientError', () => undefined); // clients rejecting our certificate is expected in cert tests
    return server;
  }

  async function listen(kind: ServerKind): Promise<void> {
    const l = listeners[kind];
    if (l.server) return;
    const server = makeServer(kind);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(l.port, host, () => { server.off('error', reject); resolve(); });
    });
    l.server = server;
    l.port = (server.address() as net.AddressInfo).port;
  }

  async function unlisten(kind: ServerKind): Promise<void> {
    const l = listeners[kind];
    const server = l.server;
    if (!server) return;
    l.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of l.sockets) s.destroy();
    l.sockets.clear();
    await closed;
  }

  const kinds: ServerKind[] = ['vb365', 'em', 'vbr'];
  const start = async (): Promise<void> => {
    for (const k of kinds) {
      try { await listen(k); } catch (e) { await Promise.all(kinds.map(unlisten)); throw e; }
    }
  };
  const stop = async (): Promise<void> => { await Promise.all(kinds.map(unlisten)); };
  await start();

  const sim: SimulatorExt = {
    get vb365() { return { url: urlOf('vb365'), port: listeners.vb365.port }; },
    get em() { return { url: urlOf('em'), port: listeners.em.port }; },
    get vbr() { return { url: urlOf('vbr'), port: listeners.vbr.port }; },
    get vbrUrl() { return urlOf('vbr'); },
    get certificate() { return { pem: cert.pem, fingerprint256: cert.fingerprint256, subject: cert.subject, validTo: cert.validTo }; },
    get caPem() { return cert.caPem; },
    get testCaPem() { return cert.issuerPem; },
    credentials: { username: opts.vb365?.username ?? 'LAB\\administrator', password: opts.vb365?.password ?? 'Veeam123!' },
    stats,
    resetStats() { stats.requests = 0; stats.posts = {}; stats.totalPosts = 0; stats.log = []; },
    addFault(rule) { faults.push({ ...rule }); },
    clearFaults() { faults.length = 0; },
    setLatency(ms) { latencyMs = ms; },
    expireTokens() { vb365.expireTokens(); em.expireTokens(); vbr.expireTokens(); },
    expireRefreshTokens() { vb365.expireRefreshTokens(); em.expireRefreshTokens?.(); vbr.expireRefreshTokens(); },
    stop, start,
    async rotateCertificate(mode?: CertMode) {
      cert = generateCertificate(mode ?? cert.mode, opts.signWith);
      for (const l of Object.values(listeners)) l.server?.setSecureContext({ cert: cert.pem, key: cert.key });
    },
    vb365Data: {
      repositories: () => vb365.data.repositories.map((r) => ({ id: r.id, name: r.name, capacityBytes: r.capacityBytes, freeSpaceBytes: r.freeSpaceBytes })),
      jobs: () => vb365.data.jobs.map((j) => ({ id: j.id, name: j.name, isEnabled: j.isEnabled, running: !!vb365.runners.runningSession(j.id, Date.now()) })),
      deleteJobSession: (id) => vb365.runners.deleteSession(id.toLowerCase()),
      stallSync: (id) => vb365.runners.stallSync(id.toLowerCase()),
      sessions: () => {
        const now = Date.now();
        const names = new Map(vb365.data.jobs.map((j) => [j.id, j.name]));
        return vb365.data.sessions.map((x) => {
          const st = sessionState(x, now);
          return {
            id: x.id, jobId: x.jobId, jobName: names.get(x.jobId) ?? '', status: st.status, message: sessionDetails(x, st.status),
            creationTime: new Date(x.creationTime).toISOString(), endTime: st.endTime === null ? undefined : new Date(st.endTime).toISOString(),
            transferredBytes: st.statistics.transferredDataBytes,
          };
        });
      },
      bigLogSession: () => vb365.data.bigLogSessionId,
      logItemCount: (id) => {
        const x = vb365.data.sessionById.get(id.toLowerCase());
        return x ? logItems(x, Date.now(), seed).length : 0;
      },
      nextRun: (id, plan) => vb365.runners.planRun(id.toLowerCase(), plan),
      failSync: (id, error) => vb365.runners.failSync(id.toLowerCase(), error),
    },
    vbrData: vbr.hooks,
    emData: (em as ServerApp & { hooks?: EmDataHooks }).hooks ?? new Proxy({} as EmDataHooks, {
      get: () => () => { throw new Error('The Enterprise Manager simulator is not available.'); },
    }),
    close: stop,
  };
  return sim;
}
