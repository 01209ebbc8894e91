// The overview's numbers (issue #10), for test/bench/bench.ts to call: 30 days of about 30,000 job sessions
// across the kinds, the simulator in its own process (test/bench/sim-host.ts), the measuring in a process
// of its own too, started with --single-threaded-gc: process.cpuUsage counts every thread, and V8's
// background GC threads otherwise charge one run with the sweeping of the garbage of the run before
// (aggregate() read 25 ms CPU with it, 24–90 ms without, on a busy machine). The whole load — every kind's sessionsSince in parallel, then the data
// message the panel sends (overview.ts: aggregate() plus the rows) — against a raw fetch + parse
// (JSON.parse / plain XMLParser) of exactly the same pages, in pairs alternating which runs first, each
// after a scavenge (listings.ts paired()), warm-up pairs dropped; CPU and wall time, median and IQR. Printed, never asserted.
//   import { benchDashboard } from './dashboard-bench';  const r = await benchDashboard();
// Env: BENCH_DASH_PAIRS (15 pairs for the whole load; 8 per kind alone), BENCH_DASH_WARMUP (2).
import * as https from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import { kindOf } from '../../src/api/kinds';
import type { Entity, ServerClient } from '../../src/api/model';
import { ServerInput, aggregate, sinceFor } from '../../src/dashboard/aggregate';
import { overviewData } from '../../src/dashboard/overview';
import type { ToWebview } from '../../src/dashboard/protocol';
import { Printed, SimHost, kb, median, ms, runChild, settle, spread, startSimHost, timed, x } from './lib';
import { PairStats, paired } from './listings';
import type { SimInfo } from './sim-host';
import type { SimulatorOptions } from '../simulator';

export const DAYS = 30;
const ZONE = 'Europe/Berlin';
const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

type Kind = 'vb365' | 'em' | 'vbr';
const KINDS: Kind[] = ['vb365', 'em', 'vbr'];

/**
 * Simulator options for 30 days of ~30,000 sessions: VB365 10,000 on its first job over 30 days, EM 2,000 per job
 * over its 60 days (10,000 in the last 30), VBR 10,000 over 30 days.
 */
export function simOptions(): SimulatorOptions {
  return {
    vb365: { sessionsPerJob: 5, benchSessions: 10_000, benchSpanDays: 30 },
    em: { sessionsPerJob: 2_000 },
    vbr: { benchSessions: 10_000 },
  };
}

/** One kind on the simulator: its client, the GETs its sessionsSince made (to replay raw), and its request count. */
export interface Reader { kind: Kind; client: ServerClient; paths: { path: string; accept: string; apiVersion?: string }[]; requests: number; read: Entity[]; repositories: Entity[] }

/** A client per kind that offers sessionsSince, connected, with one read done (the warm-up, and the pages to replay). */
export async function readers(host: SimHost, since: string): Promise<{ readers: Reader[]; skipped: string[] }> {
  const sim = host.sims[0];
  const out: Reader[] = []; const skipped: string[] = [];
  for (const k of KINDS) {
    const url = (sim as unknown as Record<string, string | undefined>)[k];
    const kind = kindOf(k);
    const client = url && kind ? kind.createClient({ name: k, kind: k, url, username: sim.username, trustedCertificate: sim.fingerprint256 },
      { credentials: { password: async () => sim.password }, log: () => undefined, http: { timeoutMs: 120000, connectTimeoutMs: 5000, pageSize: 1000 } }) : undefined;
    if (!client?.sessionsSince) { skipped.push(k); continue; }
    await client.connect();
    await host.reset();
    const read = await client.sessionsSince({ since, limit: 50_000 });
    const stats = (await host.stats())[0];
    const paths = stats.log.filter((r) => r.method === 'GET' && r.server === k)
      .map((r) => ({ path: r.path, accept: r.accept ?? 'application/json', apiVersion: r.apiVersion }));
    // The repositories too (the panel reads them beside the sessions), for the webview's chart; not timed.
    const repositories = client.repositories ? await client.repositories() : [];
    out.push({ kind: k, client, paths, requests: stats.requests, read, repositories });
  }
  return { readers: out, skipped };
}

export function inputsOf(rs: Reader[], read: Entity[][] = rs.map((r) => r.read)): ServerInput[] {
  return rs.map((r, i) => ({ key: r.kind, name: r.kind, kind: r.kind, sessions: read[i], repositories: r.repositories }));
}

/** The `data` message the panel sends for these sessions (the same function the panel uses). */
export function overviewMessage(inputs: ServerInput[], now: number): ToWebview {
  let seq = 0;
  const data = overviewData(inputs, { days: DAYS, now, zone: 'user', userTimeZone: ZONE, warnPercent: 80 }, (_k, e) => (e ? `r${++seq}` : ''));
  return { type: 'data', data, partial: false };
}

/** One request on a keep-alive agent; a socket the server closed while idle is retried once on a new one (as axios's agent does). */
function raw(url: string, headers: Record<string, string>, ca: string, agent: https.Agent, method = 'GET', body?: string, retry = true): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca, agent, checkServerIdentity: () => undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (retry && req.reusedSocket && e.code === 'ECONNRESET') { raw(url, headers, ca, agent, method, body, false).then(resolve, reject); } else { reject(e); }
    });
    req.end(body);
  });
}

/** The same GETs as the client, with the credentials the raw side gets by itself, each page parsed the plain way. */
async function replayer(sim: SimInfo, r: Reader, agent: https.Agent): Promise<() => Promise<void>> {
  const url = (sim as unknown as Record<string, string>)[r.kind];
  const ca = sim.pem;
  let auth: Record<string, string>;
  if (r.kind === 'em') {
    const logon = await raw(`${url}/api/sessionMngr/?v=latest`, {
      authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`, 'content-length': '0' }, ca, agent, 'POST');
    auth = { 'x-restsvcsessionid': String(logon.headers['x-restsvcsessionid']) };
  } else {
    const version = r.paths.find((p) => p.apiVersion)?.apiVersion;
    const form = new URLSearchParams({ grant_type: 'password', username: sim.username, password: sim.password,
      ...(r.kind === 'vb365' ? { disable_antiforgery_token: 'true' } : {}) });
    const head: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...(version ? { 'x-api-version': version } : {}) };
    const tok = JSON.parse((await raw(url + (r.kind === 'vb365' ? '/v8/Token' : '/api/oauth2/token'), head, ca, agent, 'POST', form.toString())).text) as { access_token: string };
    auth = { authorization: `Bearer ${tok.access_token}` };
  }
  const parser = new XMLParser({ ignoreAttributes: false });
  return async () => {
    for (const p of r.paths) {
      const res = await raw(url + p.path, { ...auth, accept: p.accept, ...(p.apiVersion ? { 'x-api-version': p.apiVersion } : {}) }, ca, agent);
      if (res.status !== 200) { throw new Error(`raw GET ${p.path} → ${res.status}: ${res.text.slice(0, 200)}`); }
      if (/xml/.test(p.accept) || res.text.trimStart().startsWith('<')) { parser.parse(res.text); } else { JSON.parse(res.text.replace(/^\uFEFF/, '')); }
    }
  };
}

const pairText = (s: PairStats) => `CPU ${ms(s.client.cpu)} vs ${ms(s.raw.cpu)} = ${x(s.cpu.median)} (IQR ${x(s.cpu.p25)}–${x(s.cpu.p75)}); `
  + `wall ${ms(s.client.wall)} vs ${ms(s.raw.wall)} = ${x(s.wall.median)} (IQR ${x(s.wall.p25)}–${x(s.wall.p75)})`;

/** The numbers, measured in a process of its own (see the top). */
export function benchDashboard(): Promise<Printed> {
  return runChild<Printed>('dashboard-bench.js', { measure: true }, ['--expose-gc', '--single-threaded-gc']);
}

/** The numbers, measured in this process. */
export async function measureDashboard(): Promise<Printed> {
  const lines: Printed['lines'] = {}; const rows: Printed['rows'] = [];
  const host = await startSimHost(1, simOptions());
  const agent = new https.Agent({ keepAlive: true });
  const pairs = env('BENCH_DASH_PAIRS', 15); const warmup = env('BENCH_DASH_WARMUP', 2);
  const now = Date.now();
  const since = sinceFor(DAYS, now);
  let rs: Reader[] = [];
  try {
    const r0 = await readers(host, since);
    rs = r0.readers;
    const skipped = r0.skipped;
    for (const k of skipped) { lines[`${k}: sessionsSince`] = 'not offered by this kind (left out)'; }
    if (!rs.length) { lines.note = 'no kind offers sessionsSince yet: nothing to measure'; return { lines, rows }; }
    for (const r of rs) { lines[`${r.kind}: sessions read, requests (pages)`] = `${r.read.length}, ${r.requests} (${r.paths.length} GETs)`; }
    const requests = rs.reduce((a, r) => a + r.requests, 0);
    lines['requests per load, all kinds (logon and version probes included)'] = requests;
    const replays = await Promise.all(rs.map((r) => replayer(host.sims[0], r, agent)));
    // The warm-up reads are not kept while measuring: a load starts with nothing of another load alive (as the
    // panel's first load does), so its GC marks only what it reads itself.
    for (const r of rs) { r.read = []; }
    // Each kind alone: its sessionsSince (requests + normalizing) against its raw pages.
    const perKind = Math.max(1, Math.round(pairs / 2));
    for (const [i, r] of rs.entries()) {
      const s = await paired(() => r.client.sessionsSince!({ since, limit: 50_000 }), replays[i], perKind, 1);
      lines[`${r.kind} alone: sessionsSince vs raw (${perKind} pairs)`] = pairText(s);
    }
    // The whole load: every kind in parallel, then the data message; against the raw pages of every kind in parallel.
    let read: Entity[][] = [];
    let message: ToWebview | undefined;
    const whole = await paired(async () => {
      read = []; message = undefined;      // the last pair's result let go first (see above)
      read = await Promise.all(rs.map((r) => r.client.sessionsSince!({ since, limit: 50_000 })));
      message = overviewMessage(inputsOf(rs, read), now);
    }, () => Promise.all(replays.map((f) => f())), pairs, warmup);
    const sessions = read.reduce((a, s) => a + s.length, 0);
    lines[`whole load: sessionsSince of every kind + the data message, vs raw fetch + parse (${pairs} pairs, ${warmup} warm-up dropped)`] = pairText(whole);
    // The aggregation alone, and the message it ends in, on what was read.
    const inputs = inputsOf(rs, read);
    const agg: { wall: number; cpu: number }[] = []; const msg: { wall: number; cpu: number }[] = [];
    let drawn = 0;
    for (let i = 0; i < 24; i++) {
      await settle();
      const a = await timed(async () => { drawn = aggregate(inputs, { days: DAYS, now, zone: 'user', userTimeZone: ZONE, warnPercent: 80, attentionLimit: 200 }).totals.sessions; });
      await settle();
      const b = await timed(async () => { message = overviewMessage(inputs, now); });
      if (i >= 4) { agg.push(a); msg.push(b); }
    }
    const aggCpu = agg.map((t) => t.cpu);
    lines[`aggregate() of ${sessions} sessions, ${drawn} on the ${DAYS} days drawn (20 runs after 4 dropped)`] =
      `CPU ${spread(aggCpu, ms)}, wall ${spread(agg.map((t) => t.wall), ms)}; ${((median(aggCpu) / sessions) * 1e6).toFixed(0)} ns per session`;
    lines['the data message (aggregate() + the rows it lists)'] = `CPU ${spread(msg.map((t) => t.cpu), ms)}; ${kb(JSON.stringify(message).length)} as JSON`;
    lines['aggregation share of the raw fetch + parse (CPU)'] = `${((median(aggCpu) / whole.raw.cpu) * 100).toFixed(1)} %`;
    rows.push({ what: `overview, ${DAYS} days of ${sessions} sessions (${rs.map((r) => r.kind).join(', ')}): requests per load`, measured: String(requests), goal: '' });
    // Judged on wall time with CPU beside, as the listings are (bench.ts says why).
    rows.push({ what: `… every kind's sessionsSince + the data message vs raw fetch + parse of the same pages (median of ${pairs} pairs; wall, CPU beside)`,
      measured: `${x(whole.wall.median)} (IQR ${x(whole.wall.p25)}–${x(whole.wall.p75)}; CPU ${x(whole.cpu.median)})`, goal: '≤ 1.2×', ok: whole.wall.median <= 1.2 });
    rows.push({ what: `… aggregate() alone (CPU, median; ${sessions} sessions)`, measured: ms(median(aggCpu)), goal: '' });
    return { lines, rows };
  } finally {
    agent.destroy();
    for (const r of rs) { await r.client.dispose(); }
    host.close();
  }
}

// `node out/test/bench/dashboard-bench.js` runs it alone; with '{"measure":true}' it is benchDashboard()'s child (prints JSON).
if (require.main === module) {
  const child = process.argv[2] ? (JSON.parse(process.argv[2]) as { measure?: boolean }).measure : false;
  void (child ? measureDashboard() : benchDashboard()).then((r) => {
    if (child) { process.stdout.write(`${JSON.stringify(r)}\n`); process.exit(0); }
    for (const [k, v] of Object.entries(r.lines)) { console.log(`${k}: ${v}`); }
    for (const w of r.rows) { console.log(`| ${w.what} | ${w.measured} | ${w.goal} |`); }
    process.exit(0);
  }, (e) => { console.error(e); process.exit(1); });
}
