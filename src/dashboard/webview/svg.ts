// The overview's charts as plain SVG (no chart library): stacked bars, a line, bars and horizontal fill
// bars. Elements are built with createElementNS and attributes only (no style attributes: the CSP allows
// none), colours come from CSS classes that use the --vscode-charts-* variables, so a theme change
// recolours everything. Each chart is an <svg role="group"> with a <title>; each day is a focusable
// button-like group with an aria-label, so the charts work from the keyboard and a screen reader.

const NS = 'http://www.w3.org/2000/svg';

export function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) { e.setAttribute(k, String(v)); }
  if (text !== undefined) { e.textContent = text; }
  return e;
}

export interface Stack { key: string; label: string; cls: string }

export interface Frame { width: number; height: number; left: number; right: number; top: number; bottom: number }

const FRAME: Frame = { width: 640, height: 180, left: 52, right: 8, top: 10, bottom: 26 };

function niceMax(v: number): number {
  if (v <= 0) { return 1; }
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) { if (m * p >= v) { return m * p; } }
  return 10 * p;
}

function svgRoot(title: string, desc: string, f: Frame, cls: string): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${f.width} ${f.height}`, class: `chart ${cls}`, role: 'group', 'aria-label': title, preserveAspectRatio: 'xMinYMin meet' });
  svg.append(el('title', {}, title), el('desc', {}, desc));
  return svg;
}

function yAxis(svg: SVGSVGElement, f: Frame, max: number, fmt: (v: number) => string): void {
  const h = f.height - f.top - f.bottom;
  for (const q of [0, 0.5, 1]) {
    const y = f.top + h - q * h;
    svg.append(el('line', { x1: f.left, x2: f.width - f.right, y1: y, y2: y, class: 'grid', 'aria-hidden': 'true' }));
    svg.append(el('text', { x: f.left - 4, y: y + 3, class: 'axis', 'text-anchor': 'end', 'aria-hidden': 'true' }, fmt(max * q)));
  }
}

/** '03-10' under every bar when they fit, else under every few. */
function xLabels(svg: SVGSVGElement, f: Frame, labels: string[], x: (i: number) => number): void {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((d, i) => {
    if ((labels.length - 1 - i) % every !== 0) { return; }
    svg.append(el('text', { x: x(i), y: f.height - 8, class: 'axis', 'text-anchor': 'middle', 'aria-hidden': 'true' }, d.slice(5)));
  });
}

export interface StackedBarsOptions {
  title: string;
  days: string[];
  stacks: Stack[];
  value(day: string, key: string): number;
  /** The accessible name of one day's bar: '2026-03-10: 3 success, 1 warning, 0 failed'. */
  dayLabel(day: string): string;
  onActivate(day: string): void;
  selected?: string;
}

/** Stacked bars per day; a click (or Enter/Space) on a day calls onActivate. */
export function stackedBars(o: StackedBarsOptions): SVGSVGElement {
  const f = FRAME;
  const totals = o.days.map((d) => o.stacks.reduce((a, s) => a + o.value(d, s.key), 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = svgRoot(o.title, `${o.days.length} days, ${totals.reduce((a, b) => a + b, 0)} sessions. Each day is a button that lists its sessions.`, f, 'stacked');
  yAxis(svg, f, max, (v) => String(Math.round(v)));
  const w = (f.width - f.left - f.right) / Math.max(1, o.days.length);
  const h = f.height - f.top - f.bottom;
  const bw = Math.max(2, Math.min(28, w * 0.7));
  const x = (i: number) => f.left + w * i + w / 2;
  o.days.forEach((day, i) => {
    const g = el('g', { class: `day${o.selected === day ? ' selected' : ''}`, tabindex: 0, role: 'button', 'aria-label': o.dayLabel(day), 'data-day': day });
    for (const s of o.stacks) { g.setAttribute(`data-${s.key}`, String(o.value(day, s.key))); }
    g.append(el('rect', { x: f.left + w * i, y: f.top, width: w, height: h, class: 'hit' }));
    let y = f.top + h;
    for (const s of o.stacks) {
      const v = o.value(day, s.key);
      if (!v) { continue; }
      const bh = (v / max) * h;
      y -= bh;
      const r = el('rect', { x: x(i) - bw / 2, y, width: bw, height: Math.max(1, bh), class: `bar ${s.cls}`, 'data-kind': s.key, 'data-count': v });
      r.append(el('title', {}, `${day}: ${v} ${s.label.toLowerCase()}`));
      g.append(r);
    }
    g.addEventListener('click', () => o.onActivate(day));
    g.addEventListener('keydown', (ev) => {
      const k = (ev as KeyboardEvent).key;
      if (k === 'Enter' || k === ' ') { ev.preventDefault(); o.onActivate(day); }
      if (k === 'ArrowRight' || k === 'ArrowLeft') {
        ev.preventDefault();
        const sib = (k === 'ArrowRight' ? g.nextElementSibling : g.previousElementSibling) as SVGGElement | null;
        if (sib?.classList.contains('day')) { sib.focus(); }
      }
    });
    svg.append(g);
  });
  xLabels(svg, f, o.days, x);
  return svg;
}

export interface SeriesOptions {
  title: string;
  labels: string[];
  values: (number | undefined)[];
  format(v: number): string;
  cls: string;
}

/** A line with a dot per known value (gaps where a day has none). */
export function lineChart(o: SeriesOptions): SVGSVGElement {
  // Drawn half width (two sit side by side): a narrower view box keeps the labels readable.
  const f = { ...FRAME, width: 400, height: 150 };
  const known = o.values.filter((v): v is number => v !== undefined);
  const max = niceMax(Math.max(0, ...known));
  const svg = svgRoot(o.title, known.length ? `${known.length} of ${o.labels.length} days with a value; highest ${o.format(Math.max(...known))}.` : 'No values.', f, `line ${o.cls}`);
  yAxis(svg, f, max, o.format);
  const w = (f.width - f.left - f.right) / Math.max(1, o.labels.length);
  const h = f.height - f.top - f.bottom;
  const x = (i: number) => f.left + w * i + w / 2;
  const y = (v: number) => f.top + h - (v / max) * h;
  let d = '';
  o.values.forEach((v, i) => {
    if (v === undefined) { return; }
    d += `${d && o.values[i - 1] !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (d) { svg.append(el('path', { d, class: `stroke ${o.cls}`, fill: 'none' })); }
  o.values.forEach((v, i) => {
    if (v === undefined) { return; }
    const c = el('circle', { cx: x(i), cy: y(v), r: 3, class: `dot ${o.cls}`, tabindex: 0, role: 'img', 'aria-label': `${o.labels[i]}: ${o.format(v)}` });
    c.append(el('title', {}, `${o.labels[i]}: ${o.format(v)}`));
    svg.append(c);
  });
  xLabels(svg, f, o.labels, x);
  return svg;
}

/** Simple bars, one per label. */
export function barChart(o: SeriesOptions): SVGSVGElement {
  const f = { ...FRAME, width: 400, height: 150 };
  const max = niceMax(Math.max(0, ...o.values.map((v) => v ?? 0)));
  const svg = svgRoot(o.title, `Highest ${o.format(max)}.`, f, `bars ${o.cls}`);
  yAxis(svg, f, max, o.format);
  const w = (f.width - f.left - f.right) / Math.max(1, o.labels.length);
  const h = f.height - f.top - f.bottom;
  const bw = Math.max(2, Math.min(28, w * 0.7));
  o.values.forEach((v, i) => {
    if (!v) { return; }
    const bh = (v / max) * h;
    const r = el('rect', { x: f.left + w * i + (w - bw) / 2, y: f.top + h - bh, width: bw, height: Math.max(1, bh), class: `bar ${o.cls}`, tabindex: 0, role: 'img', 'aria-label': `${o.labels[i]}: ${o.format(v)}` });
    r.append(el('title', {}, `${o.labels[i]}: ${o.format(v)}`));
    svg.append(r);
  });
  xLabels(svg, f, o.labels, (i) => f.left + w * i + w / 2);
  return svg;
}

export interface FillRow { label: string; sub: string; percent?: number; warn: boolean; text: string }

/** One horizontal used/free bar per row, fullest first (as given). */
export function fillBars(title: string, rows: FillRow[]): SVGSVGElement {
  const rowH = 34;
  const f = { width: 640, height: Math.max(1, rows.length) * rowH + 6, left: 8, right: 8, top: 4, bottom: 2 };
  const svg = svgRoot(title, `${rows.length} repositories, fullest first.`, f, 'fill');
  const bx = 230; const bwMax = f.width - bx - f.right;
  rows.forEach((r, i) => {
    const y = f.top + i * rowH;
    const g = el('g', { class: `repo${r.warn ? ' warn' : ''}`, tabindex: 0, role: 'img', 'aria-label': `${r.label} (${r.sub}): ${r.text}` });
    g.append(el('text', { x: f.left, y: y + 13, class: 'label' }, r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label));
    g.append(el('text', { x: f.left, y: y + 27, class: 'axis' }, r.sub.length > 40 ? `${r.sub.slice(0, 39)}…` : r.sub));
    g.append(el('rect', { x: bx, y: y + 4, width: bwMax, height: 14, class: 'free' }));
    if (r.percent !== undefined) {
      g.append(el('rect', { x: bx, y: y + 4, width: Math.max(1, (bwMax * r.percent) / 100), height: 14, class: `used${r.warn ? ' warn' : ''}` }));
    }
    g.append(el('text', { x: bx, y: y + 30, class: `axis${r.warn ? ' warn-text' : ''}` }, r.text));
    svg.append(g);
  });
  return svg;
}
