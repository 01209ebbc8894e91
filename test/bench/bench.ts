// `npm run bench`: the numbers the issues ask for, printed (never asserted).
//  1. bundle size; 2. bundle load + activate() (cold, own process, median of 7);
//  3. VB365: list + normalize 10,000 job sessions vs raw fetch + JSON.parse of the same pages;
//  4. EM: list + normalize 10,000 replica task sessions (XML) vs raw fetch + plain XMLParser;
//  5. HTTP requests while idle for BENCH_IDLE_SECONDS (default 60) with nothing running.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { startSimulator, SimulatorExt } from '../simulator';
import { kindOf } from '../../src/api/kinds';
import { Entity, ServerClient } from '../../src/api/model';
import { fakeContext, installVscodeStub } from './vscode-stub';

const ROOT = path.resolve(__dirname, '../../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(1)} ms`;

function client(sim: SimulatorExt, kind: 'vb365' | 'em', pageSize: number): ServerClient {
  return kindOf(kind)!.createClient({
    name: kind, kind, url: kind === 'vb365' ? sim.vb365.url : sim.em.url, username: sim.credentials.username,
    trustedCertificate: sim.certificate.fingerprint256,
  }, { credentials: { password: async () => sim.credentials.password }, log: () => undefined, http: { timeoutMs: 60000, connectTimeoutMs: 5000, pageSize } });
}

function raw(url: string, headers: Record<string, string>, ca: string, agent: https.Agent, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca, agent, checkServerIdentity: () => undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ROUNDS = 9;

/** Client and raw runs in pairs, alternating which goes first; medians of times and of per-pair ratios. */
async function paired(client: () => Promise<void>, rawRun: () => Promise<void>): Promise<{ client: number; raw: number; ratio: number }> {
  const tc: number[] = []; const tr: number[] = []; const ratios: number[] = [];
  const time = async (fn: () => Promise<void>) => { const t = performance.now(); await fn(); return performance.now() - t; };
  for (let i = 0; i < ROUNDS; i++) {
    let a: number; let b: number;
    if (i % 2 === 0) { a = await time(client); b = await time(rawRun); } else { b = await time(rawRun); a = await time(client); }
    tc.push(a); tr.push(b); ratios.push(a / b);
  }
  return { client: median(tc), raw: median(tr), ratio: median(ratios) };
}

async function pageAll(c: ServerClient, parent: Entity): Promise<number> {
  let n = 0; let cursor: string | undefined;
  do { const p = await c.children(parent, cursor); n += p.items.filter((e) => e.type !== 'folder').length; cursor = p.next; } while (cursor);
  return n;
}

async function vb365Listing(): Promise<void> {
  const sim = await startSimulator({ vb365: { benchSessions: 10000, sessionsPerJob: 0 } });
  try {
    const c = client(sim, 'vb365', 1000);
    const top = await c.children(undefined, undefined);
    const job = (await c.children(top.items.find((f) => f.ref.folder === 'jobs')!, undefined)).items
      .find((j) => j.name && true)!;
    sim.resetStats();
    await pageAll(c, job);                                   // warm-up + the paths to replay
    const paths = sim.stats.log.filter((r) => r.method === 'GET' && /JobSessions/.test(r.path)).map((r) => r.path);
    const agent = new https.Agent({ keepAlive: true });
    const tok = JSON.parse((await raw(`${sim.vb365.url}/v8/Token`, { 'content-type': 'application/x-www-form-urlencoded' }, sim.certificate.pem, agent, 'POST',
      new URLSearchParams({ grant_type: 'password', username: sim.credentials.username, password: sim.credentials.password, disable_antiforgery_token: 'true' }).toString())).text);
    let count = 0; let rawCount = 0;
    const r = await paired(async () => { count = await pageAll(c, job); }, async () => {
      rawCount = 0;
      for (const p of paths) { rawCount += (JSON.parse((await raw(sim.vb365.url + p, { authorization: `Bearer ${tok.access_token}`, accept: 'application/json' }, sim.certificate.pem, agent)).text).results as unknown[]).length; }
    });
    console.log(`VB365 job sessions: ${count} listed in ${paths.length} pages (raw ${rawCount})`);
    console.log(`  client list + normalize: ${ms(r.client)}   raw fetch + JSON.parse: ${ms(r.raw)}   ratio ${r.ratio.toFixed(2)}× (median of ${ROUNDS} paired runs; goal ≤ 1.3×)`);
    agent.destroy(); await c.dispose();
  } finally { await sim.close(); }
}

async function emListing(): Promise<void> {
  const sim = await startSimulator({ em: { benchReplicaTaskSessions: 10000, sessionsPerJob: 20 } });
  try {
    const c = client(sim, 'em', 1000);
    const top = await c.children(undefined, undefined);
    const sessions = (await c.children(top.items.find((f) => f.ref.folder === 'replicaSessions')!, undefined)).items;
    let target: Entity | undefined;
    for (const s of sessions) { if ((await c.children(s, undefined)).next) { target = s; break; } }
    if (!target) { console.log('EM: no bench session found'); return; }
    sim.resetStats();
    await pageAll(c, target);
    const paths = sim.stats.log.filter((r) => r.method === 'GET' && /type=ReplicaTaskSession/i.test(r.path)).map((r) => r.path);
    const agent = new https.Agent({ keepAlive: true });
    const logon = await raw(`${sim.em.url}/api/sessionMngr/?v=latest`, {
      authorization: `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`, 'content-length': '0' }, sim.certificate.pem, agent, 'POST');
    const sid = String(logon.headers['x-restsvcsessionid']);
    const parser = new XMLParser({ ignoreAttributes: false });
    let count = 0;
    const r = await paired(async () => { count = await pageAll(c, target!); }, async () => {
      for (const p of paths) { parser.parse((await raw(sim.em.url + p, { 'x-restsvcsessionid': sid }, sim.certificate.pem, agent)).text); }
    });
    console.log(`EM replica task sessions: ${count} listed in ${paths.length} pages (XML)`);
    console.log(`  client list + normalize: ${ms(r.client)}   raw fetch + XMLParser: ${ms(r.raw)}   ratio ${r.ratio.toFixed(2)}× (median of ${ROUNDS} paired runs; goal ≤ 1.3×)`);
    agent.destroy(); await c.dispose();
  } finally { await sim.close(); }
}

async function idle(): Promise<void> {
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const sim = await startSimulator({});
  try {
    const settings: Record<string, unknown> = { 'veeam.servers': [{ name: 'sim', kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 }] };
    installVscodeStub(settings);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ext = require(path.join(ROOT, 'dist/extension.js')) as { activate(c: unknown): { tree: { getChildren(n?: unknown): Promise<unknown[]> }; store: { list(): { key: string }[] }; secrets: { set(k: string, v: string): Promise<void> } } };
    const ctx = ext.activate(fakeContext());
    await ctx.secrets.set(ctx.store.list()[0].key, sim.credentials.password);
    const [server] = await ctx.tree.getChildren();
    for (const f of await ctx.tree.getChildren(server)) { if ((f as { entity?: { ref?: { folder?: string } } }).entity?.ref?.folder !== 'jobs') { await ctx.tree.getChildren(f); } }
    sim.resetStats();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    console.log(`Idle: ${sim.stats.requests} HTTP requests in ${seconds} s with the tree expanded and nothing running (goal 0)`);
  } finally { await sim.close(); }
}

async function main(): Promise<void> {
  const bundle = path.join(ROOT, 'dist/extension.js');
  const size = fs.statSync(bundle).size;
  console.log(`Bundle: dist/extension.js ${(size / 1024).toFixed(1)} KB minified, ${(zlib.gzipSync(fs.readFileSync(bundle)).length / 1024).toFixed(1)} KB gzipped (goal ≤ 250 KB)`);
  const runs = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'activate.js')], { encoding: 'utf8' })) as { loadMs: number; activateMs: number; totalMs: number; sockets: number });
  console.log(`Activation (cold, ${runs.length} processes, median): load ${ms(median(runs.map((r) => r.loadMs)))} + activate() ${ms(median(runs.map((r) => r.activateMs)))} = ${ms(median(runs.map((r) => r.totalMs)))} (goal ≤ 30 ms); sockets opened: ${Math.max(...runs.map((r) => r.sockets))}`);
  await vb365Listing();
  await emListing();
  await idle();
  process.exit(0);
}

void main();
