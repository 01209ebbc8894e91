// One cold start, in its own process: require the bundle and run activate(); prints JSON with wall and
// CPU time of each, the sockets opened (must be 0: no network in activate()) and the files loaded from
// dist/ (only the core: the kinds load on first use).
// Argument (JSON, optional): { preload: ['node:tls', …], icu: true } loads those builtins and makes the first
// Intl.NumberFormat before the clock starts, so that the bench can say what part of a cold start they are;
// kinds: true then times the first require of each dist/api/<kind>.js (after the sockets and files are counted).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fakeContext, installVscodeStub } from './vscode-stub';

const opts = JSON.parse(process.argv[2] ?? '{}') as { preload?: string[]; icu?: boolean; kinds?: boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
for (const m of opts.preload ?? []) { require(m); }
if (opts.icu) { new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(1.5); }
// What loading those left behind is collected before the clock starts (run with --expose-gc): otherwise the
// first scavenge of their garbage falls into the bundle's load and is charged to the extension.
if ((opts.preload?.length || opts.icu) && typeof globalThis.gc === 'function') { globalThis.gc(); }

installVscodeStub({ 'veeam.servers': [{ name: 'x', kind: 'vb365', url: 'https://127.0.0.1:1', username: 'u' }, { name: 'y', kind: 'em', url: 'https://127.0.0.1:2', username: 'u' }] });
let sockets = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  sockets++;
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const dist = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.resolve(__dirname, '../../../dist');
const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const c0 = process.cpuUsage();
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require(path.join(dist, 'extension.js')) as { activate(c: unknown): unknown };
const t1 = performance.now();
const c1 = process.cpuUsage();
ext.activate(fakeContext());
const t2 = performance.now();
const c2 = process.cpuUsage();
setTimeout(() => {
  const files = Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep)).map((f) => path.relative(dist, f));
  // Then each kind's first use (the first one also loads dist/shared.js), as a first expand would.
  const kinds: { file: string; ms: number; cpuMs: number }[] = [];
  const api = path.join(dist, 'api');
  for (const f of opts.kinds && fs.existsSync(api) ? fs.readdirSync(api).filter((n) => n.endsWith('.js')).sort() : []) {
    const k0 = process.cpuUsage(); const w0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(api, f));
    kinds.push({ file: `api/${f}`, ms: performance.now() - w0, cpuMs: cpu(process.cpuUsage(k0)) });
  }
  process.stdout.write(JSON.stringify({
    kinds,
    loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0,
    loadCpuMs: cpu(c1) - cpu(c0), activateCpuMs: cpu(c2) - cpu(c1), totalCpuMs: cpu(c2) - cpu(c0),
    sockets, files,
  }));
  process.exit(0);
}, 200);
