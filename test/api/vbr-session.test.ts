// VBR job sessions (src/api/vbr/session.ts), normalized with shared constants and per-row caches: every row still
// says what its own payload says (descriptions, names, tooltips), the tooltip no longer needs the payload, shared
// action lists are never edited in place, and odd payloads (nulls, unknown enums, no id) read as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from '../../src/api/vbr/session';
import type { NormCtx } from '../../src/api/vbr/normalize';
import { detailsOf } from '../../src/api/model';
import { dateTime, stamp } from '../../src/api/format';

const NOW = Date.parse('2025-07-30T12:00:00Z');
const C: NormCtx = { canRetry: true, now: NOW };
const ID = '11111111-2222-3333-4444-555555555555';
const JOB = '99999999-8888-7777-6666-555555555555';

function full(): Record<string, unknown> {
  return {
    id: ID, name: 'Daily VM backup', jobId: JOB, sessionType: 'BackupJob', creationTime: '2025-07-30T08:00:00+02:00', endTime: '2025-07-30T06:43:40Z',
    state: 'Stopped', progressPercent: 100, result: { result: 'Success', message: '', isCanceled: false }, usn: 7, platformName: 'VMware',
    initiatedBy: 'System', algorithm: 'Increment',
    progress: { duration: '00:43:40', processingRate: '126.6 MB/s', bottleneck: 'Source', processedSize: 347892350976, readSize: 163509404958,
      transferredSize: 80015240724, progressPercent: 100 },
  };
}

test('a finished session: every field, and the tooltip rows without the payload', () => {
  const s = full();
  const e = session(s, C);
  for (const k of Object.keys(s)) { delete s[k]; }            // the payload may go once normalized (paged() lets it go)
  assert.deepEqual({ ...e, details: undefined }, {
    key: `vbr:session:${ID}`, type: 'jobSession', id: ID, name: stamp('2025-07-30T08:00:00+02:00'), status: 'success',
    description: 'Success · 5 h ago', progress: { percent: 100 }, startedAt: '2025-07-30T08:00:00+02:00', endedAt: '2025-07-30T06:43:40Z',
    message: undefined, jobName: 'Daily VM backup', metrics: { durationSec: 2620, transferredBytes: 80015240724 }, hasChildren: true,
    actions: ['openLog', 'openJson', 'openXml', 'copyId'], ref: { id: ID, jobId: JOB }, details: undefined,
  });
  assert.deepEqual(detailsOf(e), [
    { label: 'Job', value: 'Daily VM backup' }, { label: 'Type', value: 'BackupJob' }, { label: 'State', value: 'Stopped' },
    { label: 'Result', value: 'Success' }, { label: 'Start', value: dateTime('2025-07-30T08:00:00+02:00') },
    { label: 'End', value: dateTime('2025-07-30T06:43:40Z') }, { label: 'Duration', value: '00:43:40' }, { label: 'Progress', value: '100%' },
    { label: 'Processed', value: '324 GB' }, { label: 'Read', value: '152 GB' }, { label: 'Transferred', value: '74.5 GB' },
    { label: 'Processing rate', value: '126.6 MB/s' }, { label: 'Bottleneck', value: 'Source' }, { label: 'Algorithm', value: 'Increment' },
    { label: 'Initiated by', value: 'System' }, { label: 'Platform', value: 'VMware' },
  ]);
});

test('a retry with a warning: its name, the job name without "(Retry 1)", the short message, copyMessage', () => {
  const message = 'Processing VM01 finished with warnings. Changed block tracking is disabled.\nDetails: none';
  const e = session({ ...full(), id: '2', name: 'Daily VM backup (Retry 1)', retryInfo: { retryNumber: 1 }, creationTime: '2025-07-30T10:00:00Z',
    endTime: '2025-07-30T10:05:00Z', result: { result: 'Warning', message, isCanceled: false }, progress: { bottleneck: 'NotDefined', progressPercent: 99.5 } }, C);
  assert.equal(e.name, `${stamp('2025-07-30T10:00:00Z')} · retry 1`);
  assert.equal(e.jobName, 'Daily VM backup');
  assert.equal(e.description, 'Warning · 1 h ago · Processing VM01 finished with warnings.');
  assert.equal(e.message, message);
  assert.deepEqual(e.metrics, { durationSec: 300, transferredBytes: undefined });
  assert.deepEqual(e.actions, ['openLog', 'openJson', 'openXml', 'copyId', 'copyMessage']);
  const rows = detailsOf(e);
  assert.deepEqual(rows.find((r) => r.label === 'Job'), { label: 'Job', value: 'Daily VM backup (Retry 1)' });
  assert.deepEqual(rows.find((r) => r.label === 'Bottleneck'), { label: 'Bottleneck', value: 'none' });
  assert.deepEqual(rows.find((r) => r.label === 'Retry'), { label: 'Retry', value: '1' });
  assert.equal(rows.find((r) => r.label === 'Transferred'), undefined);
});

test('null dates, an unknown state and result, no id: shown as they came, nothing to act on', () => {
  const odd = session({ id: ID, name: null, jobId: null, sessionType: 'Job', creationTime: null, endTime: null, state: 'Weird', result: { result: 'Odd' },
    progressPercent: null }, C);
  assert.equal(odd.status, 'unknown');
  assert.equal(odd.name, '(no time)');
  assert.equal(odd.description, 'Odd');
  assert.equal(odd.metrics, undefined);
  assert.equal(odd.progress, undefined);
  assert.equal(odd.jobName, undefined);
  assert.deepEqual(odd.ref, { id: ID, jobId: '' });
  assert.deepEqual(detailsOf(odd), [{ label: 'Type', value: 'Job' }, { label: 'State', value: 'Weird' }, { label: 'Result', value: 'Odd' }]);
  const none = session({ name: 'Daily VM backup', creationTime: '2025-07-30T08:00:00Z', state: 'Stopped', result: { result: 'Failed', message: 'Failed.' } }, C);
  assert.equal(none.key, 'vbr:session:noid:daily vm backup:2025-07-30t08:00:00z');
  assert.deepEqual(none.actions, []);
  assert.equal(none.hasChildren, false);
  assert.equal(none.description, 'Failed · 4 h ago · Failed.');
});

test('running, pausing and canceled sessions', () => {
  const paused = session({ ...full(), state: 'Pausing', endTime: null, result: { result: 'None' }, progressPercent: 42, progress: { processingRate: '12 MB/s' } }, C);
  assert.equal(paused.status, 'running');
  assert.equal(paused.description, 'Pausing 42% · 12 MB/s');
  assert.deepEqual(paused.actions, ['stopJob', 'openLog', 'openJson', 'openXml', 'copyId']);
  assert.deepEqual(detailsOf(paused).find((r) => r.label === 'End'), { label: 'End', value: 'running' });
  const canceled = session({ ...full(), result: { result: 'Failed', message: 'Stopped by LAB\\admin.', isCanceled: true }, progress: {} }, C);
  assert.equal(canceled.status, 'stopped');
  assert.equal(canceled.description, 'Stopped by user · 5 h ago · Stopped by LAB\\admin.');
  assert.deepEqual(detailsOf(canceled).find((r) => r.label === 'Canceled'), { label: 'Canceled', value: 'yes' });
});

test('rows in a row share descriptions and strings, yet each says its own result and age', () => {
  const at = (h: number, result: string, name = 'Daily VM backup') => session({ ...full(), id: `${h}${result}`, name,
    creationTime: new Date(NOW - h * 3_600_000).toISOString(), endTime: new Date(NOW - h * 3_600_000 + 60_000).toISOString(),
    result: { result, message: result === 'Success' ? '' : 'Some VMs failed.' } }, C);
  const got = [at(3, 'Success'), at(3, 'Success'), at(5, 'Success'), at(5, 'Warning'), at(5, 'Success'), at(30, 'Success', 'Other job')];
  assert.deepEqual(got.map((e) => e.description),
    ['Success · 2 h ago', 'Success · 2 h ago', 'Success · 4 h ago', 'Warning · 4 h ago · Some VMs failed.', 'Success · 4 h ago', 'Success · 1 d ago']);
  assert.deepEqual(got.map((e) => e.jobName), ['Daily VM backup', 'Daily VM backup', 'Daily VM backup', 'Daily VM backup', 'Daily VM backup', 'Other job']);
  assert.deepEqual(detailsOf(got[5])[0], { label: 'Job', value: 'Other job' });
});

test('action lists are shared and frozen; a caller that adds an action makes its own list', () => {
  const a = session(full(), C), b = session({ ...full(), id: 'other' }, C);
  assert.equal(a.actions, b.actions);
  assert.ok(Object.isFrozen(a.actions));
  assert.throws(() => { a.actions.push('stopJob'); }, TypeError);
  a.actions = ['stopJob', ...a.actions];                         // as actions.ts does for a session just started
  assert.deepEqual(b.actions, ['openLog', 'openJson', 'openXml', 'copyId']);
});
