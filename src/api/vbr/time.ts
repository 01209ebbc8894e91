// Task-session times come without a UTC offset ("2024-11-11T12:54:32.649649") while session times
// have one. They are the server's wall-clock time: read them in the server's time zone (the IANA
// zone of /serverTime in 1.3, else the offset of its serverTime). Without either they stay as
// they are, which shows the server's wall time unshifted.
import type { Revision } from './revision';

const HAS_OFFSET = /(?:[zZ]|[+-]\d\d:?\d\d)$/;
const LOCAL = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?$/;

export type Zone = Pick<Revision, 'ianaTimeZone' | 'offsetMinutes'>;

/** The UTC offset of `zone` at the instant `utcMs`, in minutes (undefined for an unknown zone). */
export function zoneOffset(zone: string, utcMs: number): number | undefined {
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(new Date(utcMs))) { if (part.type !== 'literal') { p[part.type] = Number(part.value); } }
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
  } catch { return undefined; }
}

/** An ISO time with an offset (or Z); offset-less times are read in the server's zone. */
export function serverTime(iso: unknown, zone: Zone | undefined): string | undefined {
  if (typeof iso !== 'string' || !iso) { return undefined; }
  if (HAS_OFFSET.test(iso)) { return iso; }
  const m = LOCAL.exec(iso);
  if (!m || !zone) { return iso; }
  const ms = (m[7] ?? '0').slice(0, 3).padEnd(3, '0');
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number(ms));
  let offset: number | undefined;
  if (zone.ianaTimeZone) {
    // Two passes: the offset at the wall time read as UTC, then at the instant that gives.
    const first = zoneOffset(zone.ianaTimeZone, wall);
    if (first !== undefined) { offset = zoneOffset(zone.ianaTimeZone, wall - first * 60000) ?? first; }
  }
  offset ??= zone.offsetMinutes;
  if (offset === undefined) { return iso; }
  return new Date(wall - offset * 60000).toISOString();
}
