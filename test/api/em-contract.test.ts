// Every kind of XML body the EM simulator sends, validated against the vendor's RestAPI.xsd
// with xmllint, plus the JSON mapping rules of veeam-api.md §2.8.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmHarness, startEmHarness } from '../simulator/em/harness';

const specsDir = process.env.VEEAM_SPECS_DIR ?? path.resolve(__dirname, '../../../../shared/specs');
const xsd = path.join(specsDir, 'em_RestAPI.xsd');
const skip = !fs.existsSync(xsd) ? `no XSD at ${xsd} (set VEEAM_SPECS_DIR)`
  : spawnSync('xmllint', ['--version']).error ? 'xmllint is not installed (Debian: libxml2-utils)' : undefined;
if (skip) { console.log(`# skipping EM XSD validation: ${skip}`); }

let h: EmHarness;
let token = '';
let tmp = '';
const AUTH = 'Basic ' + Buffer.from('LAB\\administrator:Veeam123!').toString('base64');

before(async () => {
  h = await startEmHarness({ sessionsPerJob: 40, jobDurationMs: 3000 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'em-xsd-'));
  const r = await fetch(`${h.url}/api/sessionMngr/?v=latest`, { method: 'POST', headers: { Authorization: AUTH } });
  token = r.headers.get('x-restsvcsessionid') ?? '';
});
after(async () => { await h.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

async function get(p: string, init: RequestInit = {}, json = false): Promise<{ status: number; text: string }> {
  const r = await fetch(h.url + p, { ...init, headers: { 'X-RestSvcSessionId': token, ...(json ? { Accept: 'application/json' } : {}), ...init.headers as Record<string, string> } });
  // fetch's text() drops a leading BOM; decode the bytes ourselves to see what was sent.
  return { status: r.status, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer()) };
}

let seq = 0;
let schema = '';
/** The vendor XSD escapes ':' in two xs:pattern facets (`urn\\:veeam\\:…`), which libxml2 rejects
 *  ("Wrong escape sequence"); validate against a temporary copy with `\\:` → `:` (same language). */
function schemaFile(): string {
  if (!schema) {
    schema = path.join(tmp, 'em_RestAPI.fixed.xsd');
    fs.writeFileSync(schema, fs.readFileSync(xsd, 'utf8').replace(/\\:/g, ':'));
  }
  return schema;
}
function validate(xml: string): { ok: boolean; output: string } {
  const file = path.join(tmp, `doc-${++seq}.xml`);
  fs.writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', schemaFile(), file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stderr}`.trim() };
}

async function expectValid(label: string, p: string, root: string, init: RequestInit = {}, status = 200): Promise<string> {
  const r = await get(p, init);
  assert.equal(r.status, status, `${label}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.text, new RegExp(`<${root}[ >/]`), `${label}: root <${root}>`);
  if (!skip) {
    const v = validate(r.text);
    assert.ok(v.ok, `${label} (${p}) does not validate:\n${v.output}`);
  }
  return r.text;
}

const id = (xml: string, coll: string) => new RegExp(`/api/${coll}/([0-9a-f-]{36})`).exec(xml)![1];

test('XSD validation catches a wrong document (the check can fail)', { skip }, async () => {
  const good = await get('/api/backupSessions?format=Entity');
  assert.ok(validate(good.text).ok);
  const wrong = good.text.replace(/<CreationTimeUTC>/, '<CreationTime>').replace(/<\/CreationTimeUTC>/, '</CreationTime>');
  const v = validate(wrong);
  assert.equal(v.ok, false);
  assert.match(v.output, /CreationTime/);
  assert.equal(validate('<Error xmlns="http://www.veeam.com/ent/v1.0" Message="x" StatusCode="404"/>').ok, false, 'Status is required by the XSD');
});

test('entry point, logon session, references and entities validate', async () => {
  await expectValid('EnterpriseManager', '/api/', 'EnterpriseManager');
  const logon = await fetch(`${h.url}/api/sessionMngr/?v=v1_7`, { method: 'POST', headers: { Authorization: AUTH } });
  assert.equal(logon.status, 201);
  const logonXml = await logon.text();
  if (!skip) { assert.ok(validate(logonXml).ok, validate(logonXml).output); }
  const sid = /<SessionId>([^<]+)</.exec(logonXml)![1];
  const other = logon.headers.get('x-restsvcsessionid')!;
  assert.notEqual(sid, other);
  await expectValid('LogonSession GET', `/api/logonSessions/${sid}`, 'LogonSession', { headers: { 'X-RestSvcSessionId': other } });

  const servers = await expectValid('backupServers refs', '/api/backupServers', 'EntityReferences');
  await expectValid('backupServers entities', '/api/backupServers?format=Entity', 'BackupServers');
  const srv = id(servers, 'backupServers');
  await expectValid('BackupServer', `/api/backupServers/${srv}?format=Entity`, 'BackupServer');
  await expectValid('BackupServer ref', `/api/backupServers/${srv}`, 'EntityRef');
  const jobs = await expectValid('server jobs', `/api/backupServers/${srv}/jobs`, 'EntityReferences');
  await expectValid('server repositories', `/api/backupServers/${srv}/repositories`, 'EntityReferences');
  await expectValid('jobs entities', '/api/jobs?format=Entity', 'Jobs');
  const job = id(jobs, 'jobs');
  await expectValid('Job', `/api/jobs/${job}?format=Entity`, 'Job');
  const repos = await expectValid('repositories', '/api/repositories', 'EntityReferences');
  await expectValid('repositories entities', '/api/repositories?format=Entity', 'Repositories');
  await expectValid('Repository', `/api/repositories/${id(repos, 'repositories')}?format=Entity`, 'Repository');
  const sessions = await expectValid('job sessions', `/api/jobs/${job}/backupSessions`, 'EntityReferences');
  await expectValid('backupSessions entities', '/api/backupSessions?format=Entity', 'BackupJobSessions');
  const bs = id(sessions, 'backupSessions');
  await expectValid('BackupJobSession', `/api/backupSessions/${bs}?format=Entity`, 'BackupJobSession');
  const tasks = await expectValid('task sessions', `/api/backupSessions/${bs}/taskSessions`, 'EntityReferences');
  await expectValid('task sessions entities', `/api/backupSessions/${bs}/taskSessions?format=Entity`, 'BackupTaskSessions');
  await expectValid('BackupTaskSession', `/api/backupTaskSessions/${id(tasks, 'backupTaskSessions')}?format=Entity`, 'BackupTaskSession');
  const rs = await expectValid('replicaSessions', '/api/replicaSessions', 'EntityReferences');
  await expectValid('replicaSessions entities', '/api/replicaSessions?format=Entity', 'ReplicaJobSessions');
  const rsid = id(rs, 'replicaSessions');
  await expectValid('ReplicaJobSession', `/api/replicaSessions/${rsid}?format=Entity`, 'ReplicaJobSession');
  const rts = await expectValid('replica task sessions', `/api/replicaSessions/${rsid}/replicaTaskSessions`, 'EntityReferences');
  await expectValid('ReplicaTaskSession', `/api/replicaTaskSessions/${id(rts, 'replicaTaskSessions')}?format=Entity`, 'ReplicaTaskSession');
});

test('a running session (no EndTimeUTC, Result None) validates', async () => {
  const q = await expectValid('running', '/api/query?type=BackupJobSession&format=Entities&filter=State==Working', 'QueryResult');
  assert.match(q, /<State>Working<\/State><Result>None<\/Result>/);
  assert.doesNotMatch(q.split('<BackupJobSession ')[1], /<EndTimeUTC>/);
});

test('QueryResult of every query type, refs and entities, with paging links, validates', async () => {
  for (const type of ['BackupServer', 'Job', 'Repository', 'BackupJobSession', 'ReplicaJobSession', 'BackupTaskSession', 'ReplicaTaskSession']) {
    for (const fmt of ['&format=Entities', '']) {
      const xml = await expectValid(`${type}${fmt}`, `/api/query?type=${type}${fmt}&sortDesc=Name&pageSize=2&page=2`, 'QueryResult');
      assert.match(xml, /<PagingInfo PageNum="2" PageSize="2" PagesCount="\d+"><Links><Link Rel="First"[^>]*&amp;page=1"\/><Link Rel="Previous"/);
    }
  }
  const empty = await expectValid('empty', `/api/query?type=Job&format=Entities&filter=${encodeURIComponent('Name=="no such job"')}`, 'QueryResult');
  assert.match(empty, /<Entities><Jobs\/><\/Entities>/);
});

test('Task (Running, Finished, failed), task list and every error validate', async () => {
  const job = id((await get('/api/query?type=Job&filter=' + encodeURIComponent('Name=="Exchange Backup"'))).text, 'jobs');
  const started = await expectValid('Task running', `/api/jobs/${job}?action=start`, 'Task', { method: 'POST' }, 202);
  assert.match(started, /<State>Running<\/State>/);
  const again = await expectValid('Task 2', `/api/jobs/${job}?action=start`, 'Task', { method: 'POST' }, 202);
  await new Promise((r) => setTimeout(r, 900));
  const done = await expectValid('Task finished', `/api/tasks/${/<TaskId>([^<]+)/.exec(started)![1]}`, 'Task');
  assert.match(done, /<State>Finished<\/State><Operation>StartJob<\/Operation><Result Success="true"><Message>Job "Exchange Backup" triggered to start.<\/Message>/);
  const failed = await expectValid('Task failed', `/api/tasks/${/<TaskId>([^<]+)/.exec(again)![1]}`, 'Task');
  assert.match(failed, /Success="false"/);
  await expectValid('Tasks', '/api/tasks', 'Tasks');
  await expectValid('404', '/api/jobs/00000000-0000-0000-0000-000000000000', 'Error', {}, 404);
  await expectValid('404 route', '/api/nothing', 'Error', {}, 404);
  await expectValid('400', `/api/query?type=Job&filter=${encodeURIComponent('Name==(')}`, 'Error', {}, 400);
  await expectValid('405', '/api/jobs', 'Error', { method: 'DELETE' }, 405);
  await expectValid('401', '/api/jobs', 'Error', { headers: { 'X-RestSvcSessionId': 'bogus' } }, 401);
});

test('job actions: stop (Stopping, then Stopped/Failed with the reason), retry, toggleScheduleEnabled and their refusals validate', async () => {
  const jobs = h.app.hooks.jobs();
  const fileserver = jobs.find((j) => j.name === 'Fileserver Backup')!;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const taskOf = async (xml: string) => { await wait(900); return expectValid('Task', `/api/tasks/${/<TaskId>([^<]+)/.exec(xml)![1]}`, 'Task'); };

  // Stop a running job: the Task succeeds; the session is Stopping, then Stopped, Failed, with the reason on it and its VMs.
  const running = h.app.hooks.addSession(fileserver.id, { running: true, durationMs: 60_000, vmCount: 4 });
  const stop = await expectValid('Task stop', `/api/jobs/${fileserver.id}?action=stop`, 'Task', { method: 'POST' }, 202);
  assert.match(stop, /<Operation>StopJob<\/Operation>/);
  const stopping = await expectValid('Stopping session', `/api/backupSessions/${running.id}?format=Entity`, 'BackupJobSession');
  assert.match(stopping, /<State>Stopping<\/State><Result>None<\/Result>/);
  assert.match(await taskOf(stop), /<State>Finished<\/State><Operation>StopJob<\/Operation><Result Success="true"><Message>Job "Fileserver Backup" stopped\.<\/Message>/);
  await wait(300);
  const stopped = await expectValid('Stopped session', `/api/backupSessions/${running.id}?format=Entity`, 'BackupJobSession');
  assert.match(stopped, /<State>Stopped<\/State><Result>Failed<\/Result><Progress>\d+<\/Progress><FailureMessage>Job has been stopped by user\.<\/FailureMessage>/);
  const tasks = await expectValid('stopped task sessions', `/api/backupSessions/${running.id}/taskSessions?format=Entity`, 'BackupTaskSessions');
  assert.match(tasks, /<Result>Failed<\/Result><Reason>Stopped by user\.<\/Reason>/);

  // Stop of an idle job: a Task whose Result failed.
  const idle = await expectValid('Task stop idle', `/api/jobs/${fileserver.id}?action=stop`, 'Task', { method: 'POST' }, 202);
  assert.match(await taskOf(idle), /<Result Success="false"><Message>Failed to stop job "Fileserver Backup": the job is not running\.<\/Message>/);

  // Retry after the stopped (failed) session: a new IsRetry session for the VMs that did not finish.
  const retry = await expectValid('Task retry', `/api/jobs/${fileserver.id}?action=retry`, 'Task', { method: 'POST' }, 202);
  assert.match(await taskOf(retry), /<Operation>RetryJob<\/Operation><Result Success="true"><Message>Job "Fileserver Backup" triggered to retry\.<\/Message>/);
  const retried = await expectValid('retry session', `/api/query?type=BackupJobSession&format=Entities&sortDesc=CreationTime&pageSize=1&filter=${encodeURIComponent(`JobUid==${fileserver.uid}`)}`, 'QueryResult');
  assert.match(retried, /<IsRetry>true<\/IsRetry>/);
  // Retry while it runs: a failed Task; retry after a success: 400 <Error>.
  const busy = await expectValid('Task retry running', `/api/jobs/${fileserver.id}?action=retry`, 'Task', { method: 'POST' }, 202);
  assert.match(await taskOf(busy), /Success="false"><Message>Failed to retry job "Fileserver Backup": the job is already running\./);
  const exchange = jobs.find((j) => j.name === 'Exchange Backup')!;
  h.app.hooks.addSession(exchange.id, { result: 'Success', agoMs: 1000, durationMs: 1000 });
  const refused = await expectValid('retry of a success', `/api/jobs/${exchange.id}?action=retry`, 'Error', { method: 'POST' }, 400);
  assert.match(refused, /Message="Cannot retry job &quot;Exchange Backup&quot;: its last session ended with Success\. Only failed or warning sessions can be retried\." StatusCode="400" Status="BadRequest"/);

  // toggleScheduleEnabled flips ScheduleEnabled; a disabled job has no NextRun.
  assert.match(await expectValid('Job before', `/api/jobs/${exchange.id}?format=Entity`, 'Job'), /<ScheduleEnabled>true<\/ScheduleEnabled><NextRun>/);
  const toggle = await expectValid('Task toggle', `/api/jobs/${exchange.id}?action=toggleScheduleEnabled`, 'Task', { method: 'POST' }, 202);
  assert.match(await taskOf(toggle), /<Operation>ToggleScheduleEnabled<\/Operation><Result Success="true"><Message>Schedule of job "Exchange Backup" is now disabled\.<\/Message>/);
  const disabled = await expectValid('Job schedule disabled', `/api/jobs/${exchange.id}?format=Entity`, 'Job');
  assert.match(disabled, /<Link Rel="ToggleScheduleEnabled" Href="[^"]+\?action=toggleScheduleEnabled"\/>/);
  assert.match(disabled, /<ScheduleConfigured>true<\/ScheduleConfigured><ScheduleEnabled>false<\/ScheduleEnabled><\/Job>/);
  await expectValid('Task unknown job', '/api/jobs/00000000-0000-0000-0000-000000000000?action=stop', 'Error', { method: 'POST' }, 404);
});

test('failed and warning sessions carry FailureMessage; their task sessions the Reason', async () => {
  const job = h.app.hooks.jobs().find((j) => j.name === 'CRM Backup')!;
  const msg = 'Error: Cannot connect to host esx02.lab.local. Connection refused.';
  const failed = h.app.hooks.addSession(job.id, { result: 'Failed', message: msg, vmCount: 3, failedVms: 2 });
  const xml = await expectValid('failed session', `/api/backupSessions/${failed.id}?format=Entity`, 'BackupJobSession');
  assert.match(xml, /<Result>Failed<\/Result><Progress>100<\/Progress><FailureMessage>Error: Cannot connect to host esx02\.lab\.local\. Connection refused\.<\/FailureMessage>/);
  const tasks = await expectValid('failed task sessions', `/api/backupSessions/${failed.id}/taskSessions?format=Entity`, 'BackupTaskSessions');
  assert.equal(tasks.split('<Reason>Error: Cannot connect').length - 1, 2, 'two VMs failed with the reason');
  const warn = await expectValid('warning sessions', `/api/query?type=BackupJobSession&format=Entities&pageSize=5&filter=Result==Warning`, 'QueryResult');
  assert.match(warn, /<Result>Warning<\/Result><Progress>100<\/Progress><FailureMessage>Warning: [^<]+<\/FailureMessage>/);
});

test('JSON: BOM, PascalCase, Links arrays, Refs and double-nested query results, JSON errors', async () => {
  const refs = await get('/api/jobs', {}, true);
  assert.equal(refs.text.charCodeAt(0), 0xfeff);
  const r = JSON.parse(refs.text.slice(1));
  assert.ok(Array.isArray(r.Refs) && r.Refs[0].UID.startsWith('urn:veeam:Job:') && Array.isArray(r.Refs[0].Links));
  const q = JSON.parse((await get('/api/query?type=BackupJobSession&format=Entities&pageSize=3', {}, true)).text.slice(1));
  assert.equal(q.Entities.BackupJobSessions.BackupJobSessions.length, 3);
  assert.equal(q.PagingInfo.PageSize, 3);
  const s = q.Entities.BackupJobSessions.BackupJobSessions[0];
  for (const k of ['JobUid', 'JobName', 'JobType', 'CreationTimeUTC', 'EndTimeUTC', 'State', 'Result', 'Progress', 'IsRetry', 'Name', 'UID', 'Href', 'Type']) {
    assert.ok(k in s, k);
  }
  const qr = JSON.parse((await get('/api/query?type=Job&pageSize=1', {}, true)).text.slice(1));
  assert.equal(qr.Refs.Refs.length, 1);
  const err = JSON.parse((await get('/api/jobs/nope', {}, true)).text.slice(1));
  assert.deepEqual(Object.keys(err).sort(), ['FirstChanceExceptionMessage', 'Message', 'StackTrace', 'Status', 'StatusCode']);
  assert.equal(err.StatusCode, 404);
  const repo = JSON.parse((await get('/api/repositories?format=Entity', {}, true)).text.slice(1));
  assert.ok(repo.Repositories[0].Kind, 'JSON carries Kind');
});

test('logon: cookie wins over the header, 401 carries WWW-Authenticate, logoff with the SessionId → 204, then 401', async () => {
  const bad = await fetch(`${h.url}/api/sessionMngr/?v=latest`, { method: 'POST', headers: { Authorization: 'Basic ' + Buffer.from('LAB\\administrator:nope').toString('base64') } });
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get('www-authenticate'), 'Basic Realm=RestSvc');
  const r = await fetch(`${h.url}/api/sessionMngr/?v=latest`, { method: 'POST', headers: { Authorization: AUTH } });
  const tok = r.headers.get('x-restsvcsessionid')!;
  assert.match(r.headers.get('set-cookie')!, /^X-RestSvcSessionId=[^;]+; Path=\/api/);
  const sid = /<SessionId>([^<]+)</.exec(await r.text())![1];
  assert.equal((await get('/api/jobs', { headers: { 'X-RestSvcSessionId': 'bogus', Cookie: `X-RestSvcSessionId=${tok}` } })).status, 200);
  assert.equal((await get('/api/jobs', { headers: { 'X-RestSvcSessionId': tok, Cookie: 'X-RestSvcSessionId=bogus' } })).status, 401);
  assert.equal((await get(`/api/logonSessions/${tok}`, { method: 'DELETE', headers: { 'X-RestSvcSessionId': tok } })).status, 404, 'the token is not the SessionId');
  assert.equal((await get(`/api/logonSessions/${sid}`, { method: 'DELETE', headers: { 'X-RestSvcSessionId': tok } })).status, 204);
  assert.equal((await get('/api/jobs', { headers: { 'X-RestSvcSessionId': tok } })).status, 401);
  assert.equal((await get('/api/jobs', { headers: { 'X-RestSvcSessionId': '' } })).status, 401);
});
