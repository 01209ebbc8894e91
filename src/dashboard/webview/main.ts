// The overview's webview: draws what the extension sends (protocol.ts), keeps its choices with
// getState/setState (the panel serializer gets them back after a reload), and asks the extension for
// everything else. Text from servers is only ever set with textContent. Bundled by esbuild to
// media/dashboard.js (see esbuild.mjs).
import type {
  AttentionItem, OverviewData, PanelState, RenderedReport, RunningRow, Section, ServerStatus, SessionRow, ToExtension, ToWebview,
} from '../protocol';
import { DAY_CHOICES, DEFAULT_STATE } from '../protocol';
import type { DayBucket } from '../aggregate';
import { Stack, barChart, fillBars, lineChart, stackedBars } from './svg';

interface VsCodeApi { postMessage(m: ToExtension): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const STACKS: Stack[] = [
  { key: 'success', label: 'Success', cls: 'ok' },
  { key: 'warning', label: 'Warning', cls: 'warn' },
  { key: 'failed', label: 'Failed', cls: 'fail' },
];

let state: PanelState = { ...DEFAULT_STATE, ...(vscode.getState() as Partial<PanelState> | undefined) };
let title = 'Veeam Overview';
let servers: ServerStatus[] = [];
let loading = false;
let data: OverviewData | undefined;
let running: RunningRow[] = [];
let day: { day: string; serverKey?: string; rows: SessionRow[]; total: number } | undefined;

const app = document.getElementById('app')!;
const send = (m: ToExtension) => vscode.postMessage(m);

// ---------------------------------------------------------------- DOM helpers

type Child = Node | string | undefined | false;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) { continue; }
    e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) { if (c !== undefined && c !== false) { e.append(c); } }
  return e;
}
function button(text: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

// ---------------------------------------------------------------- formatting

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) { return '–'; }
  let v = n; let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}
function dur(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) { return '–'; }
  const s = Math.round(sec);
  const hh = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60);
  return hh ? `${hh} h ${m} min` : m ? `${m} min` : `${s} s`;
}
function time(iso: string | undefined): string {
  const t = iso ? new Date(iso) : undefined;
  if (!t || Number.isNaN(t.getTime())) { return '–'; }
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}
/** 30441 → '30,441' (as toLocaleString('en-US') writes it, without Intl: its first use in a page costs ~15 ms). */
function thousands(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en-US');
}
const STATUS_TEXT: Record<string, string> = { success: 'Success', warning: 'Warning', failed: 'Failed', running: 'Running', stopped: 'Stopped' };
const statusText = (s: string) => STATUS_TEXT[s] ?? s;

// ---------------------------------------------------------------- state

function save(reload: boolean): void {
  vscode.setState(state);
  send({ type: 'setState', state, reload });
}
function asTable(s: Section): boolean { return state.tables.includes(s); }
function toggleTable(s: Section): void {
  state = { ...state, tables: asTable(s) ? state.tables.filter((x) => x !== s) : [...state.tables, s] };
  vscode.setState(state);
  send({ type: 'setState', state, reload: false });
  render();
}

// ---------------------------------------------------------------- sections

function header(): HTMLElement {
  const days = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Days shown' },
    ...DAY_CHOICES.map((d) => button(`${d} days`, () => { if (state.days !== d) { state = { ...state, days: d }; day = undefined; save(true); render(); } },
      { 'aria-pressed': String(state.days === d), id: `days-${d}` })));
  const together = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Servers' },
    button('All servers together', () => { state = { ...state, perServer: false }; save(false); render(); }, { 'aria-pressed': String(!state.perServer), id: 'together' }),
    button('Per server', () => { state = { ...state, perServer: true }; save(false); render(); }, { 'aria-pressed': String(state.perServer), id: 'per-server' }));
  const zone = h('select', { id: 'zone', 'aria-label': 'Days in which time zone' },
    h('option', { value: 'user', selected: state.zone === 'user' }, 'Days in my time zone'),
    h('option', { value: 'server', selected: state.zone === 'server' }, 'Days in each server\'s time zone'));
  zone.addEventListener('change', () => { state = { ...state, zone: zone.value === 'server' ? 'server' : 'user' }; day = undefined; save(false); });
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const done = servers.filter((s) => s.state !== 'loading' && s.state !== 'waiting').length;
  if (loading) {
    status.append(h('span', { class: 'spinner', 'aria-hidden': 'true' }), `Loading ${servers.length - done} of ${servers.length} server${servers.length === 1 ? '' : 's'}… `,
      button('Cancel', () => send({ type: 'cancel' }), { id: 'cancel' }));
  } else if (data) {
    status.append(`${thousands(data.totals.sessions)} sessions on ${servers.length} server${servers.length === 1 ? '' : 's'}, read ${time(data.generatedAt)} · days in ${data.zoneLabel} `,
      button('Refresh', () => send({ type: 'refresh' }), { id: 'refresh' }));
  }
  const problems = h('ul', { class: 'problems' }, ...servers.filter((s) => s.state === 'error' || s.state === 'cancelled' || s.truncated).map((s) =>
    h('li', { class: s.state === 'error' ? 'error' : 'note' }, h('strong', {}, s.name), ': ',
      s.state === 'error' ? s.error ?? 'failed' : s.state === 'cancelled' ? 'loading was cancelled' : `only the newest ${s.sessions} sessions were read`)));
  return h('header', {}, h('h1', {}, title), h('div', { class: 'controls' }, days, together, zone), status, problems);
}

function section(id: Section, heading: string, body: Node[], tableToggle = true): HTMLElement {
  const hd = h('h2', { id: `${id}-heading`, tabindex: '-1' }, heading);
  const tools = tableToggle ? button(asTable(id) ? 'Show chart' : 'Show table', () => toggleTable(id), { class: 'link', 'aria-pressed': String(asTable(id)), 'data-toggle': id }) : undefined;
  return h('section', { id, 'aria-labelledby': `${id}-heading` }, h('div', { class: 'section-head' }, hd, tools), ...body);
}

function dayLabel(b: DayBucket | undefined, d: string): string {
  if (!b) { return `${d}: no sessions`; }
  return `${d}: ${b.success} success, ${b.warning} warning, ${b.failed} failed${b.running ? `, ${b.running} running` : ''}`;
}

function resultsChart(name: string, buckets: DayBucket[], days: string[], serverKey?: string): Node {
  const by = new Map(buckets.map((b) => [b.day, b]));
  return stackedBars({
    title: `Results per day — ${name}`, days, stacks: STACKS,
    value: (d, k) => (by.get(d)?.[k as 'success'] ?? 0) as number,
    dayLabel: (d) => dayLabel(by.get(d), d),
    onActivate: (d) => { send({ type: 'day', day: d, serverKey }); },
    selected: day && day.serverKey === serverKey ? day.day : undefined,
  });
}

function resultsTable(name: string, buckets: DayBucket[]): HTMLTableElement {
  return h('table', { class: 'data', 'aria-label': `Results per day — ${name}` },
    h('thead', {}, h('tr', {}, ...['Day', 'Success', 'Warning', 'Failed', 'Running', 'Other'].map((c) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, ''))),
    h('tbody', {}, ...buckets.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.day), h('td', {}, String(b.success)), h('td', {}, String(b.warning)),
      h('td', {}, String(b.failed)), h('td', {}, String(b.running)), h('td', {}, String(b.other)),
      h('td', {}, button('List sessions', () => send({ type: 'day', day: b.day }), { class: 'link' }))))));
}

function legend(): HTMLElement {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' }, ...STACKS.map((s) => h('li', {}, h('span', { class: `swatch ${s.cls}` }), s.label)));
}

function results(d: OverviewData): HTMLElement {
  const body: Node[] = [];
  const groups = state.perServer ? d.servers.map((s) => ({ name: s.name, key: s.key as string | undefined, buckets: s.buckets, error: s.error }))
    : [{ name: 'all servers', key: undefined as string | undefined, buckets: d.total, error: undefined as string | undefined }];
  for (const g of groups) {
    const box = h('div', { class: 'chart-box', 'data-server': g.key ?? 'all' });
    if (state.perServer) { box.append(h('h3', {}, g.name)); }
    if (g.error && !g.buckets.some((b) => b.success + b.warning + b.failed + b.running + b.other)) {
      box.append(h('p', { class: 'error', role: 'alert' }, g.error));
    } else if (asTable('results')) {
      box.append(resultsTable(g.name, g.buckets));
    } else {
      box.append(resultsChart(g.name, g.buckets, d.days, g.key));
    }
    body.push(box);
  }
  if (!asTable('results')) { body.unshift(legend()); }
  if (day) { body.push(dayList(day)); }
  return section('results', 'Results per day', body);
}

function sessionTable(rows: SessionRow[], label: string): HTMLTableElement {
  return h('table', { class: 'data sessions', 'aria-label': label },
    h('thead', {}, h('tr', {}, ...['Started', 'Server', 'Job', 'Result', 'Duration', 'Data', 'Message', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', { class: `row-${r.status}`, 'data-ref': r.ref },
      h('td', {}, time(r.startedAt)), h('td', {}, r.serverName), h('td', {}, r.jobName),
      h('td', {}, h('span', { class: `badge ${r.status}` }, statusText(r.status))), h('td', {}, dur(r.durationSec)), h('td', {}, bytes(r.transferredBytes)),
      h('td', { class: 'message' }, r.message ?? ''),
      h('td', { class: 'actions' }, r.ref ? button('Open Log', () => send({ type: 'openLog', ref: r.ref }), { class: 'link' }) : undefined,
        r.ref ? button('Show in Tree', () => send({ type: 'reveal', ref: r.ref }), { class: 'link' }) : undefined)))));
}

function dayList(d: NonNullable<typeof day>): HTMLElement {
  const name = d.serverKey ? data?.servers.find((s) => s.key === d.serverKey)?.name ?? 'one server' : 'all servers';
  return h('div', { class: 'day-list', id: 'day-list' },
    h('h3', { tabindex: '-1', id: 'day-list-heading' }, `Sessions on ${d.day} — ${name} (${d.total}${d.total > d.rows.length ? `, newest ${d.rows.length} shown` : ''})`),
    button('Close', () => { day = undefined; render(); }, { class: 'link' }),
    d.rows.length ? sessionTable(d.rows, `Sessions on ${d.day}`) : h('p', { class: 'muted' }, 'No sessions on this day.'));
}

function duration(d: OverviewData): HTMLElement {
  const src = d.total;
  const body: Node[] = [];
  if (asTable('duration')) {
    body.push(h('table', { class: 'data', 'aria-label': 'Median job duration and data transferred per day' },
      h('thead', {}, h('tr', {}, ...['Day', 'Median duration', 'Data transferred'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...src.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.day), h('td', {}, dur(b.medianDurationSec)), h('td', {}, bytes(b.transferredBytes)))))));
  } else {
    body.push(h('div', { class: 'pair' },
      h('div', { class: 'chart-box' }, h('h3', {}, 'Median job duration'),
        lineChart({ title: 'Median job duration per day', labels: src.map((b) => b.day), values: src.map((b) => b.medianDurationSec), format: dur, cls: 'duration' })),
      h('div', { class: 'chart-box' }, h('h3', {}, 'Data transferred'),
        barChart({ title: 'Data transferred per day', labels: src.map((b) => b.day), values: src.map((b) => b.transferredBytes || undefined), format: bytes, cls: 'data' }))));
  }
  return section('duration', 'Duration and data per day', body);
}

function repositories(d: OverviewData): HTMLElement {
  const rows = d.repositories;
  const text = (r: OverviewData['repositories'][number]) => r.percent === undefined ? 'size unknown'
    : `${Math.round(r.percent)} % used · ${bytes(r.freeBytes)} free of ${bytes(r.totalBytes)}${r.fullInDays !== undefined ? ` · full in about ${r.fullInDays} day${r.fullInDays === 1 ? '' : 's'}` : ''}`;
  const body: Node[] = [h('p', { class: 'muted' }, `Fullest first; ${d.warnPercent} % and more stand out (veeam.dashboard.warnPercent).`)];
  if (!rows.length) { body.push(h('p', { class: 'muted' }, 'No repositories reported.')); }
  else if (asTable('repositories')) {
    body.push(h('table', { class: 'data', 'aria-label': 'Repositories' },
      h('thead', {}, h('tr', {}, ...['Repository', 'Server', 'Used', 'Free', 'Capacity', 'Fill', 'Forecast'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', { class: r.warn ? 'warn' : '' }, h('th', { scope: 'row' }, r.name), h('td', {}, r.serverName),
        h('td', {}, bytes(r.usedBytes)), h('td', {}, bytes(r.freeBytes)), h('td', {}, bytes(r.totalBytes)),
        h('td', {}, r.percent === undefined ? '–' : `${Math.round(r.percent)} %`),
        h('td', {}, r.fullInDays === undefined ? '–' : `full in about ${r.fullInDays} days`))))));
  } else {
    body.push(fillBars('Repository fill, fullest first', rows.map((r) => ({ label: r.name, sub: r.serverName, percent: r.percent, warn: r.warn, text: text(r) }))));
  }
  return section('repositories', 'Repositories', body);
}

function attention(d: OverviewData): HTMLElement {
  const rows: AttentionItem[] = d.attention;
  const body: Node[] = rows.length
    ? [sessionTable(rows, 'Failed and warning sessions, newest first'), ...(d.attentionTotal > rows.length ? [h('p', { class: 'muted' }, `Newest ${rows.length} of ${d.attentionTotal}.`)] : [])]
    : [h('p', { class: 'muted' }, `No failed or warning sessions in the last ${state.days} days.`)];
  return section('attention', `Needs attention (${d.attentionTotal})`, body, false);
}

function runningNow(): HTMLElement {
  const body: Node[] = running.length
    ? [h('ul', { class: 'running' }, ...running.map((r) => h('li', { 'data-ref': r.ref },
      h('span', { class: 'run-label' }, `${r.label} — ${r.noun} on ${r.serverName}`),
      r.percent !== undefined ? h('progress', { max: '100', value: String(Math.round(r.percent)), 'aria-label': `${r.label} ${Math.round(r.percent)}%` }) : h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', { class: 'run-progress' }, r.progress), r.note ? h('span', { class: 'muted' }, ` (${r.note})`) : undefined,
      button('Open Log', () => send({ type: 'openLog', ref: r.ref }), { class: 'link' }))))]
    : [h('p', { class: 'muted' }, 'Nothing is running that the extension follows. Sessions listed in the tree or started from it show up here.')];
  return section('running', 'Running now', body, false);
}

// ---------------------------------------------------------------- render

function render(): void {
  const focused = document.activeElement?.id;
  const nodes: Node[] = [header()];
  if (data) {
    nodes.push(results(data), duration(data), repositories(data), attention(data));
  } else if (!loading && servers.length === 0) {
    nodes.push(h('p', {}, 'No Veeam servers are configured. Add one in the Veeam view.'));
  }
  nodes.push(runningNow());
  app.replaceChildren(...nodes);
  if (focused) { document.getElementById(focused)?.focus(); }
  report();
}

function report(): void {
  const counts: RenderedReport['counts'] = {};
  for (const g of Array.from(document.querySelectorAll('section#results .chart-box[data-server="all"] g.day'))) {
    const d = g.getAttribute('data-day')!;
    counts[d] = { success: Number(g.getAttribute('data-success')), warning: Number(g.getAttribute('data-warning')), failed: Number(g.getAttribute('data-failed')) };
  }
  send({ type: 'rendered', report: {
    dataAt: data?.generatedAt, days: data?.days.length ?? 0, counts,
    bars: document.querySelectorAll('section#results rect.bar').length,
    repositories: data?.repositories.length ?? 0,
    attention: document.querySelectorAll('section#attention tbody tr').length,
    running: running.length,
    errors: servers.filter((s) => s.state === 'error').map((s) => `${s.name}: ${s.error ?? ''}`),
    theme: document.body.className,
  } });
}

function focusSection(s: Section): void {
  const el = document.getElementById(`${s}-heading`);
  el?.scrollIntoView({ block: 'start' });
  el?.focus();
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init': state = m.state; title = m.title; servers = m.servers; vscode.setState(state); render(); break;
    case 'progress': servers = m.servers; loading = m.loading; render(); break;
    case 'data': data = m.data; render(); break;
    case 'running': running = m.rows; render(); break;
    case 'daySessions': day = { day: m.day, serverKey: m.serverKey, rows: m.rows, total: m.total }; render(); document.getElementById('day-list-heading')?.focus(); break;
    case 'focus': focusSection(m.section); break;
  }
});

// A theme change (body class vscode-light/-dark/-high-contrast) redraws: colours follow the CSS variables,
// the high-contrast outlines follow the class.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

send({ type: 'ready', state });
