// The overview's aggregation (src/dashboard/aggregate.ts) in plain Node: days in the user's and the
// server's time zone, runs across midnight, running sessions, empty days, servers that failed, the
// repository forecast, and the sessions a click on a bar lists.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregate, aggregateServer, dayFn, forecastFullInDays, lastDays, serverZone, sessionsOnDay, sinceFor, ServerInput,
} from '../../src/dashboard/aggregate';
import type { Entity, EntityStatus } from '../../src/api/model';

const NOW = Date.parse('2026-03-10T15:00:00Z');
let seq = 0;
function session(startedAt: string, status: EntityStatus, o: Partial<Entity> = {}): Entity {
  seq++;
  return {
    key: `s:${seq}`, id: String(seq), type: 'jobSession', name: startedAt, status, startedAt, hasChildren: false, actions: [], ref: {},
    jobName: 'Nightly', ...o,
  };
}
const opts = { days: 7, now: NOW, zone: 'user' as const, userTimeZone: 'UTC', warnPercent: 80 };
const server = (sessions: Entity[], extra: Partial<ServerInput> = {}): ServerInput => ({ key: 'k1', name: 'Prod', kind: 'vb365', sessions, ...extra });

test('days: the last N calendar days of a zone end today; fixed offsets and IANA zones', () => {
  assert.deepEqual(lastDays(3, NOW, 'UTC'), ['2026-03-08', '2026-03-09', '2026-03-10']);
  // 15:00 UTC is already the 11th in Auckland (UTC+13 in March).
  assert.deepEqual(lastDays(2, NOW, 'Pacific/Auckland'), ['2026-03-10', '2026-03-11']);
  assert.equal(dayFn('+02:00')(Date.parse('2026-03-09T22:30:00Z')), '2026-03-10');
  assert.equal(dayFn('America/New_York')(Date.parse('2026-03-10T03:00:00Z')), '2026-03-09');
  // Across the US DST change (8 March 2026) the days neither skip nor repeat.
  assert.deepEqual(lastDays(4, Date.parse('2026-03-09T12:00:00Z'), 'America/New_York'), ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']);
  assert.equal(dayFn('Not/AZone')(NOW), '2026-03-10', 'an unknown zone counts in UTC');
  assert.ok(Date.parse(sinceFor(7, NOW)) <= NOW - 7 * 86_400_000);
});

test('a session counts on the day it started, also when it ends after midnight', () => {
  const s = session('2026-03-08T23:30:00Z', 'success', { endedAt: '2026-03-09T00:40:00Z' });
  const r = aggregateServer(server([s]), opts);
  const byDay = Object.fromEntries(r.buckets.map((b) => [b.day, b]));
  assert.equal(byDay['2026-03-08'].success, 1);
  assert.equal(byDay['2026-03-09'].success, 0);
  assert.equal(byDay['2026-03-08'].medianDurationSec, 70 * 60);
});

test("user's zone vs server's zone move a late-evening run to another day", () => {
  const s = session('2026-03-09T23:30:00Z', 'failed', { endedAt: '2026-03-09T23:50:00Z', message: 'Not enough free space' });
  const inUser = aggregateServer(server([s]), { ...opts, userTimeZone: 'America/Los_Angeles' });
  assert.equal(inUser.timeZone, 'America/Los_Angeles');
  assert.equal(inUser.buckets.find((b) => b.day === '2026-03-09')!.failed, 1);
  const inServer = aggregateServer(server([s], { timeZone: 'Europe/Berlin' }), { ...opts, zone: 'server' });
  assert.equal(inServer.timeZone, 'Europe/Berlin');
  assert.equal(inServer.buckets.find((b) => b.day === '2026-03-10')!.failed, 1);
  // Without a configured zone the server's own offset in its timestamps is used; plain UTC stamps mean UTC.
  assert.equal(serverZone(undefined, [session('2026-03-09T23:30:00+05:30', 'success')]), '+05:30');
  assert.equal(serverZone(undefined, [s]), 'UTC');
  const offset = aggregateServer(server([session('2026-03-09T23:30:00-05:00', 'warning')]), { ...opts, zone: 'server' });
  assert.equal(offset.buckets.find((b) => b.day === '2026-03-09')!.warning, 1);
});

test('running sessions are counted apart and left out of the durations; empty days stay as zero days', () => {
  const r = aggregateServer(server([
    session('2026-03-10T14:00:00Z', 'running'),
    session('2026-03-10T01:00:00Z', 'success', { endedAt: '2026-03-10T01:10:00Z', metrics: { transferredBytes: 1000 } }),
    session('2026-03-10T02:00:00Z', 'success', { endedAt: '2026-03-10T02:30:00Z', metrics: { durationSec: 1200, transferredBytes: 500 } }),
    session('2026-03-10T03:00:00Z', 'stopped', { endedAt: '2026-03-10T03:20:00Z' }),
  ]), opts);
  assert.equal(r.buckets.length, 7);
  const today = r.buckets[6];
  assert.deepEqual([today.success, today.warning, today.failed, today.running, today.other], [2, 0, 0, 1, 1]);
  assert.equal(today.medianDurationSec, 1200, 'median of 600, 1200 (metrics win over the timestamps) and 1200');
  assert.equal(today.transferredBytes, 1500);
  for (const b of r.buckets.slice(0, 6)) {
    assert.deepEqual([b.success, b.warning, b.failed, b.running, b.other, b.transferredBytes, b.medianDurationSec], [0, 0, 0, 0, 0, 0, undefined]);
  }
});

test('sessions outside the days shown and without a start time are left out (and counted as outside)', () => {
  const r = aggregateServer(server([session('2026-02-01T10:00:00Z', 'failed'), session('', 'failed'), session('2026-03-10T10:00:00Z', 'failed')]), opts);
  assert.equal(r.sessions, 1);
  assert.equal(r.outside, 2);
  assert.equal(r.attention.length, 1);
});

test('every server together: sums per day, needs attention newest first across servers, a failed server keeps its error', () => {
  const a = server([
    session('2026-03-09T10:00:00Z', 'failed', { endedAt: '2026-03-09T10:05:00Z', message: 'Cannot connect to host' }),
    session('2026-03-10T10:00:00Z', 'success', { endedAt: '2026-03-10T10:30:00Z' }),
  ]);
  const b: ServerInput = { key: 'k2', name: 'EM', kind: 'em', sessions: [
    session('2026-03-10T09:00:00Z', 'warning', { endedAt: '2026-03-10T12:00:00Z', jobName: 'SQL Backup', description: 'Warning · 3 h ago' }),
    session('2026-03-10T11:00:00Z', 'success', { endedAt: '2026-03-10T11:10:00Z' }),
  ] };
  const broken: ServerInput = { key: 'k3', name: 'Down', kind: 'vb365', error: 'Cannot connect: refused' };
  const o = aggregate([a, b, broken], opts);
  assert.equal(o.days.length, 7);
  const today = o.total[6];
  assert.deepEqual([today.success, today.warning, today.failed], [2, 1, 0]);
  assert.deepEqual([o.total[5].failed], [1]);
  assert.deepEqual(o.attention.map((r) => [r.serverName, r.jobName, r.status, r.message]), [
    ['EM', 'SQL Backup', 'warning', 'Warning · 3 h ago'],
    ['Prod', 'Nightly', 'failed', 'Cannot connect to host'],
  ]);
  assert.equal(o.attentionTotal, 2);
  const down = o.servers.find((s) => s.key === 'k3')!;
  assert.equal(down.error, 'Cannot connect: refused');
  assert.equal(down.buckets.length, 7);
  assert.equal(down.sessions, 0);
  assert.equal(o.totals.sessions, 4);
});

test('repositories: fullest first, over the threshold marked, unknown capacity last, forecast from history', () => {
  const repo = (key: string, total: number | undefined, free: number | undefined): Entity => ({
    key, type: 'repository', name: key, hasChildren: false, actions: [], ref: {},
    capacity: total === undefined || free === undefined ? undefined : { totalBytes: total, freeBytes: free },
  });
  const day = 86_400_000;
  const o = aggregate([server([], { repositories: [repo('half', 100, 50), repo('full', 100, 10), repo('unknown', undefined, undefined)] })], {
    ...opts,
    history: (id) => (id === 'k1|half' ? [{ t: NOW - 10 * day, used: 40 }, { t: NOW - 5 * day, used: 45 }] : undefined),
  });
  assert.deepEqual(o.repositories.map((r) => [r.name, r.percent, r.warn]), [['full', 90, true], ['half', 50, false], ['unknown', undefined, false]]);
  // 1 byte a day, 50 left → 50 days.
  assert.equal(o.repositories[1].fullInDays, 50);
  assert.equal(o.repositories[0].fullInDays, undefined, 'no history: no forecast');
});

test('forecast: none with too little history, a flat or falling trend, or beyond ten years', () => {
  const h = 3_600_000;
  assert.equal(forecastFullInDays([{ t: 0, used: 10 }], 100), undefined);
  assert.equal(forecastFullInDays([{ t: 0, used: 10 }, { t: 2 * h, used: 20 }], 100), undefined, 'less than 12 hours');
  assert.equal(forecastFullInDays([{ t: 0, used: 10 }, { t: 24 * h, used: 10 }], 100), undefined, 'flat');
  assert.equal(forecastFullInDays([{ t: 0, used: 20 }, { t: 24 * h, used: 10 }], 100), undefined, 'falling');
  assert.equal(forecastFullInDays([{ t: 0, used: 10 }, { t: 24 * h, used: 10.001 }], 100), undefined, 'ten years and more');
  assert.equal(forecastFullInDays([{ t: 0, used: 10 }, { t: 24 * h, used: 20 }, { t: 48 * h, used: 30 }], 100), 7);
});

test('the sessions of a day: one server or all, newest first, in the chosen zone', () => {
  const a = server([session('2026-03-09T23:30:00Z', 'failed'), session('2026-03-09T08:00:00Z', 'success')]);
  const b: ServerInput = { key: 'k2', name: 'EM', kind: 'em', sessions: [session('2026-03-09T12:00:00Z', 'warning')] };
  const all = sessionsOnDay([a, b], '2026-03-09', opts);
  assert.deepEqual(all.map((x) => x.entity.startedAt), ['2026-03-09T23:30:00Z', '2026-03-09T12:00:00Z', '2026-03-09T08:00:00Z']);
  assert.equal(sessionsOnDay([a, b], '2026-03-09', opts, 'k2').length, 1);
  const berlin = sessionsOnDay([a, b], '2026-03-09', { zone: 'user', userTimeZone: 'Europe/Berlin' });
  assert.equal(berlin.length, 2, 'the 23:30 UTC run is on the 10th in Berlin');
});

test('30 days of 30,000 sessions aggregate in well under a second', () => {
  const base = NOW - 30 * 86_400_000;
  const many: Entity[] = [];
  for (let i = 0; i < 30_000; i++) {
    const t = base + i * 86_400;   // spread over 30 days
    many.push(session(new Date(t).toISOString(), i % 13 === 0 ? 'failed' : i % 7 === 0 ? 'warning' : 'success',
      { endedAt: new Date(t + 600_000).toISOString(), metrics: { transferredBytes: 1e6 } }));
  }
  const t0 = performance.now();
  const o = aggregate([server(many)], { ...opts, days: 30, userTimeZone: 'Europe/Berlin' });
  const ms = performance.now() - t0;
  assert.ok(o.totals.sessions > 29_000);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
});
