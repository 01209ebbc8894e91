// Sessions and repositories of every server → the overview's series. Pure (no vscode, no I/O): the
// extension aggregates, the webview only draws. One pass over each server's sessions; a day is a calendar
// day in a time zone (the user's, or each server's own), and a session counts on the day it started
// (a run from 23:30 to 00:40 is that evening's run, as Veeam's own reports count it).
import type { Entity, EntityStatus } from '../api/model';

export type Outcome = 'success' | 'warning' | 'failed' | 'running' | 'other';

export function outcomeOf(s: EntityStatus | undefined): Outcome {
  switch (s) {
    case 'success': case 'warning': case 'failed': return s;
    case 'running': case 'queued': return 'running';
    default: return 'other';
  }
}

/** One calendar day of one server (or of all of them). */
export interface DayBucket {
  day: string;                 // 'YYYY-MM-DD'
  success: number;
  warning: number;
  failed: number;
  running: number;
  /** Stopped, idle, unknown: counted, not charted. */
  other: number;
  /** Median duration of the day's ended runs, seconds (undefined: none ended). */
  medianDurationSec?: number;
  transferredBytes: number;
}

export interface AttentionRow {
  serverKey: string;
  serverName: string;
  /** The entity's key on its server (the controller maps it back to the entity). */
  key: string;
  jobName: string;
  status: 'failed' | 'warning';
  startedAt?: string;
  endedAt?: string;
  message?: string;
}

export interface RepositoryRow {
  serverKey: string;
  serverName: string;
  key: string;
  name: string;
  totalBytes?: number;
  freeBytes?: number;
  usedBytes?: number;
  /** Used share, 0–100 (undefined: the server reports no capacity). */
  percent?: number;
  /** At or above the warning threshold. */
  warn: boolean;
  /** Linear forecast from the kept history: full in about this many days (undefined: no trend, or not filling). */
  fullInDays?: number;
}

export interface ServerSeries {
  key: string;
  name: string;
  kind: string;
  /** The time zone its days are counted in. */
  timeZone: string;
  error?: string;
  buckets: DayBucket[];
  sessions: number;
  /** Sessions that fell outside the days shown (the query window is a little wider than the days). */
  outside: number;
  attention: AttentionRow[];
  repositories: RepositoryRow[];
}

export interface Overview {
  days: string[];
  total: DayBucket[];
  servers: ServerSeries[];
  /** Failed and warning sessions of every server, newest first, at most `attentionLimit`. */
  attention: AttentionRow[];
  attentionTotal: number;
  /** Every repository, fullest first (unknown capacity last). */
  repositories: RepositoryRow[];
  totals: { sessions: number; success: number; warning: number; failed: number; running: number; other: number };
}

export interface ServerInput {
  key: string;
  name: string;
  kind: string;
  sessions?: Entity[];
  repositories?: Entity[];
  error?: string;
  /** The server's own time zone (its definition's, else undefined: guessed from its timestamps). */
  timeZone?: string;
}

export interface AggregateOptions {
  /** How many days back, today included. */
  days: number;
  now: number;
  /** Whose calendar: the user's time zone, or each server's own. */
  zone: 'user' | 'server';
  userTimeZone: string;
  warnPercent: number;
  attentionLimit?: number;
  /** Capacity history per repository (`${serverKey}|${repo.key}`), for the "full in about N days" forecast. */
  history?: (id: string) => CapacitySample[] | undefined;
}

export interface CapacitySample { t: number; used: number }

const DAY_MS = 86_400_000;
const SLOT_MS = 15 * 60_000;   // every UTC offset in use is a multiple of 15 minutes

// ---------------------------------------------------------------- days in a time zone

const fixedOffset = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC for a fixed offset zone ('+02:00', 'UTC-5'), else undefined. */
function offsetMinutes(tz: string): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(tz)) { return 0; }
  const m = fixedOffset.exec(tz.trim());
  if (!m) { return undefined; }
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -v : v;
}

/**
 * A day-of-instant function for one zone. Intl is slow (tens of µs a call), so each answer fills the cache
 * for the whole day it falls in, an hour short of either end (a DST change moves midnight by at most an
 * hour): about one Intl call per day plus a few near midnight, whatever the number of sessions.
 */
export function dayFn(tz: string): (ms: number) => string {
  const off = offsetMinutes(tz);
  if (off !== undefined) { return (ms) => new Date(ms + off * 60_000).toISOString().slice(0, 10); }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch { return dayFn('UTC'); }
  const cache = new Map<number, string>();
  const perDay = DAY_MS / SLOT_MS;
  const margin = 3_600_000 / SLOT_MS;
  return (ms) => {
    const slot = Math.floor(ms / SLOT_MS);
    let d = cache.get(slot);
    if (d === undefined) {
      const p = fmt.formatToParts(new Date(slot * SLOT_MS));
      const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
      d = `${get('year')}-${get('month')}-${get('day')}`;
      cache.set(slot, d);
      const start = slot - Math.floor((Number(get('hour')) * 60 + Number(get('minute'))) / 15);
      for (let s = start + margin; s < start + perDay - margin; s++) { if (!cache.has(s)) { cache.set(s, d); } }
    }
    return d;
  };
}

/** Whether a time zone name is usable (IANA name or fixed offset). */
export function validTimeZone(tz: string | undefined): boolean {
  if (!tz) { return false; }
  if (offsetMinutes(tz) !== undefined) { return true; }
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
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
export function serverZone(configured: string | undefined, sessions: Entity[] | undefined): string {
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

// ---------------------------------------------------------------- one server

function emptyBucket(day: string): DayBucket {
  return { day, success: 0, warning: 0, failed: 0, running: 0, other: 0, transferredBytes: 0 };
}

export function durationSec(e: Entity): number | undefined {
  const d = e.metrics?.durationSec;
  if (d !== undefined && Number.isFinite(d) && d >= 0) { return d; }
  const a = Date.parse(e.startedAt ?? ''); const b = Date.parse(e.endedAt ?? '');
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : undefined;
}

function median(xs: number[]): number | undefined {
  if (!xs.length) { return undefined; }
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/** The zone a server's days are counted in under these options. */
export function zoneOf(s: ServerInput, o: Pick<AggregateOptions, 'zone' | 'userTimeZone'>): string {
  return o.zone === 'user' ? o.userTimeZone : serverZone(s.timeZone, s.sessions);
}

export function aggregateServer(s: ServerInput, o: AggregateOptions): ServerSeries {
  const tz = zoneOf(s, o);
  const days = lastDays(o.days, o.now, tz);
  const index = new Map(days.map((d, i) => [d, i]));
  const buckets = days.map(emptyBucket);
  const durations: number[][] = days.map(() => []);
  const attention: AttentionRow[] = [];
  const day = dayFn(tz);
  let outside = 0;
  for (const e of s.sessions ?? []) {
    const t = Date.parse(e.startedAt ?? '');
    const i = Number.isFinite(t) ? index.get(day(t)) : undefined;
    if (i === undefined) { outside++; continue; }
    const b = buckets[i];
    const out = outcomeOf(e.status);
    b[out]++;
    const bytes = e.metrics?.transferredBytes;
    if (bytes !== undefined && Number.isFinite(bytes)) { b.transferredBytes += bytes; }
    if (out !== 'running') {
      const d = durationSec(e);
      if (d !== undefined) { durations[i].push(d); }
    }
    if (out === 'failed' || out === 'warning') {
      attention.push({
        serverKey: s.key, serverName: s.name, key: e.key, jobName: e.jobName ?? e.name, status: out,
        startedAt: e.startedAt, endedAt: e.endedAt, message: e.message ?? e.description,
      });
    }
  }
  buckets.forEach((b, i) => { b.medianDurationSec = median(durations[i]); });
  attention.sort(newestFirst);
  return {
    key: s.key, name: s.name, kind: s.kind, timeZone: tz, error: s.error, buckets,
    sessions: (s.sessions?.length ?? 0) - outside, outside, attention,
    repositories: (s.repositories ?? []).map((r) => repositoryRow(s, r, o)),
  };
}

function when(r: AttentionRow): number {
  const t = Date.parse(r.endedAt ?? r.startedAt ?? '');
  return Number.isFinite(t) ? t : 0;
}
function newestFirst(a: AttentionRow, b: AttentionRow): number { return when(b) - when(a); }

function repositoryRow(s: ServerInput, r: Entity, o: AggregateOptions): RepositoryRow {
  const total = r.capacity?.totalBytes; const free = r.capacity?.freeBytes;
  const known = total !== undefined && free !== undefined && total > 0;
  const used = known ? Math.max(0, total - free) : undefined;
  const percent = known ? Math.min(100, (used! / total) * 100) : undefined;
  const row: RepositoryRow = {
    serverKey: s.key, serverName: s.name, key: r.key, name: r.name, totalBytes: total, freeBytes: free, usedBytes: used,
    percent, warn: percent !== undefined && percent >= o.warnPercent,
  };
  if (known) {
    const hist = o.history?.(`${s.key}|${r.key}`);
    row.fullInDays = forecastFullInDays([...(hist ?? []), { t: o.now, used: used! }], total);
  }
  return row;
}

/**
 * "Full in about N days": a least-squares line through (time, used bytes). Needs samples over at least
 * 12 hours and a rising trend; undefined otherwise (or beyond ten years, which says nothing useful).
 */
export function forecastFullInDays(samples: CapacitySample[], totalBytes: number, minSpanMs = 12 * 3_600_000): number | undefined {
  const xs = samples.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.used));
  if (xs.length < 2) { return undefined; }
  const t0 = Math.min(...xs.map((p) => p.t)); const t1 = Math.max(...xs.map((p) => p.t));
  if (t1 - t0 < minSpanMs) { return undefined; }
  const n = xs.length;
  const mx = xs.reduce((a, p) => a + (p.t - t0), 0) / n;
  const my = xs.reduce((a, p) => a + p.used, 0) / n;
  let sxy = 0; let sxx = 0;
  for (const p of xs) { const dx = p.t - t0 - mx; sxy += dx * (p.used - my); sxx += dx * dx; }
  if (sxx === 0) { return undefined; }
  const slope = sxy / sxx;                       // bytes per ms
  if (slope <= 0) { return undefined; }
  const usedNow = my + slope * (t1 - t0 - mx);   // the fitted value at the newest sample
  const days = (totalBytes - usedNow) / slope / DAY_MS;
  if (!Number.isFinite(days) || days > 3650) { return undefined; }
  return Math.max(0, Math.ceil(days));
}

// ---------------------------------------------------------------- every server

export function combine(series: ServerSeries[], attentionLimit = 200): Overview {
  const byDay = new Map<string, DayBucket>();
  const medians = new Map<string, number[]>();
  for (const s of series) {
    for (const b of s.buckets) {
      let t = byDay.get(b.day);
      if (!t) { t = emptyBucket(b.day); byDay.set(b.day, t); }
      t.success += b.success; t.warning += b.warning; t.failed += b.failed; t.running += b.running; t.other += b.other;
      t.transferredBytes += b.transferredBytes;
    }
  }
  // The median over every server needs the runs themselves: approximate it by the servers' medians weighted by
  // their run counts (exact for one server; a weighted median of medians otherwise).
  for (const s of series) {
    for (const b of s.buckets) {
      if (b.medianDurationSec === undefined) { continue; }
      const n = b.success + b.warning + b.failed + b.other;
      const list = medians.get(b.day) ?? [];
      for (let i = 0; i < Math.max(1, n); i++) { list.push(b.medianDurationSec); }
      medians.set(b.day, list);
    }
  }
  const days = [...byDay.keys()].sort();
  const total = days.map((d) => {
    const b = byDay.get(d)!;
    b.medianDurationSec = median(medians.get(d) ?? []);
    return b;
  });
  const attentionAll = series.flatMap((s) => s.attention).sort(newestFirst);
  const repositories = series.flatMap((s) => s.repositories)
    .sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || a.name.localeCompare(b.name));
  const totals = { sessions: 0, success: 0, warning: 0, failed: 0, running: 0, other: 0 };
  for (const b of total) {
    totals.success += b.success; totals.warning += b.warning; totals.failed += b.failed; totals.running += b.running; totals.other += b.other;
  }
  totals.sessions = totals.success + totals.warning + totals.failed + totals.running + totals.other;
  return {
    days, total, servers: series, attention: attentionAll.slice(0, attentionLimit), attentionTotal: attentionAll.length,
    repositories, totals,
  };
}

export function aggregate(inputs: ServerInput[], o: AggregateOptions): Overview {
  return combine(inputs.map((s) => aggregateServer(s, o)), o.attentionLimit);
}

/** The sessions of one day (of one server, or of all), newest first: what a click on a bar lists. */
export function sessionsOnDay(inputs: ServerInput[], day: string, o: Pick<AggregateOptions, 'zone' | 'userTimeZone'>, serverKey?: string):
  { server: ServerInput; entity: Entity }[] {
  const out: { server: ServerInput; entity: Entity; t: number }[] = [];
  for (const s of inputs) {
    if (serverKey && s.key !== serverKey) { continue; }
    const f = dayFn(zoneOf(s, o));
    for (const e of s.sessions ?? []) {
      const t = Date.parse(e.startedAt ?? '');
      if (Number.isFinite(t) && f(t) === day) { out.push({ server: s, entity: e, t }); }
    }
  }
  return out.sort((a, b) => b.t - a.t).map(({ server, entity }) => ({ server, entity }));
}
