// The overview webview's first full render (issue #10), for test/bench/bench.ts to call: the real page
// (src/dashboard/page.ts, with its CSP and nonce) with media/dashboard.js and media/dashboard.css as built,
// in headless chromium (playwright-core, launched as the UI test launches it), a stub acquireVsCodeApi,
// and the real `data` message for 30 days of ~30,000 sessions (overview.ts over what every kind's
// sessionsSince read from the simulator). Timed inside the page with performance.now(): from posting the
// message to the moment the webview reports it has drawn it (render() ends with the 'rendered' report,
// after every chart and table is in the DOM), and on to the first frame after that (requestAnimationFrame,
// then a task: style, layout and paint done). Each load is a fresh page; the first, in a just-started
// browser, is the cold one. Nothing leaves the page: every request is answered from media/ or aborted.
// Env: BENCH_WEBVIEW_LOADS (11 fresh page loads), CHROMIUM (/usr/bin/chromium).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { pageHtml } from '../../src/dashboard/page';
import type { PanelState, RenderedReport, RunningRow, ServerStatus, ToWebview } from '../../src/dashboard/protocol';
import { PROTOCOL_VERSION } from '../../src/dashboard/protocol';
import { Printed, ROOT, ms, spread, startSimHost } from './lib';
import { DAYS, inputsOf, overviewMessage, readers, simOptions } from './dashboard-bench';
import { sinceFor } from '../../src/dashboard/aggregate';

/** The webview's resource origin here: never resolved, every request is answered by the route below. */
const ORIGIN = 'https://bench.vscode-resource.invalid';
const NONCE = 'benchNonce0123456789abcd';
/** A dark theme's values for the variables media/dashboard.css uses (VS Code sets them on <html>). */
const THEME: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-widget-border': '#313131',
  '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700', '--vscode-charts-red': '#f14c4c', '--vscode-charts-orange': '#d18616',
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-purple': '#b180d7', '--vscode-charts-lines': 'rgba(204,204,204,0.5)',
  '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-focusBorder': '#0078d4',
};

interface Timing { dom: number; frame: number; ok: string; report: RenderedReport }

// What the functions below use inside the page (this file compiles without the DOM library).
interface Bench { ready: boolean; reports: RenderedReport[]; onRendered?: (r: RenderedReport) => void }
declare const window: {
  __bench: Bench;
  acquireVsCodeApi: () => { postMessage(m: { type: string; report?: RenderedReport }): void; getState(): unknown; setState(s: unknown): void };
  postMessage(m: unknown, targetOrigin: string): void;
};
declare const document: { documentElement: { style: { setProperty(k: string, v: string): void } } | null; querySelectorAll(s: string): { length: number } };
declare function requestAnimationFrame(cb: () => void): number;
declare class MutationObserver { constructor(cb: (records: unknown, o: MutationObserver) => void); observe(target: unknown, o: { childList: boolean }): void; disconnect(): void }

// In the page before any of its scripts (a Playwright init script: not subject to the page's CSP, as
// VS Code's own host script is not): the theme variables and the API the webview script acquires.
function stub(theme: Record<string, string>): void {
  const apply = () => { for (const [k, v] of Object.entries(theme)) { document.documentElement?.style.setProperty(k, v); } };
  if (document.documentElement) { apply(); } else {
    new MutationObserver((_, o) => { if (document.documentElement) { apply(); o.disconnect(); } }).observe(document, { childList: true });
  }
  const b: Bench = { ready: false, reports: [] };
  window.__bench = b;
  let state: unknown;
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      if (m.type === 'ready') { b.ready = true; }
      if (m.type === 'rendered' && m.report) { b.reports.push(m.report); b.onRendered?.(m.report); }
    },
    getState: () => state,
    setState: (s) => { state = s; },
  });
}

/** In the page: post one message and time it until the webview has drawn it, then until the next frame is out. */
function timeMessage(m: ToWebview & { type: 'data' }): Promise<Timing> {
  const b = window.__bench;
  return new Promise((resolve) => {
    let t0 = 0;
    b.onRendered = (report) => {
      if (report.dataAt !== m.data.generatedAt) { return; }
      b.onRendered = undefined;
      const dom = performance.now() - t0;
      requestAnimationFrame(() => setTimeout(() => {
        const frame = performance.now() - t0;
        const q = (s: string) => document.querySelectorAll(s).length;
        const ok = [
          q('section#results svg.chart.stacked') === 1, q('section#duration svg.chart.line') === 1, q('section#duration svg.chart.bars') === 1,
          q('section#repositories svg.chart.fill') === (m.data.repositories.length ? 1 : 0), q('section#attention tbody tr') === m.data.attention.length,
          q('section#results g.day') === m.data.days.length, q('section#running') === 1,
        ];
        resolve({ dom, frame, ok: ok.every(Boolean) ? 'ok' : `missing: ${ok.map((v, i) => (v ? '' : i)).join('')}`, report });
      }, 0));
    };
    t0 = performance.now();
    window.postMessage(m, '*');
  });
}

async function load(ctx: BrowserContext, before: ToWebview[], message: ToWebview & { type: 'data' }): Promise<Timing & { ready: number }> {
  const page: Page = await ctx.newPage();
  try {
    const t = Date.now();
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => window.__bench.ready);
    const ready = Date.now() - t;
    // What the extension sends before the data (ready → init, running, progress), each drawn once.
    await page.evaluate((ms: ToWebview[]) => { for (const m of ms) { window.postMessage(m, '*'); } }, before);
    await page.waitForFunction((n: number) => window.__bench.reports.length >= n, before.length);
    return { ...(await page.evaluate(timeMessage, message)), ready };
  } finally { await page.close(); }
}

/** The messages of one overview load: every kind's sessions and repositories read from the simulator (its own process). */
async function messages(): Promise<{ before: ToWebview[]; data: ToWebview & { type: 'data' } }> {
  const host = await startSimHost(1, simOptions());
  let read;
  try {
    const now = Date.now();
    const { readers: rs } = await readers(host, sinceFor(DAYS, now));
    const inputs = inputsOf(rs);
    const data = overviewMessage(inputs, now) as ToWebview & { type: 'data' };
    // The running ones as the work watcher would list them (the panel's 'running' message).
    const running: RunningRow[] = inputs.flatMap((i) => (i.sessions ?? []).filter((e) => e.status === 'running').map((e) => ({ ref: '', serverName: i.name,
      label: e.jobName ?? e.name, noun: 'job session', percent: e.progress?.percent, progress: e.progress?.percent !== undefined ? `${e.progress.percent}%` : 'running' }))).slice(0, 20);
    for (const r of rs) { await r.client.dispose(); }
    read = { data, running };
  } finally { host.close(); }
  const { data, running } = read;
  const state: PanelState = { v: PROTOCOL_VERSION, days: DAYS, perServer: false, zone: 'user', tables: [] };
  const servers: ServerStatus[] = data.data.servers.map((s) => ({ key: s.key, name: s.name, kind: s.kind, state: 'done', sessions: s.buckets.reduce((a, b) => a + b.success + b.warning + b.failed + b.running + b.other, 0) }));
  return { data, before: [{ type: 'init', state, title: 'Veeam Overview', servers }, { type: 'running', rows: running }, { type: 'progress', servers, loading: false }] };
}

export async function benchWebview(): Promise<Printed> {
  const lines: Printed['lines'] = {}; const rows: Printed['rows'] = [];
  const what = `overview webview: first full render of ${DAYS} days (headless chromium, from the data message to every chart and table in the DOM)`;
  const exe = process.env.CHROMIUM ?? '/usr/bin/chromium';
  let pw: typeof import('playwright-core') | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  try { pw = require('playwright-core') as typeof import('playwright-core'); } catch { /* reported below */ }
  const js = path.join(ROOT, 'media/dashboard.js');
  const skip = !pw ? 'no playwright-core' : !fs.existsSync(exe) ? 'no chromium' : !fs.existsSync(js) ? 'media/dashboard.js not built' : undefined;
  if (skip || !pw) { lines.result = `skipped: ${skip}`; rows.push({ what, measured: `skipped: ${skip}`, goal: 'measured' }); return { lines, rows }; }
  const { before, data } = await messages();
  const files: Record<string, { type: string; body: Buffer }> = {
    '/index.html': { type: 'text/html', body: Buffer.from(pageHtml({ cspSource: ORIGIN, css: `${ORIGIN}/media/dashboard.css`, js: `${ORIGIN}/media/dashboard.js`, nonce: NONCE })) },
    '/media/dashboard.js': { type: 'text/javascript', body: fs.readFileSync(js) },
    '/media/dashboard.css': { type: 'text/css', body: fs.readFileSync(path.join(ROOT, 'media/dashboard.css')) },
  };
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chromium-'));
  const ctx = await pw.chromium.launchPersistentContext(profile, {
    executablePath: exe, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const blocked: string[] = []; const errors: string[] = [];
  try {
    await ctx.route('**/*', (r) => {
      const u = new URL(r.request().url());
      const f = u.origin === ORIGIN ? files[u.pathname] : undefined;
      if (!f) { blocked.push(r.request().url()); return r.abort(); }
      return r.fulfill({ status: 200, contentType: f.type, body: f.body, headers: { 'cache-control': 'no-store' } });
    });
    await ctx.addInitScript(stub, THEME);
    ctx.on('weberror', (e) => errors.push(e.error().message));
    ctx.on('console', (m) => { if (m.type() === 'error') { errors.push(m.text()); } });
    const n = Math.max(2, Number(process.env.BENCH_WEBVIEW_LOADS ?? 11));
    const runs: (Timing & { ready: number })[] = [];
    for (let i = 0; i < n; i++) { runs.push(await load(ctx, before, data)); }
    const [cold, ...warm] = runs;
    const d = data.data;
    lines['data message'] = `${d.totals.sessions} sessions on ${d.days.length} days, ${d.servers.length} servers, ${d.attention.length} attention rows, ${d.repositories.length} repositories; ${(JSON.stringify(data).length / 1024).toFixed(1)} KB as JSON`;
    lines['drawn'] = `${cold.report.bars} bar segments, ${cold.report.attention} attention rows; every chart and table there: ${[...new Set(runs.map((r) => r.ok))].join(', ')}`;
    lines['cold (first page in a fresh browser): message → DOM complete, → first frame'] = `${ms(cold.dom)}, ${ms(cold.frame)} (page to the webview's ready: ${cold.ready} ms)`;
    lines[`warm (${warm.length} more fresh pages): message → DOM complete`] = spread(warm.map((r) => r.dom), ms);
    lines['… message → first frame after it (style, layout, paint)'] = spread(warm.map((r) => r.frame), ms);
    lines['requests blocked (not answered from media/), page errors'] = `${blocked.length}, ${errors.length}${errors.length ? `: ${errors.slice(0, 3).join(' | ')}` : ''}`;
    const med = spread(warm.map((r) => r.dom), ms).split(' (')[0];
    rows.push({ what, measured: `${med} (cold ${ms(cold.dom)}; first frame ${spread(warm.map((r) => r.frame), ms).split(' (')[0]})`, goal: 'measured (no goal)',
      ok: runs.every((r) => r.ok === 'ok') && blocked.length === 0 ? undefined : false });
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return { lines, rows };
}

// `node out/test/bench/webview-bench.js` runs it alone.
if (require.main === module) {
  void benchWebview().then((r) => {
    for (const [k, v] of Object.entries(r.lines)) { console.log(`${k}: ${v}`); }
    for (const w of r.rows) { console.log(`| ${w.what} | ${w.measured} | ${w.goal} |`); }
    process.exit(0);
  }, (e) => { console.error(e); process.exit(1); });
}
