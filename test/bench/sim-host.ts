// The simulator in its own process for `npm run bench`, so that the bench's CPU time (process.cpuUsage)
// and heap are the client's alone. Started with one JSON argument: { count, options } (count simulators,
// each with a VB365 and an EM listener). Prints one JSON line with their URLs, certificates and the
// credentials, and serves a control endpoint (plain HTTP on 127.0.0.1) for the stats:
//   GET  /stats            → [{ requests, log: [{ server, method, path, status, accept, apiVersion }] }] per simulator
//                            (accept, x-api-version: the request's headers, for a raw replay of the same GETs)
//   POST /reset            → clears every simulator's stats
//   POST /latency?ms=200   → latency added to every response of every simulator
// It exits when its parent goes away (stdin closes).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, SimulatorExt, SimulatorOptions } from '../simulator';

export interface SimInfo {
  vb365: string;
  em: string;
  /** Once the simulator serves VBR. */
  vbr?: string;
  fingerprint256: string;
  pem: string;
  username: string;
  password: string;
}

export interface SimHostReady { control: string; sims: SimInfo[] }

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

async function main(): Promise<void> {
  const { count, options } = JSON.parse(process.argv[2] ?? '{}') as { count?: number; options?: SimulatorOptions };
  const sims: SimulatorExt[] = [];
  for (let i = 0; i < (count ?? 1); i++) { sims.push(await startSimulator({ ...options, seed: (options?.seed ?? 42) + i })); }
  const control = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (v: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };
    if (url.pathname === '/stats') {
      reply(sims.map((s) => ({ requests: s.stats.requests, log: s.stats.log.map((r) => ({ server: r.server, method: r.method, path: r.path, status: r.status,
        accept: header(r.headers.accept), apiVersion: header(r.headers['x-api-version']) })) })));
    } else if (url.pathname === '/reset') {
      for (const s of sims) { s.resetStats(); }
      reply({});
    } else if (url.pathname === '/latency') {
      for (const s of sims) { s.setLatency(Number(url.searchParams.get('ms') ?? 0)); }
      reply({});
    } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  const ready: SimHostReady = {
    control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    sims: sims.map((s) => ({ vb365: s.vb365.url, em: s.em.url, vbr: (s as unknown as { vbr?: { url: string } }).vbr?.url,
      fingerprint256: s.certificate.fingerprint256, pem: s.certificate.pem, ...s.credentials })),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
}

void main();
