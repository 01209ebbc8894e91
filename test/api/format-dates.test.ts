// The fast date paths of src/api/format.ts (isoMs, stampAt, agoAt, dateTime) against Date's own parsing and
// local-time getters, in time zones with daylight saving, half- and quarter-hour offsets and a 30-minute DST
// shift. Each zone runs in a child process (TZ is read at start-up), every 7 minutes over two years.
import { test } from 'node:test';
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { ago, agoAt, dateTime, duration, isoMs, stamp, stampAt } from '../../src/api/format';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Tehran'];

// The oracle: what format.ts did before the fast paths (Date.parse and Date's local getters).
const pad = (n: number) => String(n).padStart(2, '0');
function refStamp(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) { return '(no time)'; }
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}
function refDateTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${refStamp(iso)}:${pad(t.getSeconds())}`;
}

/** Strings Veeam servers send and ones they should not: each must parse exactly as Date.parse does. */
function strings(): string[] {
  const out = ['2026-02-30T00:00:00Z', '2026-02-29T10:00:00Z', '2024-02-29T23:59:59.999Z', '2026-04-31T00:00:00Z', '2026-01-01T00:00:00.1239Z',
    '2026-01-01T00:00:00.1Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00+0100',
    '2026-01-01T00:00:00.000+14:00', '2026-01-01T00:00:00', '2026-01-01T00:00:00.123', '2026-01-01T00:00Z', '2026-01-01T00:00:00.Z',
    '+002026-01-01T00:00:00Z', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00-23:59', '2026-01-01T00:00:00+01:60', '2026-01-01t00:00:00z',
    '2026-01-01 00:00:00Z', '2026-01-01T00:00:00.123456789Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z',
    '2026-01-32T00:00:00Z', '2026-1-01T00:00:00Z', '2026-01-01T0a:00:00Z', '2026-01-01T00:00:00ZZ', '2026-01-01T00:00:00+01:00 ',
    'Tue, 01 Dec 2026 10:00:00 GMT', '12/01/2026 10:00', 'not a date', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z',
    '1969-12-31T23:59:59.999Z', '2026-03-29T01:30:00+00:00', '2026-10-25T00:59:59.5-00:00', '2026-01-01T00:00:00.-1Z'];
  for (let m = 1; m <= 12; m++) { for (const d of [28, 29, 30, 31]) { out.push(`2025-${pad(m)}-${d}T12:34:56.7+05:45`); } }
  return out;
}

function check(): string[] {
  const bad: string[] = [];
  for (const s of strings()) {
    const a = isoMs(s); const b = Date.parse(s);
    if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) { bad.push(`isoMs(${s}) = ${a}, Date.parse = ${b}`); }
    if (stamp(s) !== refStamp(s)) { bad.push(`stamp(${s}) = ${stamp(s)}, expected ${refStamp(s)}`); }
    if (dateTime(s) !== refDateTime(s)) { bad.push(`dateTime(${s}) = ${dateTime(s)}, expected ${refDateTime(s)}`); }
  }
  const now = Date.UTC(2026, 11, 1, 12);
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1) && bad.length < 20; t += 7 * 60_000 + 1_234) {
    const iso = new Date(t).toISOString();
    if (isoMs(iso) !== t) { bad.push(`isoMs(${iso}) = ${isoMs(iso)}`); }
    if (stampAt(t) !== refStamp(iso)) { bad.push(`stampAt(${iso}) = ${stampAt(t)}, expected ${refStamp(iso)}`); }
    if (dateTime(iso) !== refDateTime(iso)) { bad.push(`dateTime(${iso}) = ${dateTime(iso)}, expected ${refDateTime(iso)}`); }
    if (agoAt(t, now) !== ago(iso, now)) { bad.push(`agoAt(${iso})`); }
  }
  if (stampAt(NaN) !== '(no time)' || stamp(undefined) !== '(no time)' || dateTime(null) !== '–' || ago('', now) !== '') { bad.push('missing values'); }
  if (duration('2026-12-01T10:00:00Z', '2026-12-01T11:02:00+00:00') !== '1 h 2 min') { bad.push('duration'); }
  return bad;
}

if (process.env.VEEAM_FORMAT_ZONE_CHILD) {
  process.stdout.write(JSON.stringify(check()));
} else {
  for (const zone of ZONES) {
    test(`fast date paths equal Date.parse and Date's local getters in ${zone}`, () => {
      const r = spawnSync(process.execPath, [__filename], { env: { ...process.env, TZ: zone, VEEAM_FORMAT_ZONE_CHILD: '1' }, encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.deepStrictEqual(JSON.parse(r.stdout), []);
    });
  }
}
