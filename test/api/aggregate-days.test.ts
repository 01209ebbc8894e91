// The overview's days in a time zone (src/dashboard/days.ts) as the fast aggregation uses them: day
// boundaries found once per window, checked against Intl itself around DST changes (Europe/Berlin,
// Antarctica/Troll's two-hour change, a zone that skipped a day), sessions spanning midnight on those
// days, running ones, and the ISO reader that must give exactly what Date.parse gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { aggregateServer, sessionsOnDay, ServerInput } from '../../src/dashboard/aggregate';
import { dayBounds, dayFn, dayIndex, dayStart, isoMs } from '../../src/dashboard/days';
import type { Entity, EntityStatus } from '../../src/api/model';

const H = 3_600_000;
let seq = 0;
function session(startedAt: string, status: EntityStatus, o: Partial<Entity> = {}): Entity {
  seq++;
  return { key: `d:${seq}`, id: String(seq), type: 'jobSession', name: startedAt, status, startedAt, hasChildren: false, actions: [], ref: {}, jobName: 'Nightly', ...o };
}

/** The day of an instant straight from Intl (no cache): the reference. */
function intlDay(tz: string, ms: number): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (t: string) => p.find((x) => x.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

test('Europe/Berlin: the spring day has 23 hours, the autumn day 25, and each starts at local midnight', () => {
  const b = dayBounds('Europe/Berlin', ['2026-03-28', '2026-03-29', '2026-03-30']);
  assert.deepEqual(b.map((t) => new Date(t).toISOString()), ['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z']);
  assert.deepEqual([b[1] - b[0], b[2] - b[1], b[3] - b[2]].map((x) => x / H), [24, 23, 24]);
  const a = dayBounds('Europe/Berlin', ['2026-10-24', '2026-10-25', '2026-10-26']);
  assert.deepEqual([a[1] - a[0], a[2] - a[1], a[3] - a[2]].map((x) => x / H), [24, 25, 24]);
  assert.equal(new Date(a[2]).toISOString(), '2026-10-25T23:00:00.000Z');
});

test('every 15 minutes around both Berlin changes, the day index agrees with Intl', () => {
  for (const [first, n] of [['2026-03-27', 5], ['2026-10-23', 5]] as const) {
    const days = Array.from({ length: n }, (_, i) => new Date(Date.parse(`${first}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    const b = dayBounds('Europe/Berlin', days);
    for (let t = b[0] - 2 * H; t < b[n] + 2 * H; t += 15 * 60_000) {
      const i = dayIndex(b, t);
      const d = intlDay('Europe/Berlin', t);
      assert.equal(i < 0 ? 'outside' : days[i], days.includes(d) ? d : 'outside', new Date(t).toISOString());
    }
  }
});

test('the DST change days in Berlin: runs across midnight count on the evening they started, running ones apart', () => {
  const NOW = Date.parse('2026-03-30T10:00:00Z');
  const sessions = [
    // 23:30 CET on the 28th until 03:30 CEST on the 29th: three real hours across midnight and the change.
    session('2026-03-28T22:30:00Z', 'success', { endedAt: '2026-03-29T01:30:00Z' }),
    session('2026-03-28T23:00:00Z', 'failed', { endedAt: '2026-03-28T23:10:00Z', message: 'at 00:00 CET: the 29th' }),
    session('2026-03-29T21:59:00Z', 'warning', { endedAt: '2026-03-29T22:30:00Z' }),      // 23:59 CEST, the 29th
    session('2026-03-29T22:00:00Z', 'success', { endedAt: '2026-03-29T22:20:00Z' }),      // 00:00 CEST, the 30th
    session('2026-03-30T09:00:00+02:00', 'running'),                                      // the 30th, still running
  ];
  const input: ServerInput = { key: 'b', name: 'Berlin', kind: 'vbr', sessions, timeZone: 'Europe/Berlin' };
  for (const o of [{ zone: 'user' as const, userTimeZone: 'Europe/Berlin' }, { zone: 'server' as const, userTimeZone: 'UTC' }]) {
    const r = aggregateServer(input, { days: 3, now: NOW, warnPercent: 80, ...o });
    assert.equal(r.timeZone, 'Europe/Berlin');
    const by = Object.fromEntries(r.buckets.map((x) => [x.day, x]));
    assert.deepEqual(Object.keys(by), ['2026-03-28', '2026-03-29', '2026-03-30']);
    assert.deepEqual([by['2026-03-28'].success, by['2026-03-28'].medianDurationSec], [1, 3 * 3600]);
    assert.deepEqual([by['2026-03-29'].failed, by['2026-03-29'].warning, by['2026-03-29'].success], [1, 1, 0]);
    assert.deepEqual([by['2026-03-30'].success, by['2026-03-30'].running, by['2026-03-30'].medianDurationSec], [1, 1, 20 * 60]);
    assert.equal(r.outside, 0);
    assert.deepEqual(r.attention.map((x) => x.status), ['warning', 'failed'], 'newest first');
    assert.deepEqual(sessionsOnDay([input], '2026-03-29', o).map((x) => x.entity.startedAt), ['2026-03-29T21:59:00Z', '2026-03-28T23:00:00Z']);
  }
  // The autumn change: both 02:30s of the repeated hour are on the 25th, 00:00 CET of the 26th is not.
  const autumn = [session('2026-10-25T00:30:00Z', 'success'), session('2026-10-25T01:30:00Z', 'success'), session('2026-10-25T22:59:00Z', 'success'), session('2026-10-25T23:00:00Z', 'failed')];
  const r = aggregateServer({ key: 'a', name: 'A', kind: 'vbr', sessions: autumn }, { days: 2, now: Date.parse('2026-10-26T08:00:00Z'), zone: 'user', userTimeZone: 'Europe/Berlin', warnPercent: 80 });
  assert.deepEqual(r.buckets.map((x) => [x.day, x.success, x.failed]), [['2026-10-25', 3, 0], ['2026-10-26', 0, 1]]);
});

test('day starts agree with Intl in zones with odd changes: two hours (Antarctica/Troll), half hours, a skipped day', () => {
  const cases: [string, string, number][] = [['Antarctica/Troll', '2026-03-20', 20], ['Australia/Lord_Howe', '2026-03-30', 14], ['America/Santiago', '2026-04-01', 14],
    ['America/Havana', '2026-10-28', 10], ['Asia/Kathmandu', '2026-01-01', 3], ['Pacific/Apia', '2011-12-27', 6]];
  for (const [tz, first, n] of cases) {
    const days = Array.from({ length: n }, (_, i) => new Date(Date.parse(`${first}T12:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    for (const d of days) {
      const s = dayStart(tz, d);
      assert.ok(intlDay(tz, s) >= d && intlDay(tz, s - 15 * 60_000) < d, `${tz} ${d}: ${new Date(s).toISOString()}`);
    }
  }
  assert.equal(dayStart('Pacific/Apia', '2011-12-30'), dayStart('Pacific/Apia', '2011-12-31'), 'Samoa skipped the 30th');
  // dayFn (today's date for lastDays) stays right on Troll's change day, whichever instant it is asked first.
  const f = dayFn('Antarctica/Troll');
  assert.equal(f(Date.parse('2026-03-29T00:45:00Z')), '2026-03-29');
  assert.equal(f(Date.parse('2026-03-29T22:00:00Z')), '2026-03-30');
  // Fixed offsets and unknown zones.
  assert.equal(new Date(dayStart('+05:30', '2026-03-10')).toISOString(), '2026-03-09T18:30:00.000Z');
  assert.equal(dayStart('Not/AZone', '2026-03-10'), Date.parse('2026-03-10T00:00:00Z'));
});

test('isoMs gives what Date.parse gives, for the servers\' forms and for everything else', () => {
  const fixed = ['2026-03-10T10:00:00Z', '2026-03-10T10:00:00.1234567Z', '2026-03-10T10:00:00.1Z', '2026-03-10T10:00Z', '2026-03-10T10:00:00+01:00',
    '2026-03-10T10:00:00.123-05:30', '2026-03-10T10:00:00-00:00', '2026-03-10T24:00:00Z', '2026-02-29T10:00:00Z', '2024-02-29T10:00:00Z',
    '2026-02-31T00:00:00Z', '2026-03-10T10:00:60Z', '2026-03-10T10:00:00.Z', '2026-03-10T10:00:00+24:00', '2026-03-10T10:00:00+0100', '2026-03-10t10:00:00z',
    '2026-03-10T10:00:00', '2026-03-10', '', 'garbage', ' 2026-03-10T10:00:00Z', '2026-03-10T10:00:00Z ', '0050-01-01T00:00:00Z', '0000-00-98T00:00:00Z',
    'Tue, 10 Mar 2026 10:00:00 GMT', '2026-13-01T00:00:00Z', '2026-03-1xT00:00:00Z'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const random = Array.from({ length: 5000 }, () => {
    const p = (v: number, w: number) => String(v).padStart(w, '0');
    return `${p(1995 + rnd(40), 4)}-${p(rnd(14), 2)}-${p(rnd(33), 2)}T${p(rnd(25), 2)}:${p(rnd(61), 2)}:${p(rnd(61), 2)}${['', '.5', '.123', '.1234567'][rnd(4)]}${['Z', '+02:00', '-09:30', '+14:00', ''][rnd(5)]}`;
  });
  for (const s of [...fixed, ...random]) { assert.ok(Object.is(isoMs(s), Date.parse(s)), `${s}: ${isoMs(s)} vs ${Date.parse(s)}`); }
  assert.ok(Number.isNaN(isoMs(undefined)));
});

test('2,000 random sessions over 14 days with a DST change: the counts per day are Intl\'s, in every zone option', () => {
  const now = Date.parse('2026-04-05T10:00:00Z');
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const statuses: EntityStatus[] = ['success', 'warning', 'failed', 'running', 'stopped'];
  const sessions = Array.from({ length: 2000 }, () => {
    const t = now - rnd(16 * 24 * 4) * 15 * 60_000 - rnd(900) * 1000;
    return session(new Date(t).toISOString(), statuses[rnd(5)], { endedAt: new Date(t + rnd(4 * 3600) * 1000).toISOString() });
  });
  for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', '+05:45']) {
    const r = aggregateServer({ key: 'r', name: 'R', kind: 'vbr', sessions }, { days: 14, now, zone: 'user', userTimeZone: tz, warnPercent: 80 });
    const want = new Map<string, number>();
    for (const s of sessions) { const d = intlDay(tz.startsWith('+') ? 'Asia/Kathmandu' : tz, Date.parse(s.startedAt!)); want.set(d, (want.get(d) ?? 0) + 1); }
    for (const b of r.buckets) { assert.equal(b.success + b.warning + b.failed + b.running + b.other, want.get(b.day) ?? 0, `${tz} ${b.day}`); }
    assert.equal(r.sessions + r.outside, sessions.length);
  }
});
