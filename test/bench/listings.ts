// Listing benchmarks: a kind's client (from the bundle in dist/, as shipped) lists and normalizes 10,000
// sessions, against a raw fetch + parse of exactly the same pages with the same parser. Client and raw
// runs go in pairs, alternating which runs first, each after a scavenge (see paired()); the first pairs are
// discarded as warm-up. Wall time and this process's CPU time (the simulator runs in its own process) are both
// kept. A kind is benched when its file is in dist/ and it has a recipe here.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Entity, ServerClient, ServerKind } from '../../src/api/model';
import { DIST, SimHost, median, minorGc, quantile, settle, timed } from './lib';
import type { SimInfo } from './sim-host';
import { installVscodeStub } from './vscode-stub';

export interface PairStats {
  pairs: number;
  client: { wall: number; cpu: number };
  raw: { wall: number; cpu: number };
  wall: { median: number; p25: number; p75: number };
  cpu: { median: number; p25: number; p75: number };
  /** Every pair: [client wall, client CPU, raw wall, raw CPU] in ms. */
  samples: [number, number, number, number][];
}

export interface ListingResult { kind: string; what: string; parser: string; count: number; rawCount: number; pages: number; reps: number; stats: PairStats }

interface Recipe {
  kind: string;
  what: string;
  parser: string;
  /** The entity whose children are the 10,000 sessions. */
  target(c: ServerClient): Promise<Entity>;
  /** The requests that fetched its pages. */
  page: RegExp;
  /** Headers for the raw requests (logs on with the raw client). */
  rawHeaders(sim: SimInfo, agent: https.Agent): Promise<Record<string, string>>;
  /** Parse a page the plain way; returns the number of items (or 0 when counting is not the point). */
  rawParse(text: string): number;
}

/**
 * The XMLParser class the kinds use: dist/shared.js's own copy (same code, same minification), so raw
 * and client parse with the very same parser; the package's when the bundle has none to share.
 */
function bundledXmlParser(): typeof XMLParser {
  const file = path.join(DIST, 'shared.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reg = fs.existsSync(file) ? (require(file) as { __shared?: Record<string, { XMLParser?: typeof XMLParser }> }).__shared ?? {} : {};
  const key = Object.keys(reg).find((k) => /fast-xml-parser\/src\/fxp\.js$/.test(k));
  return (key && reg[key].XMLParser) || XMLParser;
}
let plainXml: XMLParser | undefined;

const RECIPES: Recipe[] = [
  {
    kind: 'vb365', what: 'job sessions', parser: 'JSON.parse',
    async target(c) {
      const top = await c.children(undefined, undefined);
      return (await c.children(top.items.find((f) => f.ref.folder === 'jobs')!, undefined)).items[0];
    },
    page: /^\/v\d\/JobSessions\b/,
    async rawHeaders(sim, agent) {
      const tok = JSON.parse((await raw(`${sim.vb365}/v8/Token`, { 'content-type': 'application/x-www-form-urlencoded' }, sim.pem, agent, 'POST',
        new URLSearchParams({ grant_type: 'password', username: sim.username, password: sim.password, disable_antiforgery_token: 'true' }).toString())).text) as { access_token: string };
      return { authorization: `Bearer ${tok.access_token}`, accept: 'application/json' };
    },
    rawParse: (text) => (JSON.parse(text) as { results: unknown[] }).results.length,
  },
  {
    kind: 'em', what: 'replica task sessions (XML)', parser: 'XMLParser({ ignoreAttributes: false }) (the bundle\'s own)',
    async target(c) {
      const top = await c.children(undefined, undefined);
      const sessions = (await c.children(top.items.find((f) => f.ref.folder === 'replicaSessions')!, undefined)).items;
      for (const s of sessions) { if ((await c.children(s, undefined)).next) { return s; } }
      throw new Error('EM: no session with more than one page of task sessions');
    },
    page: /^\/api\/query\?type=ReplicaTaskSession\b/i,
    async rawHeaders(sim, agent) {
      const logon = await raw(`${sim.em}/api/sessionMngr/?v=latest`, {
        authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`, 'content-length': '0' }, sim.pem, agent, 'POST');
      return { 'x-restsvcsessionid': String(logon.headers['x-restsvcsessionid']) };
    },
    rawParse: (text) => {
      plainXml ??= new (bundledXmlParser())({ ignoreAttributes: false });
      const doc = plainXml.parse(text) as { QueryResult?: { Entities?: { ReplicaTaskSessions?: { ReplicaTaskSession?: unknown[] } } } };
      return doc.QueryResult?.Entities?.ReplicaTaskSessions?.ReplicaTaskSession?.length ?? 0;
    },
  },
  {
    // Runs once the VBR kind (dist/api/vbr.js) and the simulator's VBR server are merged (vbr-client branch).
    kind: 'vbr', what: 'job sessions', parser: 'JSON.parse',
    async target(c) {
      const top = await c.children(undefined, undefined);
      const jobs = (await c.children(top.items.find((f) => f.ref.folder === 'jobs')!, undefined)).items;
      for (const j of jobs) { if ((await c.children(j, undefined)).next) { return j; } }
      throw new Error('VBR: no job with more than one page of sessions (simulator vbr.benchSessions)');
    },
    page: /^\/api\/v1\/sessions\?/,
    async rawHeaders(sim, agent) {
      const url = (sim as unknown as Record<string, string>).vbr;
      const version = { 'x-api-version': '1.3-rev2' };
      const tok = JSON.parse((await raw(`${url}/api/oauth2/token`, { ...version, 'content-type': 'application/x-www-form-urlencoded' }, sim.pem, agent, 'POST',
        new URLSearchParams({ grant_type: 'password', username: sim.username, password: sim.password }).toString())).text) as { access_token: string };
      return { ...version, authorization: `Bearer ${tok.access_token}`, accept: 'application/json' };
    },
    rawParse: (text) => (JSON.parse(text) as { data: unknown[] }).data.length,
  },
];

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

async function pageAll(c: ServerClient, parent: Entity): Promise<number> {
  let n = 0; let cursor: string | undefined;
  do { const p = await c.children(parent, cursor); n += p.items.filter((e) => e.type !== 'folder').length; cursor = p.next; } while (cursor);
  return n;
}

/**
 * Pairs of (a, b), alternating which runs first; settle() (a full GC and its sweeping done) after the warm-up
 * pairs, which are dropped, then a scavenge before each run (lib.ts minorGc says why not a full GC). The
 * dashboard bench pairs its runs with this too.
 */
export async function paired(a: () => Promise<unknown>, b: () => Promise<unknown>, pairs: number, warmup: number): Promise<PairStats> {
  const rows: { a: { wall: number; cpu: number }; b: { wall: number; cpu: number } }[] = [];
  const run = async (fn: () => Promise<unknown>) => { minorGc(); return timed(fn); };
  for (let i = 0; i < warmup + pairs; i++) {
    if (i === warmup) { await settle(); }
    let ta; let tb;
    if (i % 2 === 0) { ta = await run(a); tb = await run(b); } else { tb = await run(b); ta = await run(a); }
    if (i >= warmup) { rows.push({ a: ta, b: tb }); }
  }
  const q = (xs: number[]) => ({ median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75) });
  return {
    pairs,
    client: { wall: median(rows.map((r) => r.a.wall)), cpu: median(rows.map((r) => r.a.cpu)) },
    raw: { wall: median(rows.map((r) => r.b.wall)), cpu: median(rows.map((r) => r.b.cpu)) },
    wall: q(rows.map((r) => r.a.wall / r.b.wall)),
    cpu: q(rows.map((r) => r.a.cpu / r.b.cpu)),
    samples: rows.map((r) => [r.a.wall, r.a.cpu, r.b.wall, r.b.cpu]),
  };
}

/** The kinds in dist/api/ (as built), with their recipe or undefined. */
export function builtKinds(): { kind: string; recipe?: Recipe }[] {
  const dir = path.join(DIST, 'api');
  return (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3))
    .map((kind) => ({ kind, recipe: RECIPES.find((r) => r.kind === kind) }));
}

/** `reps` listings per timed sample (short listings are noisy on a shared machine; the ratio is the same). */
export async function listing(recipe: Recipe, host: SimHost, pairs: number, warmup: number, reps = 1): Promise<ListingResult> {
  installVscodeStub({});
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(DIST, 'api', `${recipe.kind}.js`)) as Record<string, ServerKind>;
  const kind = Object.values(mod).find((k) => k && typeof k.createClient === 'function')!;
  const sim = host.sims[0];
  const url = (sim as unknown as Record<string, string | undefined>)[recipe.kind];
  if (!url) { throw new Error(`the simulator serves no ${recipe.kind} API`); }
  const c = kind.createClient({ name: recipe.kind, kind: recipe.kind, url, username: sim.username, trustedCertificate: sim.fingerprint256 },
    { credentials: { password: async () => sim.password }, log: () => undefined, http: { timeoutMs: 120000, connectTimeoutMs: 5000, pageSize: 1000 } });
  const agent = new https.Agent({ keepAlive: true });
  try {
    const target = await recipe.target(c);
    await host.reset();
    const count = await pageAll(c, target);
    const paths = (await host.stats())[0].log.filter((r) => r.method === 'GET' && recipe.page.test(r.path)).map((r) => r.path);
    const headers = await recipe.rawHeaders(sim, agent);
    let rawCount = 0;
    const stats = await paired(async () => { for (let i = 0; i < reps; i++) { await pageAll(c, target); } }, async () => {
      for (let i = 0; i < reps; i++) {
        rawCount = 0;
        for (const p of paths) { rawCount += recipe.rawParse((await raw(url + p, headers, sim.pem, agent)).text); }
      }
    }, pairs, warmup);
    return { kind: recipe.kind, what: recipe.what, parser: recipe.parser, count, rawCount, pages: paths.length, reps, stats };
  } finally {
    agent.destroy();
    await c.dispose();
  }
}
