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
  return agoAt(isoMs(iso), now);
}

/** `ago` of a time in ms ('' when it is NaN). */
export function agoAt(t: number, now = Date.now()): string {
  if (!Number.isFinite(t)) { return ''; }
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) { return 'just now'; }
  if (s < 3600) { return agoText(0, Math.floor(s / 60)); }
  if (s < 86400) { return agoText(1, Math.floor(s / 3600)); }
  if (s < 86400 * 60) { return agoText(2, Math.floor(s / 86400)); }
  return agoText(3, Math.floor(s / (86400 * 30)));
}

/** ' · 2 h ago' (agoAt with the separator descriptions put before it), or '' when t is NaN. */
export function agoPartAt(t: number, now = Date.now()): string {
  const a = agoAt(t, now);
  if (!a) { return ''; }
  let p = agoParts.get(a);
  if (p === undefined) { p = ` · ${a}`; if (agoParts.size < 2000) { agoParts.set(a, p); } }
  return p;
}

// The same few hundred texts for thousands of sessions: made once, shared by every description.
const AGO_UNITS = ['min', 'h', 'd', 'mo'];
const agoTexts: string[][] = [[], [], [], []];
const agoParts = new Map<string, string>();
function agoText(unit: number, n: number): string {
  const cache = agoTexts[unit];
  if (n < 1000) { return (cache[n] ??= `${n} ${AGO_UNITS[unit]} ago`); }
  return `${n} ${AGO_UNITS[unit]} ago`;
}

export function duration(fromIso: string | undefined | null, toIso: string | undefined | null, now = Date.now()): string {
  const a = fromIso ? isoMs(fromIso) : NaN;
  const b = toIso ? isoMs(toIso) : now;
  if (!Number.isFinite(a) || !Number.isFinite(b)) { return '–'; }
  let s = Math.max(0, Math.round((b - a) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

/** '2026-11-23 18:00' in local time: what session rows are labelled with. */
export function stamp(iso: string | undefined | null): string {
  return stampAt(isoMs(iso));
}

/** `stamp` of a time in ms ('(no time)' when it is NaN). */
export function stampAt(t: number): string {
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) { return '(no time)'; }
  if (t < 0) { return slowStamp(new Date(t)); }   // before 1970: zones with offsets in seconds
  const local = t + localOffset(t);
  const day = Math.floor(local / DAY);
  const slot = day & 1023;
  let date = dateText[slot];
  if (dateDay[slot] !== day || date === undefined) {
    const d = new Date(day * DAY);
    date = dateText[slot] = `${d.getUTCFullYear()}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]} `;
    dateDay[slot] = day;
  }
  const min = Math.floor((local - day * DAY) / 60000);
  // One string of two shared parts (the day's and the minute's) instead of a chain of four.
  return date + (HHMM[min] ??= `${TWO[Math.floor(min / 60)]}:${TWO[min % 60]}`);
}

const DAY = 86_400_000;
const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** 'HH:MM' per minute of the day, made on first use. */
const HHMM: string[] = [];
/** 'YYYY-MM-DD ' per local day number, direct-mapped (1,024 days). */
const dateDay = new Float64Array(1024).fill(NaN);
const dateText: string[] = new Array<string>(1024);

export function dateTime(iso: string | undefined | null): string {
  if (!iso) { return '–'; }
  const t = isoMs(iso);
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) { return String(iso); }
  return `${stampAt(t)}:${p2(t < 0 ? new Date(t).getSeconds() : new Date(t + localOffset(t)).getUTCSeconds())}`;
}

function slowStamp(d: Date): string {
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));

// Sessions come by the ten thousand, and Date.parse plus Date's local-time getters cost about 1.4 µs a
// session, more than JSON.parse of it. The two below give the very same results for less.

/**
 * Date.parse(iso), with a fast path for the form Veeam servers send ('2026-11-23T18:00:05.123Z' or
 * '…+01:00'; fractions beyond milliseconds dropped as Date.parse does). Anything else (no offset = local
 * time, other layouts, out-of-range fields) goes to Date.parse itself. NaN when missing or unreadable.
 */
export function isoMs(iso: string | undefined | null): number {
  if (!iso) { return NaN; }
  const s = iso; const n = s.length;
  if (n >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const y = d2(s, 0) * 100 + d2(s, 2); const mo = d2(s, 5); const d = d2(s, 8);
    const h = d2(s, 11); const mi = d2(s, 14); const sec = d2(s, 17);
    let i = 19; let ms = 0;
    if (s.charCodeAt(i) === 46) {
      let k = 0; i++;
      for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) { if (k < 3) { ms = ms * 10 + (c - 48); } k++; }
      if (k === 0) { return Date.parse(s); }
      if (k === 1) { ms *= 100; } else if (k === 2) { ms *= 10; }
    }
    let offset = NaN;
    const z = s.charCodeAt(i);
    if (i === n - 1 && z === 90) { offset = 0; }
    else if (i === n - 6 && (z === 43 || z === 45) && s.charCodeAt(i + 3) === 58) {
      const oh = d2(s, i + 1); const om = d2(s, i + 4);
      if (oh <= 23 && om <= 59) { offset = (z === 43 ? 60000 : -60000) * (oh * 60 + om); }
    }
    if (offset === offset && y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 59) {
      // Date.UTC's day number (days from civil, H. Hinnant), linear in the day as Date.UTC is (Feb 30 = Mar 2).
      const yy = mo <= 2 ? y - 1 : y; const era = Math.floor(yy / 400); const yoe = yy - era * 400;
      const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
      const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
      return days * DAY + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offset;
    }
  }
  return Date.parse(s);
}

/** The two digits at s[at], or a number beyond every range check when they are not digits. */
function d2(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48; const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : 100_000;
}

/**
 * The local zone's offset at t (≥ 0) in ms, as Date's local getters apply it (local = t + offset), remembered per
 * UTC day in a small direct-mapped table when the offset is the same at the day's first and last millisecond (a
 * day with a zone change is computed for each time). Like V8's own date cache, this takes a zone to change its
 * offset at most once within a day (V8's own date cache assumes changes are weeks apart).
 */
const SLOTS = 1024;
let slotDay: Int32Array | undefined;
let slotOffset: Float64Array | undefined;
function localOffset(t: number): number {
  const day = (t / DAY) | 0;
  slotDay ??= new Int32Array(SLOTS).fill(-1);
  slotOffset ??= new Float64Array(SLOTS);
  const i = day & (SLOTS - 1);
  if (slotDay[i] === day) { return slotOffset[i]; }
  const a = -new Date(day * DAY).getTimezoneOffset() * 60000;
  const b = -new Date(day * DAY + DAY - 1).getTimezoneOffset() * 60000;
  if (a !== b) { return -new Date(t).getTimezoneOffset() * 60000; }
  slotDay[i] = day; slotOffset[i] = a;
  return a;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') { return v === '' ? undefined : v; }
  return v === undefined || v === null ? undefined : String(v);
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
