// `npm run bench`: the numbers of issue #12, printed; ends with a summary table (the README's).
//   1. layout: every file in dist/ (minified, gzipped, what it holds); FAILS (exit 1) if the core
//      dist/extension.js contains axios, fast-xml-parser or the transport; the .vsix and every file in it
//   2. start-up: bundle load + activate() in cold processes, three variants interleaved (as is; with the
//      builtins the core requires already loaded, as in the extension host; and with ICU initialized too)
//   3. listings: each kind's list + normalize of 10,000 sessions vs raw fetch + parse of the same pages
//   4. memory: heap retained by 10,000 sessions of each kind in the tree's cache, and after a refresh
//   5. requests: per expand, Load more and document; idle for BENCH_IDLE_SECONDS (60), tree expanded
//   6. tree responsiveness: 10 servers (5 VB365, 5 EM) at 200 ms latency, all expanded at once vs one by one
// The simulator runs in its own processes (test/bench/sim-host.ts), so CPU time and heap are the client's.
// Env: BENCH_IDLE_SECONDS (60), BENCH_ACTIVATIONS (15 per variant), BENCH_PAIRS (41), BENCH_TREE_ROUNDS (5), BENCH_DIST (dist/),
//      BENCH_README=1 rewrites the README's table from this run (a full run only), BENCH_ONLY=listings,… some sections.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync, spawn } from 'node:child_process';
import { DIST, ROOT, SimHost, kb, mb, median, ms, quantile, runChild, startSimHost, x } from './lib';
import { ListingResult, builtKinds, listing } from './listings';
import type { ServerSpec } from './tree';
import { installVscodeStub } from './vscode-stub';
import { benchLogs } from './logs-bench';
import { benchDashboard } from './dashboard-bench';
import { benchWebview } from './webview-bench';

/** Never in the core: the same list as esbuild.mjs's build check, checked again here on the build's layout. */
const NOT_IN_CORE = [/(^|\/)node_modules\/axios\//, /(^|\/)node_modules\/fast-xml-parser\//, /(^|\/)node_modules\/fast-xml-builder\//, /^src\/api\/http\/transport\.ts$/];
const GOAL = { coreKB: 80, activationMs: 10, ratio: 1.15, memoryMB: 30, parallel: 1.3 };
/** BENCH_ONLY=startup,listings… runs those sections only (layout always): vsix, startup, listings, memory, requests, tree, idle, logs, dashboard, webview. */
const on = (section: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(section);
const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

interface Layout { production: boolean; files: { name: string; file: string; bytes: number; modules: { path: string; bytes: number }[] }[] }
interface Activation { kinds: { file: string; ms: number; cpuMs: number }[]; loadMs: number; activateMs: number; totalMs: number; loadCpuMs: number; activateCpuMs: number; totalCpuMs: number; sockets: number; files: string[] }

const summary: { what: string; measured: string; goal: string; ok?: boolean }[] = [];
const row = (what: string, measured: string, goal: string, ok?: boolean) => { summary.push({ what, measured, goal, ok }); };
const say = (s = '') => { process.stdout.write(`${s}\n`); };

// ---- 1. layout -------------------------------------------------------------------------------

function layout(): Layout {
  const l = JSON.parse(fs.readFileSync(path.join(DIST, '../out/build/layout.json'), 'utf8')) as Layout;
  say(`Layout of dist/ (${l.production ? 'production: minified' : 'development build'}):`);
  for (const f of l.files) {
    const text = fs.readFileSync(path.join(DIST, '..', f.file));
    const top = f.modules.slice(0, 3).map((m) => `${m.path.replace(/^node_modules\//, '')} ${kb(m.bytes)}`).join(', ');
    say(`  ${f.file.padEnd(22)} ${kb(f.bytes).padStart(9)}  ${kb(zlib.gzipSync(text).length).padStart(8)} gz  ${String(f.modules.length).padStart(3)} modules: ${top}, …`);
  }
  const core = l.files.find((f) => f.name === 'extension')!;
  const bad = core.modules.filter((m) => NOT_IN_CORE.some((re) => re.test(m.path)));
  if (bad.length) {
    say(`FAIL: the core dist/extension.js contains ${bad.map((m) => m.path).join(', ')}`);
    process.exit(1);
  }
  const libs = (f: Layout['files'][0]) => [...new Set(f.modules.filter((m) => m.path.startsWith('node_modules/')).map((m) => m.path.split('/').slice(1, m.path.split('/')[1].startsWith('@') ? 3 : 2).join('/')))];
  say(`  core check: dist/extension.js holds no axios, fast-xml-parser or transport (libraries in it: ${libs(core).join(', ') || 'none'})`);
  const shared = l.files.find((f) => f.name === 'shared');
  if (shared) { say(`  dist/shared.js is required by the kinds only; libraries in it: ${libs(shared).join(', ')}`); }
  row('core `dist/extension.js` (tree, commands, UI, settings; no HTTP or XML library)', `${kb(core.bytes)} minified`, `≤ ${GOAL.coreKB} KB`, core.bytes <= GOAL.coreKB * 1024);
  const lazy = l.files.filter((f) => f.name !== 'extension').map((f) => `${f.file.replace(/^dist\//, '')} ${kb(f.bytes)}`).join(', ');
  row('loaded on first use', lazy, 'one file per kind, shared HTTP/XML once');
  return l;
}

/** Package the .vsix as `npm run package` does (into out/) and list every file in it. */
function vsix(): void {
  const root = path.dirname(DIST);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const args = (/vsce (package[^&]*)/.exec(pkg.scripts.package)?.[1] ?? 'package --no-dependencies').trim().split(/\s+/);
  const o = args.indexOf('-o');
  const file = path.join(root, 'out', 'bench.vsix');
  if (o >= 0) { args.splice(o, 2); }
  execFileSync(path.join(ROOT, 'node_modules/.bin/vsce'), [...args, '-o', file], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const entries = zipEntries(fs.readFileSync(file));
  say(`.vsix (vsce ${args[0]}, as npm run package): ${kb(fs.statSync(file).size)}, ${entries.length} files:`);
  for (const e of entries) { say(`  ${e.name.padEnd(40)} ${kb(e.size).padStart(9)}  (${kb(e.compressed)} compressed)`); }
  const missing = fs.readdirSync(DIST, { recursive: true }).map(String).filter((f) => f.endsWith('.js'))
    .filter((f) => !entries.some((e) => e.name === `extension/dist/${f.split(path.sep).join('/')}`));
  if (missing.length) { say(`FAIL: the .vsix lacks dist/${missing.join(', dist/')}`); process.exit(1); }
  row('`.vsix`', `${kb(fs.statSync(file).size)}, ${entries.length} files (every dist/*.js in it)`, 'contains the new dist files');
}

/** The central directory of a zip: name, size, compressed size. */
function zipEntries(buf: Buffer): { name: string; size: number; compressed: number }[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) { eocd--; }
  if (eocd < 0) { throw new Error('not a zip file'); }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { name: string; size: number; compressed: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) { throw new Error('bad zip central directory'); }
    const compressed = buf.readUInt32LE(p + 20), size = buf.readUInt32LE(p + 24);
    const n = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + n), size, compressed });
    p += 46 + n + extra + comment;
  }
  return out;
}

// ---- 2. start-up ------------------------------------------------------------------------------

function startup(l: Layout): void {
  const n = env('BENCH_ACTIVATIONS', 15);
  const core = fs.readFileSync(path.join(DIST, 'extension.js'), 'utf8');
  const builtins = [...new Set([...core.matchAll(/require\("(node:[\w/]+)"\)/g)].map((m) => m[1]))].sort();
  const variants = [
    { name: 'cold', opts: { kinds: true } },
    { name: 'builtins', opts: { preload: builtins } },
    { name: 'builtins+icu', opts: { preload: builtins, icu: true } },
  ];
  const runs: Record<string, Activation[]> = { cold: [], builtins: [], 'builtins+icu': [] };
  // One discarded round (disk cache), then the variants interleaved round by round.
  for (let i = 0; i <= n; i++) {
    for (const v of variants) {
      const r = JSON.parse(execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'activate.js'), JSON.stringify(v.opts)], { encoding: 'utf8' })) as Activation;
      if (i > 0) { runs[v.name].push(r); }
    }
  }
  const m = (v: string, k: keyof Activation) => median(runs[v].map((r) => r[k] as number));
  const iqr = (v: string, k: keyof Activation) => `${quantile(runs[v].map((r) => r[k] as number), 0.25).toFixed(1)}–${quantile(runs[v].map((r) => r[k] as number), 0.75).toFixed(1)}`;
  const sockets = Math.max(...Object.values(runs).flat().map((r) => r.sockets));
  const files = [...new Set(Object.values(runs).flat().flatMap((r) => r.files))];
  say();
  say(`Start-up: bundle load + activate(), ${n} cold processes per variant, interleaved (first round discarded); wall / CPU, median (IQR):`);
  for (const v of variants) {
    say(`  ${v.name.padEnd(13)} load ${ms(m(v.name, 'loadMs'))} + activate() ${ms(m(v.name, 'activateMs'))} = ${ms(m(v.name, 'totalMs'))} (IQR ${iqr(v.name, 'totalMs')})`
      + `   CPU ${ms(m(v.name, 'loadCpuMs'))} + ${ms(m(v.name, 'activateCpuMs'))} = ${ms(m(v.name, 'totalCpuMs'))} (IQR ${iqr(v.name, 'totalCpuMs')})`);
  }
  const builtinsCpu = m('cold', 'totalCpuMs') - m('builtins', 'totalCpuMs');
  const icuCpu = m('builtins', 'totalCpuMs') - m('builtins+icu', 'totalCpuMs');
  say(`  of a cold start (CPU): ${ms(builtinsCpu)} loading ${builtins.join(', ')} (the extension host has them loaded), ${ms(icuCpu)} that a`);
  say(`  first Intl.NumberFormat made beforehand takes off (activate() makes none; the ICU data's load grows a fresh heap, which`);
  say(`  V8 otherwise grows while it compiles the bundle: throw-away objects take off as much), ${ms(m('builtins+icu', 'totalCpuMs'))} the rest`);
  say(`  sockets opened: ${sockets}; files loaded from dist/: ${files.join(', ')}`);
  const firsts = runs.cold[0]?.kinds.map((k, i) => `${k.file} ${ms(median(runs.cold.map((r) => r.kinds[i].cpuMs)))}${i === 0 ? ' (with shared.js)' : ''}`) ?? [];
  say(`  then each kind's first use (require, CPU, median): ${firsts.join(', ')}`);
  const cold = m('cold', 'totalCpuMs');
  row(`bundle load + \`activate()\`, cold process (median of ${n}; CPU, wall beside)`, `${ms(cold)} (wall ${ms(m('cold', 'totalMs'))})`, `≤ ${GOAL.activationMs} ms`, cold <= GOAL.activationMs);
  row(`… of which a fresh heap's first growth (taken off by loading ICU first) / loading ${builtins.join(', ')}`, `${ms(icuCpu)} / ${ms(builtinsCpu)}`, '');
  row('… with those loaded first, as in the extension host (CPU, wall beside)', `${ms(m('builtins+icu', 'totalCpuMs'))} (wall ${ms(m('builtins+icu', 'totalMs'))})`, `≤ ${GOAL.activationMs} ms`, m('builtins+icu', 'totalCpuMs') <= GOAL.activationMs);
  row('sockets opened at activation; files loaded', `${sockets}; ${files.join(', ')}`, '0; the core only', sockets === 0 && files.length === 1);
  void l;
}

// ---- 3. listings -----------------------------------------------------------------------------

function printListing(r: ListingResult): void {
  const s = r.stats;
  if (process.env.BENCH_SAMPLES) { fs.appendFileSync(process.env.BENCH_SAMPLES, `${JSON.stringify({ kind: r.kind, samples: s.samples })}\n`); }
  const f = (q: { median: number; p25: number; p75: number }) => `${x(q.median)} (IQR ${x(q.p25)}–${x(q.p75)})`;
  say(`${r.kind.toUpperCase()} ${r.what}: ${r.count} listed in ${r.pages} pages (raw ${r.rawCount})`);
  say(`  client list + normalize CPU ${ms(s.client.cpu / r.reps)} (wall ${ms(s.client.wall / r.reps)})   raw fetch + ${r.parser} CPU ${ms(s.raw.cpu / r.reps)} (wall ${ms(s.raw.wall / r.reps)}), per listing`);
  say(`  ratio CPU ${f(s.cpu)}   wall ${f(s.wall)}   median of ${s.pairs} pairs (${r.reps} listing${r.reps > 1 ? 's' : ''} each), alternating order, 3 warm-up pairs dropped`);
  // Judged on wall time, as the issue sets it (its figures were wall time; CPU beside): the CPU ratio also counts
  // what axios itself costs over a bare https.request, ~18 % of the raw CPU on these pages, before any normalizing.
  row(`${r.kind.toUpperCase()}: list + normalize 10,000 ${r.what} vs raw fetch + ${r.parser} (median of ${s.pairs} pairs; wall, CPU beside)`,
    `${x(s.wall.median)} (CPU ${x(s.cpu.median)})`, `≤ ${GOAL.ratio}×`, s.wall.median <= GOAL.ratio);
}

// ---- 4.–6. the tree ------------------------------------------------------------------------------

async function memory(host: SimHost): Promise<void> {
  const servers: ServerSpec[] = [{ name: 'vb365', kind: 'vb365', sim: 0 }, { name: 'em', kind: 'em', sim: 0 },
    ...(host.sims[0].vbr ? [{ name: 'vbr', kind: 'vbr' as const, sim: 0 }] : [])];
  const r = await runChild<{ kinds: { kind: string; sessions: number; bytes: number }[]; total: number; afterRefresh: number }>(
    'tree.js', { mode: 'memory', control: host.control, sims: host.sims, servers, pageSize: 1000 }, ['--expose-gc']);
  say();
  say('Memory: heap retained by the tree\'s cache (tree provider of dist/extension.js, vscode stub, gc before each reading):');
  for (const k of r.kinds) { say(`  ${k.kind.padEnd(6)} ${k.sessions} sessions: ${mb(k.bytes)} (${(k.bytes / k.sessions).toFixed(0)} bytes per session)`); }
  say(`  together ${mb(r.total)}; after refreshing the tree ${mb(r.afterRefresh)} still retained`);
  row(`heap retained by 10,000 sessions of each kind in the tree (${r.kinds.map((k) => `${k.kind} ${mb(k.bytes)}`).join(', ')})`, mb(r.total), `≤ ${GOAL.memoryMB} MB for all kinds`, r.total <= GOAL.memoryMB * 1048576);
  row('… retained after the tree is refreshed', mb(r.afterRefresh), 'released', r.afterRefresh < r.total * 0.1);
}

async function requests(host: SimHost): Promise<void> {
  const servers: ServerSpec[] = [{ name: 'vb365', kind: 'vb365', sim: 0 }, { name: 'em', kind: 'em', sim: 0 }, { name: 'vbr', kind: 'vbr', sim: 0 }];
  const r = await runChild<Record<string, { what: string; requests: number; paths: string[] }[]>>('tree.js', { mode: 'requests', control: host.control, sims: host.sims, servers, pageSize: 10 });
  say();
  say('Requests (simulator stats) per step, tree provider of dist/extension.js:');
  for (const [kind, rows] of Object.entries(r)) {
    say(`  ${kind}:`);
    for (const w of rows) { say(`    ${w.what.padEnd(44)} ${w.requests}  ${w.paths.join(', ')}`); }
    const expands = rows.filter((w) => /expand /.test(w.what) && !/server/.test(w.what));
    const later = rows.filter((w) => /\(later\)$/.test(w.what));
    const server = rows.find((w) => /server expand/.test(w.what))!;
    const docs = rows.filter((w) => /^open as/.test(w.what));
    const more = rows.find((w) => /^Load more/.test(w.what));
    const alts = (ws: typeof rows) => [...new Set(ws.map((w) => w.requests))].sort().join(' or ');
    row(`${kind}: requests for the server's first expand / each other expand / Load more / a document${later.length ? ' (then, after the nodes show)' : ''}`,
      `${server.requests} / ${alts(expands)} / ${more?.requests ?? '–'} / ${alts(docs)}${later.length ? ` (then ${alts(later)}: ${[...new Set(later.flatMap((w) => w.paths))].join(', ')})` : ''}`,
      '2 (version + logon) / ≤ 1 / 1 / 1', server.requests <= 2 && expands.every((w) => w.requests <= 1) && (more?.requests ?? 1) === 1 && docs.every((w) => w.requests === 1));
  }
}

interface IdleResult { seconds: number; expanded: number; skipped: number; running: number; requests: number; paths: string[] }

/** Starts an idle measurement (its own simulator); resolves when its tree is expanded, with the result's promise. */
async function idleStart(quiet: boolean): Promise<{ done: Promise<IdleResult>; close: () => void }> {
  const host = await startSimHost(1, {});
  const servers: ServerSpec[] = [{ name: 'vb365', kind: 'vb365', sim: 0 }, { name: 'em', kind: 'em', sim: 0 }, { name: 'vbr', kind: 'vbr', sim: 0 }];
  const child = spawn(process.execPath, [path.join(__dirname, 'tree.js'), JSON.stringify({ mode: 'idle', quiet, control: host.control, sims: host.sims, servers, idleSeconds: env('BENCH_IDLE_SECONDS', 60) })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let ready: () => void;
  const isReady = new Promise<void>((r) => { ready = r; });
  child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); if (out.includes('"ready":true')) { ready(); } });
  const done = new Promise<IdleResult>((resolve, reject) => child.once('exit', (code) => {
    if (code !== 0) { reject(new Error(`idle: exit ${code}`)); return; }
    resolve(JSON.parse(out.trim().split('\n').pop()!) as IdleResult);
  }));
  await Promise.race([isReady, done]);
  return { done, close: () => host.close() };
}

type Timing = { name: string; kind: string; ms: number };

async function responsiveness(): Promise<void> {
  const host = await startSimHost(5, {});
  try {
    const servers: ServerSpec[] = host.sims.flatMap((_, i) => [{ name: `vb365-${i}`, kind: 'vb365' as const, sim: i }, { name: `em-${i}`, kind: 'em' as const, sim: i }]);
    await host.latency(200);
    const fresh: Record<string, number[]> = {}; const warm: Record<string, number[]> = {}; const all: Record<string, number[]> = {};
    const worst: number[] = []; const worstWarm: number[] = []; const cpu: number[] = [];
    const rounds = env('BENCH_TREE_ROUNDS', 5);
    const arg = (mode: string, extra = {}) => ({ mode, control: host.control, sims: host.sims, servers, ...extra });
    for (let i = 0; i < rounds; i++) {
      // Every run is a fresh process, so each server's expand is its first (version + logon + listing).
      // Fresh: one server of each kind alone in its process (its expand also loads the kind's code);
      // warm: every server alone, one after the other, in one process (the code loaded by the first).
      for (const only of [2 * (i % 5), 2 * (i % 5) + 1]) {
        for (const t of await runChild<Timing[]>('tree.js', arg('single', { only }))) { (fresh[t.kind] ??= []).push(t.ms); }
      }
      const w = await runChild<Timing[]>('tree.js', arg('single'));
      for (const t of w.slice(1)) { (warm[t.kind] ??= []).push(t.ms); }
      const p = await runChild<{ times: Timing[]; cpuMs: number }>('tree.js', arg('parallel'));
      for (const t of p.times) { (all[t.kind] ??= []).push(t.ms); }
      cpu.push(p.cpuMs);
      worst.push(Math.max(...p.times.map((t) => t.ms / median(fresh[t.kind]))));
      worstWarm.push(Math.max(...p.times.map((t) => t.ms / median(warm[t.kind]))));
    }
    say();
    say(`Tree responsiveness: ${servers.length} servers (5 VB365, 5 EM), simulator latency 200 ms per request, tree provider of dist/extension.js,`);
    say(`every expand a server's first (version + logon), a fresh process per run, ${rounds} runs:`);
    for (const k of Object.keys(fresh)) {
      say(`  ${k.padEnd(6)} one server alone: ${ms(median(fresh[k]))} in a fresh process, ${ms(median(warm[k]))} with the code loaded;`
        + ` all ${servers.length} at once: this kind's first levels after ${ms(median(all[k]))} (max ${ms(Math.max(...all[k]))})`);
    }
    say(`  all at once: ${ms(median(cpu))} CPU in the extension's process; the loads overlap (none waits for another: ${servers.length} in series would take ${ms(servers.length * median(Object.values(warm).flat()))})`);
    say(`  slowest first level of the ${servers.length} / one server alone of its kind: ${x(median(worst))} vs a fresh process (${worst.map((w) => w.toFixed(2)).join(', ')}),`
      + ` ${x(median(worstWarm))} vs code already loaded (${worstWarm.map((w) => w.toFixed(2)).join(', ')})`);
    row(`${servers.length} servers at 200 ms latency expanded at once: slowest first level / one server alone (fresh process; code loaded)`,
      `${x(median(worst))}; ${x(median(worstWarm))}`, `≤ ${GOAL.parallel}×`, median(worst) <= GOAL.parallel);
  } finally { host.close(); }
}

// ---- main ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  say(`npm run bench — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  say();
  const l = layout();
  if (on('vsix')) { vsix(); }
  const idleQuiet = on('idle') ? await idleStart(true) : undefined;
  const idleBusy = on('idle') ? await idleStart(false) : undefined;
  if (on('startup')) { startup(l); }

  if (on('listings') || on('memory') || on('requests')) {
    installVscodeStub({});
    // vbr: for the simulator once it serves VBR (ignored before).
    const host = await startSimHost(1, { vb365: { benchSessions: 10000, sessionsPerJob: 0 }, em: { benchReplicaTaskSessions: 10000, sessionsPerJob: 20 }, ...{ vbr: { benchSessions: 10000 } } });
    try {
      if (on('listings')) {
        say();
        say('Listings (client from dist/, simulator in its own process; CPU is this process only):');
        for (const { kind, recipe } of builtKinds()) {
          if (!recipe) { say(`${kind.toUpperCase()}: in dist/ but no listing recipe in test/bench/listings.ts yet`); row(`${kind.toUpperCase()}: listing`, 'no recipe yet', `≤ ${GOAL.ratio}×`, false); continue; }
          if (!(host.sims[0] as unknown as Record<string, unknown>)[kind]) { say(`${kind.toUpperCase()}: the simulator serves no ${kind} API yet`); row(`${kind.toUpperCase()}: listing`, 'no simulator yet', `≤ ${GOAL.ratio}×`, false); continue; }
          // A VB365 listing is ~60 ms of CPU: four per sample keep the pairs as steady as EM's ~1 s ones.
          const small = kind !== 'em';
          printListing(await listing(recipe, host, env('BENCH_PAIRS', 41), 3, small ? 4 : 1));
        }
      }
      if (on('memory')) { await memory(host); }
      if (on('requests')) { await requests(host); }
    } finally { host.close(); }
  }
  if (on('tree')) { await responsiveness(); }
  if (on('logs')) {
    say();
    say('Session logs of 10,000 records (client sessionLog + document text, simulator in this process):');
    for (const [what, v] of Object.entries(await benchLogs())) {
      say(`  ${what}: ${v}`);
      const m = /^(\d+) ms median/.exec(v);
      // EM's in-process figure also holds the simulator building the XML of 10,000 task sessions on this thread,
      // which no user waits for on their own machine: EM is judged with the simulator in its own process.
      if (what.includes('(em: ')) { row(what, m ? `${m[1]} ms` : v, 'measured (the simulator\'s XML built on this thread too; judged in its own process, below)'); continue; }
      row(what, m ? `${m[1]} ms` : v, '< 1000 ms', m ? Number(m[1]) < 1000 : false);
    }
  }
  if (on('dashboard')) {
    say();
    say('Overview, 30 days across the kinds (test/bench/dashboard-bench.ts; simulator in its own process, CPU is this process only):');
    const d = await benchDashboard();
    for (const [what, v] of Object.entries(d.lines)) { say(`  ${what}: ${v}`); }
    for (const r of d.rows) { row(r.what, r.measured, r.goal, r.ok); }
  }
  if (on('webview')) {
    say();
    say('Overview webview, first full render in headless chromium (test/bench/webview-bench.ts):');
    const w = await benchWebview();
    for (const [what, v] of Object.entries(w.lines)) { say(`  ${what}: ${v}`); }
    for (const r of w.rows) { row(r.what, r.measured, r.goal, r.ok); }
  }

  if (idleQuiet && idleBusy) {
    const q = await idleQuiet.done; idleQuiet.close();
    const b = await idleBusy.done; idleBusy.close();
    say();
    say(`Idle, ${q.seconds} s (two trees at once, each on its own simulator, through the whole bench):`);
    say(`  nothing running: ${q.requests} HTTP requests; ${q.expanded} nodes expanded, ${q.skipped} listings that hold running work left collapsed, ${q.running} items watched`);
    say(`  running work listed: ${b.requests} requests for the ${b.running} running items watched (${b.paths.join(', ')}); ${b.expanded} nodes expanded`);
    say(`    (poll interval 5 s: ${b.running} × ${b.seconds} / 5 = ${(b.running * b.seconds) / 5} expected)`);
    row(`HTTP requests while idle ${q.seconds} s, tree expanded (${q.expanded} nodes), nothing running`, String(q.requests), '0', q.requests === 0 && q.running === 0);
    row(`… with ${b.running} running items listed (polled every 5 s)`, String(b.requests), `${(b.running * b.seconds) / 5} (the polls)`);
  }

  const date = new Date().toISOString().slice(0, 10);
  const table = [
    `Measured by \`npm run bench\` on ${date}, ${os.cpus().length} cores, Node ${process.version}:`,
    '',
    '| what | measured | goal |',
    '|---|---|---|',
    ...summary.map((r) => `| ${r.what} | ${r.measured}${r.ok === false ? ' ✗' : ''} | ${r.goal} |`),
  ].join('\n');
  say();
  say(table);
  say();
  say(`${summary.filter((r) => r.ok === false).length} of ${summary.filter((r) => r.ok !== undefined).length} goals missed; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (process.env.BENCH_README === '1' && !process.env.BENCH_ONLY) {
    const readme = path.join(ROOT, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const re = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
    if (!re.test(text)) { throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> section'); }
    fs.writeFileSync(readme, text.replace(re, `$1${table}$2`));
    say('README.md: table rewritten from this run');
  }
  process.exit(0);
}

main().catch((e: unknown) => { process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
