// The overview's repository rows: used / free, the warning threshold, and "full in about N days" from the
// capacity history (history.ts keeps it). Pure, like aggregate.ts.
import type { Entity } from '../api/model';
import type { AggregateOptions, CapacitySample, RepositoryRow, ServerInput } from './aggregate';

const DAY_MS = 86_400_000;

export function repositoryRow(s: ServerInput, r: Entity, o: Pick<AggregateOptions, 'warnPercent' | 'history' | 'now'>): RepositoryRow {
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
