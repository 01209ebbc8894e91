// The EM filter builder's grammar, and a round trip through the simulator's parser.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { and, cond, eq, formatFilter, or, quote, sessionFilterExpr, utc } from '../../src/api/em/filter';
import { FilterSyntaxError, parseFilter } from '../simulator/em/query';
import { startEmHarness } from '../simulator/em/harness';

test('values: bare where safe, quoted otherwise, "" for a literal quote, dates in UTC', () => {
  assert.equal(formatFilter(eq('Name', 'Exchange Backup')), 'Name=="Exchange Backup"');
  assert.equal(formatFilter(eq('Result', 'Failed')), 'Result==Failed');
  assert.equal(formatFilter(cond('CreationTime', '>=', new Date('2026-11-01T00:00:00.000Z'))), 'CreationTime>="2026-11-01T00:00:00Z"');
  assert.equal(formatFilter(cond('CreationTime', '<', new Date('2026-11-01T01:00:00+01:00'))), 'CreationTime<"2026-11-01T00:00:00Z"');
  assert.equal(formatFilter(eq('Name', 'Web "Prod"')), 'Name=="Web ""Prod"""');
  assert.equal(quote('"'), '""""');
  assert.equal(formatFilter(eq('JobUid', 'urn:veeam:Job:1-2')), 'JobUid=="urn:veeam:Job:1-2"');
  assert.equal(formatFilter(eq('Name', 'a;b,c(d)')), 'Name=="a;b,c(d)"');
  assert.equal(formatFilter(eq('Name', '')), 'Name==""');
  assert.equal(formatFilter(cond('Progress', '>', 50)), 'Progress>50');
  assert.equal(formatFilter(eq('IsRetry', true)), 'IsRetry==true');
  assert.equal(utc('2026-01-02T03:04:05.678Z'), '2026-01-02T03:04:05Z');
  assert.throws(() => cond('Bad Field', '==', 'x'));
  assert.throws(() => utc('not a date'));
});

test('operators, AND (;), OR (,), parentheses only where AND and OR mix', () => {
  for (const op of ['==', '!=', '<', '>', '<=', '>='] as const) { assert.equal(formatFilter(cond('Progress', op, 1)), `Progress${op}1`); }
  assert.equal(formatFilter(and(eq('Result', 'Failed'), eq('State', 'Stopped'))!), 'Result==Failed;State==Stopped');
  assert.equal(formatFilter(or(eq('Result', 'Failed'), eq('Result', 'Warning'))!), 'Result==Failed,Result==Warning');
  assert.equal(formatFilter(and(or(eq('Result', 'Failed'), eq('Result', 'Warning')), eq('JobName', 'A B'))!),
    '(Result==Failed,Result==Warning);JobName=="A B"');
  assert.equal(formatFilter(or(and(eq('A', 1), eq('B', 2)), eq('C', 3))!), '(A==1;B==2),C==3');
  assert.equal(and(undefined, undefined), undefined);
  assert.deepEqual(and(eq('A', 1), undefined), eq('A', 1));
});

test('SessionFilter → filter expression', () => {
  assert.equal(sessionFilterExpr(undefined, 'JobName'), undefined);
  assert.equal(sessionFilterExpr({}, 'JobName'), undefined);
  assert.equal(formatFilter(sessionFilterExpr({ result: 'Warning', since: '2026-11-01T00:00:00Z', until: '2026-11-02T00:00:00Z', name: 'sql01' }, 'VmDisplayName')!),
    'Result==Warning;CreationTime>="2026-11-01T00:00:00Z";CreationTime<="2026-11-02T00:00:00Z";VmDisplayName==sql01');
  assert.equal(formatFilter(sessionFilterExpr({ name: 'Exchange Backup' }, 'JobName')!), 'JobName=="Exchange Backup"');
});

test('round trip: the simulator parser reads back exactly what the builder wrote', () => {
  const tricky = 'He said ""hi""; (a, b)';
  const e = and(or(eq('Name', tricky), eq('Name', 'x')), cond('CreationTime', '>=', new Date('2026-11-01T00:00:00Z')))!;
  const parsed = parseFilter(formatFilter(e));
  assert.deepEqual(parsed, { and: [
    { or: [{ field: 'Name', op: '==', value: tricky, quoted: true }, { field: 'Name', op: '==', value: 'x', quoted: false }] },
    { field: 'CreationTime', op: '>=', value: '2026-11-01T00:00:00Z', quoted: true },
  ] });
  for (const bad of ['', 'Name', 'Name==', 'Name=="open', '(Name==a', 'Name==a)', 'Name~=a', 'Name==a;;', 'Name==a"b']) {
    assert.throws(() => parseFilter(bad), FilterSyntaxError, bad);
  }
});

test('round trip through the simulator query service: quoting, enums by index, dates, case-insensitive names', async () => {
  const h = await startEmHarness({ sessionsPerJob: 30 });
  try {
    const logon = await fetch(`${h.url}/api/sessionMngr/?v=latest`, { method: 'POST',
      headers: { Authorization: 'Basic ' + Buffer.from('LAB\\administrator:Veeam123!').toString('base64') } });
    const H = { 'X-RestSvcSessionId': logon.headers.get('x-restsvcsessionid')!, Accept: 'application/json' };
    const q = async (type: string, f: string) => {
      const r = await fetch(`${h.url}/api/query?type=${type}&format=Entities&filter=${encodeURIComponent(f)}`, { headers: H });
      const body = JSON.parse((await r.text()).replace(/^\uFEFF/, ''));
      return { status: r.status, body };
    };
    const jobs = await q('Job', formatFilter(eq('Name', 'Web Farm "Prod" Backup')));
    assert.equal(jobs.status, 200);
    assert.deepEqual(jobs.body.Entities.Jobs.Jobs.map((j: { Name: string }) => j.Name), ['Web Farm "Prod" Backup']);
    const lower = await q('Job', 'name=="exchange backup"');
    assert.equal(lower.body.Entities.Jobs.Jobs.length, 1);
    const since = new Date(Date.now() - 7 * 86_400_000);
    const warnOrWorse = await q('BackupJobSession', formatFilter(and(cond('Result', '>=', 'Warning'), cond('CreationTime', '>=', since))!));
    const list = warnOrWorse.body.Entities.BackupJobSessions.BackupJobSessions as { Result: string; CreationTimeUTC: string }[];
    assert.ok(list.length > 0);
    for (const s of list) {
      assert.ok(['Warning', 'Failed'].includes(s.Result), s.Result);
      assert.ok(Date.parse(s.CreationTimeUTC) >= since.getTime() - 1000);
    }
    const mixed = await q('BackupJobSession', formatFilter(and(or(eq('Result', 'Failed'), eq('Result', 'Warning')), eq('JobName', 'SQL Backup'))!));
    for (const s of mixed.body.Entities.BackupJobSessions.BackupJobSessions) { assert.equal(s.JobName, 'SQL Backup'); }
    assert.equal((await q('Job', 'Name==(')).status, 400);
    assert.equal((await q('Job', 'NoSuchField==1')).status, 400);
    assert.equal((await q('BackupJobSession', 'CreationTime>="yesterday"')).status, 400);
  } finally {
    await h.close();
  }
});
