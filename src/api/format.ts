// Formatting shared by every kind's normalizer: what a backup admin reads in descriptions and tooltips.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) { return '–'; }
  let v = n; let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

export function rate(n: number | undefined | null): string {
  return n === undefined || n === null ? '–' : `${bytes(n)}/s`;
}

// Made on first use: the first Intl.NumberFormat costs ~11 ms, which activation must not pay.
let integer: Intl.NumberFormat | undefined;
const INTEGER = { format: (n: number) => (integer ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(n) };

export function count(n: number | undefined | null): string {
  return n === undefined || n === null ? '–' : INTEGER.format(n);
}

export function ago(iso: string | undefined | null, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) { return ''; }
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) { return 'just now'; }
  if (s < 3600) { return `${Math.floor(s / 60)} min ago`; }
  if (s < 86400) { return `${Math.floor(s / 3600)} h ago`; }
  if (s < 86400 * 60) { return `${Math.floor(s / 86400)} d ago`; }
  return `${Math.floor(s / (86400 * 30))} mo ago`;
}

export function duration(fromIso: string | undefined | null, toIso: string | undefined | null, now = Date.now()): string {
  const a = fromIso ? Date.parse(fromIso) : NaN;
  const b = toIso ? Date.parse(toIso) : now;
  if (!Number.isFinite(a) || !Number.isFinite(b)) { return '–'; }
  let s = Math.max(0, Math.round((b - a) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

/** '2026-11-23 18:00' in local time: what session rows are labelled with. */
export function stamp(iso: string | undefined | null): string {
  const t = iso ? new Date(iso) : undefined;
  if (!t || Number.isNaN(t.getTime())) { return '(no time)'; }
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}

export function dateTime(iso: string | undefined | null): string {
  if (!iso) { return '–'; }
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? String(iso) : `${stamp(iso)}:${String(t.getSeconds()).padStart(2, '0')}`;
}

export function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

export function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** host:port of a URL, or the text itself when it is not one. */
export function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** How far running work is: '42%', '1,193 objects' or ''. */
export function progressText(e: { progress?: { percent?: number; objects?: number } }): string {
  if (e.progress?.percent !== undefined) { return `${Math.round(e.progress.percent)}%`; }
  if (e.progress?.objects !== undefined) { return `${e.progress.objects.toLocaleString('en-US')} objects`; }
  return '';
}
