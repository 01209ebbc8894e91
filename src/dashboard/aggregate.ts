// Sessions and repositories of every server → the overview's series. Pure (no vscode, no I/O): the
// extension aggregates, the webview only draws. One pass over each server's sessions; a day is a calendar
// day in a time zone (the user's, or each server's own), and a session counts on the day it started
// (a run from 23:30 to 00:40 is that evening's run, as Veeam's own reports count it). The pass allocates
// nothing per session but the Needs attention rows: days are found among the window's day boundaries
// (days.ts), timestamps are read once (isoMs), medians come from typed-array sorts.
import type { Entity, EntityStatus } from '../api/model';
import { dayBounds, dayIndex, isoMs, lastDays, serverZone } from './days';
import { repositoryRow } from './capacity';

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

export { dayFn, lastDays, serverZone, sinceFor, validTimeZone } from './days';
export { forecastFullInDays } from './capacity';

// ---------------------------------------------------------------- one server

function emptyBucket(day: string): DayBucket {
  return { day, success: 0, warning: 0, failed: 0, running: 0, other: 0, transferredBytes: 0 };
}

/** Seconds from start to end (the server's own duration when it gives one); `start` is startedAt already read. */
function secondsOf(e: Entity, start: number): number | undefined {
  const d = e.metrics?.durationSec;
  if (d !== undefined && Number.isFinite(d) && d >= 0) { return d; }
  const b = isoMs(e.endedAt ?? '');
  return Number.isFinite(start) && Number.isFinite(b) && b >= start ? (b - start) / 1000 : undefined;
}

export function durationSec(e: Entity): number | undefined {
  return secondsOf(e, isoMs(e.startedAt ?? ''));
}

/** The median of a sorted run of numbers. */
function medianOf(sorted: Float64Array): number | undefined {
  const n = sorted.length;
  if (!n) { return undefined; }
  const m = n >> 1;
  return n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Each day's median of the durations given with their day index; sorted as numbers (a typed array needs no comparator). */
function dayMedians(durations: Float64Array, dayOf: Uint16Array, count: number, days: number): (number | undefined)[] {
  const start = new Int32Array(days + 1);
  for (let k = 0; k < count; k++) { start[dayOf[k] + 1]++; }
  for (let i = 0; i < days; i++) { start[i + 1] += start[i]; }
  const grouped = new Float64Array(count);
  const fill = start.slice(0, days);
  for (let k = 0; k < count; k++) { grouped[fill[dayOf[k]]++] = durations[k]; }
  const out: (number | undefined)[] = [];
  for (let i = 0; i < days; i++) { out.push(medianOf(grouped.subarray(start[i], start[i + 1]).sort())); }
  return out;
}

/** The zone a server's days are counted in under these options. */
export function zoneOf(s: ServerInput, o: Pick<AggregateOptions, 'zone' | 'userTimeZone'>): string {
  return o.zone === 'user' ? o.userTimeZone : serverZone(s.timeZone, s.sessions);
}

/** When a Needs attention row happened: its end, else its start (0: unknown). */
function when(r: AttentionRow): number {
  const t = isoMs(r.endedAt ?? r.startedAt ?? '');
  return Number.isFinite(t) ? t : 0;
}

/**
 * Rows newest first by their `when` keys: a stable sort of indices (rows of the same instant keep their
 * order), nothing to do when they come newest first already.
 */
function newestFirst(rows: AttentionRow[], keys: ArrayLike<number> = rows.map(when)): AttentionRow[] {
  let i = 1;
  while (i < keys.length && keys[i] <= keys[i - 1]) { i++; }
  if (i >= keys.length) { return rows; }
  const order: number[] = new Array<number>(keys.length);
  for (let k = 0; k < order.length; k++) { order[k] = k; }
  order.sort((a, b) => keys[b] - keys[a]);
  const out: AttentionRow[] = new Array<AttentionRow>(order.length);
  for (let k = 0; k < order.length; k++) { out[k] = rows[order[k]]; }
  return out;
}

export function aggregateServer(s: ServerInput, o: AggregateOptions): ServerSeries {
  const tz = zoneOf(s, o);
  const days = lastDays(o.days, o.now, tz);
  const bounds = dayBounds(tz, days);
  const buckets = days.map(emptyBucket);
  const sessions = s.sessions ?? [];
  const durations = new Float64Array(sessions.length);
  const dayOf = new Uint16Array(sessions.length);
  let ended = 0;
  const attention: AttentionRow[] = [];
  const keys: number[] = [];
  let outside = 0;
  for (const e of sessions) {
    const t = isoMs(e.startedAt ?? '');
    const i = dayIndex(bounds, t);
    if (i < 0) { outside++; continue; }
    const b = buckets[i];
    const out = outcomeOf(e.status);
    b[out]++;
    const bytes = e.metrics?.transferredBytes;
    if (bytes !== undefined && Number.isFinite(bytes)) { b.transferredBytes += bytes; }
    if (out !== 'running') {
      const d = secondsOf(e, t);
      if (d !== undefined) { durations[ended] = d + 0; dayOf[ended++] = i; }   // + 0: a duration of -0 counts as 0
    }
    if (out === 'failed' || out === 'warning') {
      attention.push({
        serverKey: s.key, serverName: s.name, key: e.key, jobName: e.jobName ?? e.name, status: out,
        startedAt: e.startedAt, endedAt: e.endedAt, message: e.message ?? e.description,
      });
      const w = e.endedAt != null ? isoMs(e.endedAt) : t;   // when(row), with the start already read
      keys.push(Number.isFinite(w) ? w : 0);
    }
  }
  const medians = dayMedians(durations, dayOf, ended, buckets.length);
  for (let i = 0; i < buckets.length; i++) { buckets[i].medianDurationSec = medians[i]; }
  return {
    key: s.key, name: s.name, kind: s.kind, timeZone: tz, error: s.error, buckets,
    sessions: sessions.length - outside, outside, attention: newestFirst(attention, keys),
    repositories: (s.repositories ?? []).map((r) => repositoryRow(s, r, o)),
  };
}

// ---------------------------------------------------------------- every server

/**
 * The median of values each repeated `weight` times: what sorting the repeated list would give, without
 * building it (the values are few: one per server).
 */
function weightedMedian(xs: { v: number; w: number }[]): number | undefined {
  const n = xs.reduce((a, x) => a + x.w, 0);
  if (!n) { return undefined; }
  const s = [...xs].sort((a, b) => a.v - b.v);
  const at = (k: number) => { let c = 0; for (const x of s) { c += x.w; if (k < c) { return x.v; } } return s[s.length - 1].v; };
  const m = n >> 1;
  return n % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
}

export function combine(series: ServerSeries[], attentionLimit = 200): Overview {
  const byDay = new Map<string, DayBucket>();
  const medians = new Map<string, { v: number; w: number }[]>();
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
      list.push({ v: b.medianDurationSec, w: Math.max(1, n) });
      medians.set(b.day, list);
    }
  }
  const days = [...byDay.keys()].sort();
  const total = days.map((d) => {
    const b = byDay.get(d)!;
    b.medianDurationSec = weightedMedian(medians.get(d) ?? []);
    return b;
  });
  const attentionAll = newestFirst(series.flatMap((s) => s.attention));
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
    const [from, to] = dayBounds(zoneOf(s, o), [day]);
    for (const e of s.sessions ?? []) {
      const t = isoMs(e.startedAt ?? '');
      if (t >= from && t < to) { out.push({ server: s, entity: e, t }); }
    }
  }
  return out.sort((a, b) => b.t - a.t).map(({ server, entity }) => ({ server, entity }));
}
