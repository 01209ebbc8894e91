// Helpers shared by the bench's processes: the simulator host, child processes, statistics.
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChildProcess, spawn } from 'node:child_process';
import type { SimulatorOptions } from '../simulator';
import type { SimHostReady, SimInfo } from './sim-host';

export const ROOT = path.resolve(__dirname, '../../..');
/** The build under test: dist/ (BENCH_DIST=<dir> benches another build, e.g. a prototype's). */
export const DIST = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist');

// ---- statistics --------------------------------------------------------------------------

export function quantile(xs: number[], q: number): number {
  if (!xs.length) { return NaN; }
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
export const median = (xs: number[]) => quantile(xs, 0.5);
/** "median (p25–p75)" with a formatter. */
export function spread(xs: number[], f: (n: number) => string): string {
  return `${f(median(xs))} (IQR ${f(quantile(xs, 0.25))}–${f(quantile(xs, 0.75))})`;
}
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const x = (n: number) => `${n.toFixed(2)}×`;
export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
export const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** Wall and CPU (user + system, this process) time of one call, in ms. */
export async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * A scavenge only: empties V8's young generation so a run does not pay for the other run's garbage. Not a full
 * GC: after one, V8 shrinks the young generation to its minimum and the run that keeps more objects alive while
 * it works (a client's entities next to the parsed page) pays for growing it again, scavenge after scavenge: the
 * VB365 listing measured 39 ms after a full GC and 26 ms after a scavenge, for the same work. The extension host
 * never runs a full GC before a listing.
 */
export function minorGc(): void {
  (globalThis as { gc?: (o?: { type: 'minor' | 'major' }) => void }).gc?.({ type: 'minor' });
}

/**
 * A full GC, then a pause while V8's background threads finish sweeping: process.cpuUsage counts every
 * thread, so a run timed right after gc() is charged for that sweeping too (2× and more for a short run
 * on a big heap, measured on aggregate() over 30,000 sessions).
 */
export async function settle(pauseMs = 60): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, pauseMs));
}

/** What a bench section gives bench.ts: lines to print and rows for the summary table. */
export interface Printed {
  lines: Record<string, string | number>;
  rows: { what: string; measured: string; goal: string; ok?: boolean }[];
}

// ---- the simulator host (test/bench/sim-host.ts) ----------------------------------------

export interface StatsRecord { server: 'vb365' | 'em' | 'vbr'; method: string; path: string; status: number; accept?: string; apiVersion?: string }
export interface SimHost {
  sims: SimInfo[];
  control: string;
  stats(): Promise<{ requests: number; log: StatsRecord[] }[]>;
  reset(): Promise<void>;
  latency(ms: number): Promise<void>;
  close(): void;
}

function call<T>(url: string, method = 'GET'): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T); } catch (e) { reject(e as Error); } });
    });
    req.on('error', reject);
    req.end();
  });
}

export function controlOf(control: string): Pick<SimHost, 'stats' | 'reset' | 'latency'> {
  return {
    stats: () => call(`${control}/stats`),
    reset: async () => { await call(`${control}/reset`, 'POST'); },
    latency: async (n) => { await call(`${control}/latency?ms=${n}`, 'POST'); },
  };
}

export async function startSimHost(count: number, options: SimulatorOptions): Promise<SimHost> {
  const child = spawn(process.execPath, [path.join(__dirname, 'sim-host.js'), JSON.stringify({ count, options })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await firstLine<SimHostReady>(child);
  return { ...ready, ...controlOf(ready.control), close: () => { child.stdin?.end(); child.kill(); } };
}

function firstLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) { child.stdout?.off('data', onData); resolve(JSON.parse(buf.slice(0, nl)) as T); }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}) before it was ready`)));
  });
}

/** Run a bench script in its own Node process; resolves with the JSON it prints last. */
export function runChild<T>(script: string, args: unknown, nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, script), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) { reject(new Error(`${script} exited with ${code}: ${out.slice(-2000)}`)); return; }
      try { resolve(JSON.parse(last) as T); } catch { reject(new Error(`${script} printed no JSON: ${out.slice(-2000)}`)); }
    });
  });
}
