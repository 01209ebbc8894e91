// The VBR kind's pure parts: revision parsing, time zones, tolerant enums, normalizing (nulls,
// 1.2↔1.3 aliases, actions per state), the XML view, and the 403 role table checked against the specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REVISIONS, atLeast, parseRevision, supportedIn } from '../../src/api/vbr/revision';
import { serverTime, zoneOffset } from '../../src/api/vbr/time';
import { canon, jobActivity, label, sessionStatus } from '../../src/api/vbr/enums';
import { NormCtx, job, taskSession } from '../../src/api/vbr/normalize';
import { session } from '../../src/api/vbr/session';
import { bestPractice, license, malwareEvent, proxy, repository } from '../../src/api/vbr/infra';
import { PERMISSIONS, permissionFor } from '../../src/api/vbr/errors';
import { toXml } from '../../src/api/vbr/xml';
import { detailsOf } from '../../src/api/model';
import { vbrInfo } from '../../src/api/vbr/info';
import { kindOf } from '../../src/api/kinds';

const NOW = Date.parse('2025-07-30T12:00:00Z');
const C13: NormCtx = { canRetry: true, now: NOW };
const C12: NormCtx = { canRetry: false, now: NOW };
const ID = '11111111-2222-3333-4444-555555555555';

test('revisions: the list, parsing, ordering, both 400 styles', () => {
  assert.deepEqual([...REVISIONS], ['1.3-rev2', '1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1', '1.1-rev0']);
  assert.deepEqual(parseRevision('v1.0-rev1'), { major: 1, minor: 0, rev: 1 });
  assert.equal(parseRevision('1.3'), undefined);
  assert.ok(atLeast(parseRevision('1.3-rev0')!, '1.3-rev0'));
  assert.ok(!atLeast(parseRevision('1.2-rev1')!, '1.3-rev0'));
  assert.ok(atLeast(parseRevision('2.0-rev0')!, '1.3-rev2'));
  assert.equal(supportedIn('{"errorCode":"NotImplemented","message":"The specified API version is not supported."}'), undefined);
  assert.deepEqual(supportedIn(JSON.stringify({ errorCode: 'NotImplemented',
    message: 'Bad request: Unsupported RESTAPI version. The following versions are supported: v1.0-rev1, v1.2-rev1, v1.3-rev2.' })),
  ['1.0-rev1', '1.2-rev1', '1.3-rev2']);
  assert.deepEqual(supportedIn('Unsupported RESTAPI version. The following versions are supported: v1.0-rev1.'), ['1.0-rev1']);
});

test('time: offset-less task times read in the server zone; times with an offset untouched', () => {
  assert.equal(serverTime('2024-11-11T12:54:32+01:00', { ianaTimeZone: 'Europe/Prague' }), '2024-11-11T12:54:32+01:00');
  assert.equal(serverTime('2024-11-11T12:54:32.649649', { ianaTimeZone: 'Europe/Prague' }), '2024-11-11T11:54:32.649Z');
  assert.equal(serverTime('2024-07-11T12:54:32', { ianaTimeZone: 'Europe/Prague' }), '2024-07-11T10:54:32.000Z', 'summer time');
  assert.equal(serverTime('2024-11-11T12:54:32', { offsetMinutes: 330 }), '2024-11-11T07:24:32.000Z');
  assert.equal(serverTime('2024-11-11T12:54:32', { ianaTimeZone: 'Not/AZone', offsetMinutes: -300 }), '2024-11-11T17:54:32.000Z');
  assert.equal(serverTime('2024-11-11T12:54:32', {}), '2024-11-11T12:54:32', 'no zone known: shown unshifted');
  assert.equal(serverTime(null, { offsetMinutes: 0 }), undefined);
  assert.equal(zoneOffset('Africa/Lagos', NOW), 60);
});

test('enums: case-insensitive with the 1.2↔1.3 aliases; unknown values kept', () => {
  assert.equal(canon('Backup'), canon('VSphereBackup'));
  assert.equal(label('Backup'), 'vSphere backup');
  assert.equal(label('vm'), 'VM');
  assert.equal(label('Vm'), 'VM');
  assert.equal(label('SomethingNew'), 'SomethingNew');
  for (const s of ['running', 'Running', 'RUNNING']) { assert.equal(jobActivity(s), 'running'); }
  assert.equal(jobActivity('inactive'), 'idle');
  assert.equal(jobActivity('Enabled'), 'idle');
  assert.equal(jobActivity('Paused'), 'unknown');
  assert.equal(sessionStatus('Working', 'None'), 'running');
  assert.equal(sessionStatus('WaitingSlot', 'None'), 'queued');
  assert.equal(sessionStatus('Stopped', 'failed'), 'failed');
  assert.equal(sessionStatus('Stopped', 'Failed', true), 'stopped');
  assert.equal(sessionStatus('Stopped', 'Exotic'), 'unknown');
  assert.equal(sessionStatus('Stopped', null), 'stopped');
});

const jobState = (over: Record<string, unknown>) => ({
  id: ID, name: 'Daily VM backup', type: 'VSphereBackup', description: '', status: 'Inactive', lastRun: '2025-07-30T09:00:00+00:00',
  lastResult: 'Success', nextRun: null, workload: 'Vm', objectsCount: 3, highPriority: false, progressPercent: 0, ...over,
});

test('jobs: status, description and the actions each state allows', () => {
  const idle = job(jobState({}), C13);
  assert.equal(idle.status, 'success');
  assert.match(idle.description!, /^Success · 3 h ago$/);
  assert.deepEqual(idle.actions, ['startJob', 'disableJob', 'openJson', 'openXml', 'copyId']);
  const failed = job(jobState({ lastResult: 'Failed' }), C13);
  assert.ok(failed.actions.includes('retryJob'));
  assert.ok(!job(jobState({ lastResult: 'Failed' }), C12).actions.includes('retryJob'), 'no retry on 1.2');
  const running = job(jobState({ status: 'Running', sessionProgress: { progressPercent: 42, processingRate: '18.3 MB/s', duration: '00:26:04',
    bottleneck: 'Source', processedSize: 1e9, readSize: 5e8, transferredSize: 2e8 } }), C13);
  assert.equal(running.status, 'running');
  assert.equal(running.progress?.percent, 42);
  assert.equal(running.description, 'Running 42% · 18.3 MB/s');
  assert.deepEqual(running.actions, ['stopJob', 'openJson', 'openXml', 'copyId']);
  assert.ok(detailsOf(running).some((r) => r.label === 'Bottleneck' && r.value === 'Source'));
  const lower = job(jobState({ status: 'running', type: 'Backup', workload: 'vm', progressPercent: undefined }), C12, { progressPercent: 17 });
  assert.equal(lower.progress?.percent, 17, '1.2: progress from the last session');
  assert.ok(detailsOf(lower).some((r) => r.label === 'Type' && r.value === 'vSphere backup'));
  const disabled = job(jobState({ status: 'disabled' }), C12);
  assert.equal(disabled.status, 'disabled');
  assert.deepEqual(disabled.actions, ['enableJob', 'openJson', 'openXml', 'copyId']);
  const never = job(jobState({ lastRun: null, lastResult: 'None', nextRun: '2025-07-30T19:00:00+00:00' }), C13);
  assert.equal(never.status, 'idle');
  assert.match(never.description!, /^Never run · next 2025-07-30 \d\d:00$/);
  const odd = job(jobState({ status: 'Hibernating' }), C13);
  assert.match(odd.description!, /^Hibernating · /, 'an unknown status is shown as it came');
  const noId = job(jobState({ id: null }), C13);
  assert.deepEqual(noId.actions, []);
  assert.equal(noId.hasChildren, false);
  assert.equal(noId.id, undefined);
});

test('sessions: running, failed with the server message, nulls', () => {
  const base = { id: ID, name: 'Daily VM backup', jobId: ID, sessionType: 'BackupJob', creationTime: '2025-07-30T10:00:00+00:00', usn: 1 };
  const run = session({ ...base, state: 'Working', progressPercent: 55, result: { result: 'None' }, endTime: null }, C13);
  assert.equal(run.status, 'running');
  assert.equal(run.description, 'Running 55%');
  assert.ok(run.actions.includes('stopJob'));
  const message = 'Error: Failed to connect to host winsrv100.\nDetails: RPC unavailable';
  const bad = session({ ...base, state: 'Stopped', endTime: '2025-07-30T10:30:00+00:00', result: { result: 'Failed', message, isCanceled: false } }, C13);
  assert.equal(bad.status, 'failed');
  assert.equal(bad.message, message);
  assert.equal(bad.description, 'Failed · 1 h ago · Error: Failed to connect to host winsrv100.');
  assert.ok(!bad.actions.includes('stopJob'));
  const nulls = session({ id: ID, name: null, jobId: null, sessionType: 'Job', creationTime: null, state: 'Stopped', result: null, usn: 0,
    endTime: null, progressPercent: null, resourceId: null, parentSessionId: null }, C12);
  assert.equal(nulls.name, '(no time)');
  assert.equal(nulls.status, 'stopped');
  detailsOf(nulls);
});

test('task sessions: offset-less times in the server zone, antivirus scans', () => {
  const t = taskSession({ id: ID, type: 'Backup', sessionId: ID, sessionType: 'BackupJob', name: 'winsrv100', creationTime: '2024-11-11T12:54:32.649649',
    endTime: '2024-11-11T12:58:32.649649', state: 'Stopped', result: { result: 'Success' }, progress: { processedSize: 2 ** 31, duration: '00:04:00' } },
  { ...C13, zone: { offsetMinutes: 60 } });
  assert.equal(t.startedAt, '2024-11-11T11:54:32.649Z');
  assert.equal(t.description, 'Success · 4 min 0 s · 2.0 GB processed');
  const av = taskSession({ id: ID, type: 'Antivirus', sessionId: ID, sessionType: 'MalwareDetection', creationTime: '2024-11-11T12:54:32',
    scanState: 'Finished', scanResult: 'Infected' }, C13);
  assert.equal(av.status, 'failed');
});

test('repositories, proxies, malware, best practices, license', () => {
  const r = repository({ id: ID, name: 'Repo', type: 'WinLocal', description: '', capacityGB: 299.4, freeGB: 217.8, usedSpaceGB: 173.4, isOnline: true });
  assert.equal(r.status, 'idle');
  assert.match(r.description!, /^218 GB free of 299 GB \(27 % full\)$/);
  assert.equal(repository({ id: ID, name: 'Full', capacityGB: 100, freeGB: 5, isOnline: true }).status, 'warning');
  const off = repository({ id: ID, name: 'Off', capacityGB: 100, freeGB: 50, isOnline: false });
  assert.equal(off.status, 'warning');
  assert.match(off.description!, /^Offline · /);
  assert.equal(proxy({ id: ID, name: 'p', type: 'ViProxy', isOnline: false, isDisabled: false }).status, 'warning');
  assert.equal(proxy({ id: ID, name: 'p', type: 'ViProxy' }).status, 'idle', '1.2: no state');
  assert.equal(malwareEvent({ id: ID, type: 'RansomwareNotes', severity: 'Infected', state: 'Created', machine: { displayName: 'winsrv1' },
    detectionTimeUtc: '2025-07-29T12:00:00Z', details: 'x' }, C13).name, 'RansomwareNotes on winsrv1');
  assert.equal(bestPractice({ id: ID, bestPractice: 'MFA', status: 'Violation', note: 'n' }).status, 'failed');
  const soon = license({ status: 'Valid', edition: 'EnterprisePlus', type: 'Rental', socketLicenseSummary: { expirationDate: '2025-08-11T00:00:00Z' } }, C13);
  assert.equal(soon.status, 'warning');
  assert.equal(soon.description, 'Valid · expires in 11 days');
  assert.equal(soon.name, 'Enterprise Plus · Rental');
  const top = license({ status: 'Valid', edition: 'Enterprise', expirationDate: '2026-08-11T00:00:00Z' }, C12);
  assert.equal(top.status, 'success');
  assert.equal(license({ status: 'Expired', expirationDate: null }, C12).status, 'failed');
});

test('XML view: safe element names, nulls empty, text escaped', () => {
  const xml = toXml({ '.issued': 'a', id: ID, result: { message: 'a < b & c' }, endTime: null, data: [{ x: 1 }, { x: 2 }] }, 'jobSession');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Session>/);
  assert.match(xml, /<_.issued>a<\/_.issued>/);
  assert.match(xml, /a &lt; b &amp; c/);
  assert.doesNotMatch(xml, /null/);
});

test('kind: registered with its description', () => {
  const k = kindOf('vbr');
  assert.ok(k);
  assert.equal(k.defaultPort, 9419);
  assert.equal(k.shortLabel, 'VBR');
  for (const t of ['job', 'jobSession', 'taskSession', 'repository', 'managedServer', 'proxy', 'malwareEvent', 'bestPractice', 'license']) {
    assert.ok(vbrInfo.types[t], t);
  }
});

const specsDir = process.env.VEEAM_SPECS_DIR ?? path.resolve(__dirname, '../../../../shared/specs');

test('403 role table: each claim is the operation\'s x-veeam-authorize claim in both specs', (t) => {
  if (!fs.existsSync(path.join(specsDir, 'vbr_rest_1.3-rev2.json'))) { t.skip('VBR specs not found'); return; }
  let checked = 0;
  for (const f of ['vbr_rest_1.2-rev1.json', 'vbr_rest_1.3-rev2.json']) {
    const spec = JSON.parse(fs.readFileSync(path.join(specsDir, f), 'utf8')) as { paths: Record<string, Record<string, { 'x-veeam-authorize'?: { claims?: string[] } }>> };
    for (const [tpl, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (method !== 'get' && method !== 'post') { continue; }
        const concrete = tpl.replace(/\{[^}]+\}/g, ID);
        const p = permissionFor(method.toUpperCase(), concrete);
        if (!p) { continue; }
        const claims = op['x-veeam-authorize']?.claims ?? [];
        assert.ok(claims.includes(p.claim), `${f} ${method} ${tpl}: table says ${p.claim}, spec ${claims.join(',')}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 30, `checked ${checked}`);
  assert.ok(PERMISSIONS.every((p) => p.roles.length > 0));
});
