// The overview's numbers (issue #10), for test/bench/bench.ts to call: 30 days of about 30,000 job sessions
// across the kinds on the simulator, read with each kind's sessionsSince and aggregated, against a raw
// fetch + parse (JSON.parse / plain XMLParser) of exactly the same pages. Printed, never asserted.
//   import { benchDashboard } from './dashboard-bench';  const r = await benchDashboard();
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { startSimulator, SimulatorExt, SimulatorOptions } from '../simulator';
import { kindOf } from '../../src/api/kinds';
import type { Entity, ServerClient } from '../../src/api/model';
import { aggregate, sinceFor, ServerInput } from '../../src/dashboard/aggregate';

const ROUNDS = 5;
const DAYS = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Kind = 'vb365' | 'em' | 'vbr';
interface Target { kind: Kind; url: string }

function targets(sim: SimulatorExt): Target[] {
  return [{ kind: 'vb365', url: sim.vb365.url }, { kind: 'em', url: sim.em.url }, { kind: 'vbr', url: sim.vbr.url }];
}

function client(sim: SimulatorExt, t: Target): ServerClient | undefined {
  const kind = kindOf(t.kind);
  if (!kind) { return undefined; }
  return kind.createClient({ name: t.kind, kind: t.kind, url: t.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 },
    { credentials: { password: async () => sim.credentials.password }, log: () => undefined, http: { timeoutMs: 120000, connectTimeoutMs: 5000, pageSize: 1000 } });
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

/** The same GETs as the client, replayed with the credentials the raw side gets by itself. */
async function replayer(sim: SimulatorExt, t: Target, agent: https.Agent): Promise<(path: string, accept: string) => Promise<string>> {
  const ca = sim.certificate.pem;
  if (t.kind === 'em') {
    const logon = await raw(`${t.url}/api/sessionMngr/?v=latest`, {
      authorization: `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64')}`, 'content-length': '0' }, ca, agent, 'POST');
    const sid = String(logon.headers['x-restsvcsessionid']);
    return async (p, accept) => ok(await raw(t.url + p, { 'x-restsvcsessionid': sid, accept }, ca, agent), p);
  }
  const form = new URLSearchParams({ grant_type: 'password', username: sim.credentials.username, password: sim.credentials.password,
    ...(t.kind === 'vb365' ? { disable_antiforgery_token: 'true' } : {}) });
  const tokenPath = t.kind === 'vb365' ? '/v8/Token' : '/api/oauth2/token';
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...(t.kind === 'vbr' ? { 'x-api-version': '1.3-rev1' } : {}) };
  const tok = JSON.parse((await raw(t.url + tokenPath, headers, ca, agent, 'POST', form.toString())).text) as { access_token: string };
  return async (p, accept) => ok(await raw(t.url + p, { authorization: `Bearer ${tok.access_token}`, accept,
    ...(t.kind === 'vbr' ? { 'x-api-version': '1.3-rev1' } : {}) }, ca, agent), p);
}

function ok(r: { status: number; text: string }, path: string): string {
  if (r.status !== 200) { throw new Error(`raw GET ${path} → ${r.status}: ${r.text.slice(0, 200)}`); }
  return r.text;
}

/**
 * Simulator options for 30 days of ~30,000 sessions: VB365 10,000 on its first job over 30 days, EM 2,000 per job
 * over its 60 days (10,000 in the last 30), VBR 10,000 over 30 days. Options a simulator does not know are ignored.
 */
function simOptions(): SimulatorOptions {
  return {
    vb365: { sessionsPerJob: 5, benchSessions: 10_000, benchSpanDays: 30 },
    em: { sessionsPerJob: 2_000 },
    vbr: { benchSessions: 10_000 },
  };
}

export async function benchDashboard(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const t0 = performance.now();
  const sim = await startSimulator(simOptions());
  out['simulator start (ms)'] = Math.round(performance.now() - t0);
  const agent = new https.Agent({ keepAlive: true });
  const parser = new XMLParser({ ignoreAttributes: false });
  try {
    const now = Date.now();
    const since = sinceFor(DAYS, now);
    const used: { t: Target; c: ServerClient; paths: { path: string; accept: string }[]; replay: (p: string, a: string) => Promise<string> }[] = [];
    let total = 0;
    for (const t of targets(sim)) {
      const c = client(sim, t);
      if (!c?.sessionsSince) { out[`${t.kind}: sessionsSince`] = 'not offered by this kind (left out)'; continue; }
      await c.connect();
      sim.resetStats();
      const s = await c.sessionsSince({ since, limit: 50_000 });                 // warm-up, and the pages to replay
      const gets = sim.stats.log.filter((r) => r.method === 'GET' && r.server === (t.kind as string));
      const paths = gets.map((r) => ({ path: r.path, accept: String(r.headers.accept ?? 'application/json') }));
      out[`${t.kind}: sessions read`] = s.length;
      out[`${t.kind}: requests`] = sim.stats.requests;
      total += s.length;
      used.push({ t, c, paths, replay: await replayer(sim, t, agent) });
    }
    out['sessions in all'] = total;
    if (!used.length) { out.note = 'no kind offers sessionsSince yet: nothing to measure'; return out; }
    const time = async (fn: () => Promise<void>) => { const a = performance.now(); await fn(); return performance.now() - a; };
    /** Client and raw runs in pairs, alternating which goes first; medians of the times and of the per-pair ratios. */
    const paired = async (a: () => Promise<void>, b: () => Promise<void>) => {
      const ta: number[] = []; const tb: number[] = []; const r: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        let x: number; let y: number;
        if (i % 2 === 0) { x = await time(a); y = await time(b); } else { y = await time(b); x = await time(a); }
        ta.push(x); tb.push(y); r.push(x / y);
      }
      return { a: median(ta), b: median(tb), ratio: median(r) };
    };
    const replayAll = async (u: (typeof used)[number]) => {
      for (const p of u.paths) {
        const text = await u.replay(p.path, p.accept);
        if (/xml/.test(p.accept) || text.trimStart().startsWith('<')) { parser.parse(text); } else { JSON.parse(text.replace(/^\uFEFF/, '')); }
      }
    };
    // Each kind alone: its sessionsSince (requests + normalizing) against the raw pages.
    let last: Entity[][] = used.map(() => []);
    for (const [i, u] of used.entries()) {
      const r = await paired(async () => { last[i] = await u.c.sessionsSince!({ since, limit: 50_000 }); }, () => replayAll(u));
      out[`${u.t.kind}: sessionsSince vs raw fetch + parse (ms)`] = `${Math.round(r.a)} vs ${Math.round(r.b)} (${r.ratio.toFixed(2)}×)`;
    }
    // The overview's whole load: every kind in parallel, then the aggregation, against the raw pages of every kind.
    const whole = await paired(async () => {
      last = await Promise.all(used.map((u) => u.c.sessionsSince!({ since, limit: 50_000 })));
      aggregate(used.map((u, i) => ({ key: u.t.kind, name: u.t.kind, kind: u.t.kind, sessions: last[i] })), { days: DAYS, now, zone: 'user', userTimeZone: 'Europe/Berlin', warnPercent: 80 });
    }, async () => { await Promise.all(used.map(replayAll)); });
    // The aggregation alone, on what was read, and the size of the message the webview gets.
    const inputs: ServerInput[] = used.map((u, i) => ({ key: u.t.kind, name: u.t.kind, kind: u.t.kind, sessions: last[i] }));
    const ta: number[] = [];
    let drawn = 0; let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const a = performance.now();
      const ov = aggregate(inputs, { days: DAYS, now, zone: 'user', userTimeZone: 'Europe/Berlin', warnPercent: 80, attentionLimit: 200 });
      ta.push(performance.now() - a);
      drawn = ov.totals.sessions;
      bytes = JSON.stringify({ type: 'data', data: { days: ov.days, total: ov.total, servers: ov.servers.map((x) => ({ key: x.key, name: x.name, buckets: x.buckets })),
        attention: ov.attention, repositories: ov.repositories, totals: ov.totals } }).length;
    }
    const agg = median(ta);
    out['requests per load (all kinds)'] = used.reduce((a, u) => a + u.paths.length, 0);
    out['sessions on the 30 days drawn'] = drawn;
    out['whole load: read + aggregate (ms, median)'] = Math.round(whole.a);
    out['raw fetch + parse of the same pages (ms, median)'] = Math.round(whole.b);
    out['ratio (median of paired runs; goal ≤ 1.2×)'] = `${whole.ratio.toFixed(2)}×`;
    out['aggregation alone (ms, median)'] = Number(agg.toFixed(1));
    out['aggregation share of the raw time'] = `${((agg / whole.b) * 100).toFixed(0)} %`;
    out['data message to the webview (KB)'] = Number((bytes / 1024).toFixed(1));
    out['first full render in the webview'] = 'not measurable in Node (no DOM); the UI test (tier 3) draws it in chromium';
    for (const u of used) { await u.c.dispose(); }
  } finally {
    agent.destroy();
    await sim.close();
  }
  return out;
}

// `node out/test/bench/dashboard-bench.js` runs it alone.
if (require.main === module) {
  void benchDashboard().then((r) => {
    for (const [k, v] of Object.entries(r)) { console.log(`${k}: ${v}`); }
    process.exit(0);
  }, (e) => { console.error(e); process.exit(1); });
}
