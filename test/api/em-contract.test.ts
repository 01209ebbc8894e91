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
