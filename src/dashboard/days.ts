// Calendar days in a time zone, for the overview's aggregation (aggregate.ts). Pure: no vscode, no I/O.
// Intl is slow (about 5 µs a call, 0.2 ms to build a formatter, ~15 ms for the first one in a process), so
// a window's day boundaries are found once (two Intl calls a day, remembered per zone and day) and a
// session is put in its day by comparing numbers; timestamps are read by a small ISO 8601 reader that
// gives exactly what Date.parse gives (and leaves every other form to Date.parse).
const DAY_MS = 86_400_000;
const SLOT_MS = 15 * 60_000;   // every UTC offset in use is a multiple of 15 minutes

const fixedOffset = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC for a fixed offset zone ('+02:00', 'UTC-5'), else undefined. */
export function offsetMinutes(tz: string): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(tz)) { return 0; }
  const m = fixedOffset.exec(tz.trim());
  if (!m) { return undefined; }
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -v : v;
}

const formats = new Map<string, Intl.DateTimeFormat | null>();
/** One formatter per zone for the process (null: not a zone Intl knows). */
function formatOf(tz: string): Intl.DateTimeFormat | null {
  let f = formats.get(tz);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch { f = null; }
    formats.set(tz, f);
  }
  return f;
}

/** The local date and minute of the day of an instant in a zone. */
function localAt(fmt: Intl.DateTimeFormat, ms: number): { day: string; minute: number } {
  let y = ''; let mo = ''; let d = ''; let h = 0; let mi = 0;
  for (const p of fmt.formatToParts(new Date(ms))) {
    switch (p.type) {
      case 'year': y = p.value; break;
      case 'month': mo = p.value; break;
      case 'day': d = p.value; break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
    }
  }
  return { day: `${y}-${mo}-${d}`, minute: h * 60 + mi };
}

/**
 * A day-of-instant function for one zone. Each Intl answer fills the cache for the whole day it falls in,
 * two hours short of either end (a DST change moves midnight by at most two hours: Antarctica/Troll
 * goes from +00 to +02): about one Intl call per day plus a few near midnight, whatever the number of calls.
 */
export function dayFn(tz: string): (ms: number) => string {
  const off = offsetMinutes(tz);
  if (off !== undefined) { return (ms) => new Date(ms + off * 60_000).toISOString().slice(0, 10); }
  const fmt = formatOf(tz);
  if (!fmt) { return dayFn('UTC'); }
  const cache = new Map<number, string>();
  const perDay = DAY_MS / SLOT_MS;
  const margin = 2 * 3_600_000 / SLOT_MS;
  return (ms) => {
    const slot = Math.floor(ms / SLOT_MS);
    let d = cache.get(slot);
    if (d === undefined) {
      const p = localAt(fmt, slot * SLOT_MS);
      d = p.day;
      cache.set(slot, d);
      const start = slot - Math.floor(p.minute / 15);
      for (let s = start + margin; s < start + perDay - margin; s++) { if (!cache.has(s)) { cache.set(s, d); } }
    }
    return d;
  };
}

/** Whether a time zone name is usable (IANA name or fixed offset). */
export function validTimeZone(tz: string | undefined): boolean {
  if (!tz) { return false; }
  return offsetMinutes(tz) !== undefined || formatOf(tz) !== null;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Day starts per zone and day: the rules of a zone do not change while the extension runs. */
const starts = new Map<string, number>();

/**
 * The first instant (ms) of a calendar day in a zone: the first 15-minute slot whose date (as dayFn says)
 * is that day or later. A midnight that a DST change skips starts the day at the first time that exists;
 * a day a zone skipped entirely (Pacific/Apia, 30 Dec 2011) starts where the next one does.
 */
export function dayStart(tz: string, day: string, guessOffsetMs?: number): number {
  const key = `${tz}|${day}`;
  const known = starts.get(key);
  if (known !== undefined) { return known; }
  const u = Date.parse(`${day}T00:00:00Z`);
  const off = offsetMinutes(tz);
  const fmt = off === undefined ? formatOf(tz) : null;
  let t: number;
  if (off !== undefined || !fmt) {
    t = u - (off ?? 0) * 60_000;
  } else {
    // Midnight with the offset of the day before (or the one in force at UTC midnight), corrected by the
    // offset found there (twice at most: a DST change), then made exact slot by slot.
    let guess = guessOffsetMs;
    if (guess === undefined) { const q = localAt(fmt, u); guess = Date.parse(`${q.day}T00:00:00Z`) + q.minute * 60_000 - u; }
    t = Math.floor((u - guess) / SLOT_MS) * SLOT_MS;
    let p = localAt(fmt, t);
    for (let i = 0; i < 3 && !(p.day === day && p.minute === 0); i++) {
      const o = Date.parse(`${p.day}T00:00:00Z`) + p.minute * 60_000 - t;   // the offset in force at t
      const next = Math.floor((u - o) / SLOT_MS) * SLOT_MS;
      if (next === t) { break; }
      t = next;
      p = localAt(fmt, t);
    }
    let steps = 0;
    while (p.day < day && steps++ < 400) { t += SLOT_MS; p = localAt(fmt, t); }
    while (localAt(fmt, t - SLOT_MS).day >= day && steps++ < 400) { t -= SLOT_MS; }
  }
  if (starts.size > 20_000) { starts.clear(); }
  starts.set(key, t);
  return t;
}

/**
 * The first instants of `days` (consecutive dates, oldest first) and of the day after the last: n + 1
 * boundaries, so that an instant t is on days[i] exactly when bounds[i] <= t < bounds[i + 1].
 */
export function dayBounds(tz: string, days: string[]): number[] {
  const out: number[] = [];
  let guess: number | undefined;
  const all = days.length ? [...days, nextDay(days[days.length - 1])] : [];
  for (const d of all) {
    const t = dayStart(tz, d, guess);
    guess = Date.parse(`${d}T00:00:00Z`) - t;
    out.push(t);
  }
  return out;
}

/** The index of the day of `t` in `bounds` (dayBounds), or -1 when t is outside them (or NaN). */
export function dayIndex(bounds: number[], t: number): number {
  const n = bounds.length - 1;
  if (!(t >= bounds[0] && t < bounds[n])) { return -1; }
  let i = Math.floor((t - bounds[0]) / DAY_MS);   // days are 23 to 25 hours long: off by one at most
  if (i >= n) { i = n - 1; }
  while (t < bounds[i]) { i--; }
  while (t >= bounds[i + 1]) { i++; }
  return i;
}

/** The last `n` calendar days in a zone, oldest first, ending with the day of `now`. */
export function lastDays(n: number, now: number, tz: string): string[] {
  const day = dayFn(tz);
  const out: string[] = [];
  // Step back by days from noon of today's date so DST shifts never skip or repeat a date.
  const today = day(now);
  const base = Date.parse(`${today}T12:00:00Z`);
  for (let i = n - 1; i >= 0; i--) { out.push(new Date(base - i * DAY_MS).toISOString().slice(0, 10)); }
  return out;
}

/**
 * A server's zone for "the server's days": its definition's zone, else the UTC offset its timestamps carry
 * ('2024-05-01T23:10:00+02:00' → '+02:00'), else UTC (VB365 and Enterprise Manager answer in UTC).
 */
export function serverZone(configured: string | undefined, sessions: { startedAt?: string }[] | undefined): string {
  if (configured && validTimeZone(configured)) { return configured; }
  for (const s of sessions ?? []) {
    const m = /([+-]\d{2}:\d{2})$/.exec(s.startedAt ?? '');
    if (m && m[1] !== '+00:00') { return m[1]; }
    if (s.startedAt) { break; }
  }
  return 'UTC';
}

/** The ISO lower bound to ask for `days` days: a day more than shown, so the oldest day is complete in any zone. */
export function sinceFor(days: number, now: number): string {
  return new Date(now - (days + 1) * DAY_MS).toISOString();
}

// ---------------------------------------------------------------- timestamps

/** Date.parse for the timestamps servers send, fast (src/api/format.ts: the kinds' normalizers use it too). */
export { isoMs } from '../api/format';
