// "Why did it fail" on Enterprise Manager, against the simulator over HTTPS: failure and warning
// messages and their short descriptions, actions listed per state, Stop / Retry / Enable / Disable
// (one POST each, Tasks followed, refusals), the task-session "log" of a session (every page, live
// while it runs), and the bulk reads for the dashboard (sessionsSince, repositories).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { Entity, RequestLogEntry } from '../../src/api/model';
import { detailsOf } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { EmClient } from '../../src/api/em';
import { mapEntity, shortMessage } from '../../src/api/em/map';
import { settledPage, until } from './helpers';

const logs: RequestLogEntry[] = [];

function emClient(sim: SimulatorExt, wire: 'xml' | 'json' = 'xml', pageSize = 50): EmClient {
  return new EmClient({ name: 'em', kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 },
    { credentials: { password: async () => sim.credentials.password }, log: (e) => logs.push(e),
      http: { timeoutMs: 10_000, connectTimeoutMs: 5_000, pageSize } }, { pollMs: 100, wire });
}

async function rejects(p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp): Promise<VeeamError> {
  try { await p; } catch (e) {
    assert.ok(e instanceof VeeamError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (re) { assert.match(e.message, re); }
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

async function all(c: EmClient, parent: Entity | undefined): Promise<Entity[]> {
  const out: Entity[] = [];
  let cursor: string | undefined;
  do { const p = await settledPage(c, parent, cursor); out.push(...p.items); cursor = p.next; } while (cursor);
  return out;
}

const MS_H = 3_600_000;
const has = (e: Entity, ...a: string[]) => a.every((x) => (e.actions as string[]).includes(x));
const lacks = (e: Entity, ...a: string[]) => a.every((x) => !(e.actions as string[]).includes(x));
const detail = (e: Entity, label: string) => detailsOf(e).find((d) => d.label === label)?.value;

describe('Enterprise Manager: why it failed, job actions, session logs, dashboard reads', () => {
  let sim: SimulatorExt;
  let c: EmClient;
  const jobId = (name: string) => sim.emData.jobs().find((j) => j.name === name)!.id;
  const posts = (re: RegExp = /^\/api\/jobs\//) => sim.stats.log.filter((r) => r.method === 'POST' && re.test(r.path));
  const gets = (re: RegExp) => sim.stats.log.filter((r) => r.method === 'GET' && re.test(r.path));

  /** Every job of both backup servers, as the tree lists them. */
  async function jobs(client = c): Promise<Entity[]> {
    const servers = await all(client, (await client.children(undefined, undefined)).items[0]);
    const out: Entity[] = [];
    for (const s of servers) { out.push(...await all(client, (await client.children(s, undefined)).items[0])); }
    return out;
  }
  const job = async (name: string, client = c) => { const j = (await jobs(client)).find((x) => x.name === name); assert.ok(j, name); return j; };

  before(async () => {
    sim = await startSimulator({ em: { sessionsPerJob: 300, jobDurationMs: 2500, stopDurationMs: 600 } });
    c = emClient(sim);
  });
  after(async () => {
    await c.dispose();
    await sim.close();
    const texts = logs.map((l) => JSON.stringify(l));
    assert.ok(texts.every((t) => !t.includes(sim.credentials.password)));
  });

  test('short messages: first sentence or line, no "Error:" prefix, ~60 characters with an ellipsis', () => {
    assert.equal(shortMessage('Error: Cannot connect to host esx02.lab.local.'), 'Cannot connect to host esx02.lab.local');
    assert.equal(shortMessage('Error: Failed to create VM snapshot. The operation timed out.'), 'Failed to create VM snapshot');
    assert.equal(shortMessage('Warning: Changed block tracking is disabled.'), 'Changed block tracking is disabled');
    const long = shortMessage('Error: VSSControl: Failed to prepare guest for freeze, wait timeout 900 sec\nRetrying snapshot creation attempt')!;
    assert.ok(long.length <= 60 && long.endsWith('…'), long);
    assert.match(long, /^VSSControl: Failed to prepare guest for freeze, wait…$/);
    assert.equal(shortMessage('\n\n  Job has been stopped by user.  '), 'Job has been stopped by user');
    assert.equal(shortMessage(''), undefined);
    assert.equal(shortMessage('Error: '), undefined);
    assert.equal(shortMessage('x'.repeat(100))!.length, 60);
  });

  test('failed and warning sessions, task sessions and jobs carry the message whole and show its first sentence', async () => {
    const msg = 'Error: Cannot connect to host esx02.lab.local. Connection refused (10.0.1.12:902).\nRetrying in 10 min.';
    sim.emData.addSession(jobId('CRM Backup'), { result: 'Failed', message: msg, vmCount: 4, failedVms: 2, agoMs: 2 * MS_H });
    sim.resetStats();
    const crm = await job('CRM Backup');
    assert.equal(crm.status, 'failed');
    assert.equal(crm.message, msg);
    assert.equal(crm.description, 'Failed · 2 h ago · Cannot connect to host esx02.lab.local · schedule disabled');
    assert.equal(detail(crm, 'Failure'), msg, 'the tooltip has it whole');
    assert.equal(detail(crm, 'Last result'), 'Failed');
    assert.ok(!gets(/JobUid/).length, 'no request per job: the last runs come from one query per session type and server');

    const [session] = (await c.children(crm, undefined)).items;
    assert.equal(session.status, 'failed');
    assert.equal(session.message, msg);
    assert.equal(session.description, 'Failed · 2 h ago · Cannot connect to host esx02.lab.local');
    assert.equal(detail(session, 'Failure'), msg);
    assert.equal(session.jobName, 'CRM Backup');
    assert.ok(has(session, 'openLog', 'copyMessage') && lacks(session, 'stopJob', 'retryJob'));

    const tasks = await all(c, session);
    assert.equal(tasks.length, 4);
    const failed = tasks.filter((t) => t.status === 'failed');
    assert.equal(failed.length, 2);
    for (const t of failed) {
      assert.equal(t.message, msg);
      assert.match(t.description!, /^Failed · 2 h ago · Cannot connect to host esx02\.lab\.local$/);
      assert.ok(has(t, 'openLog', 'copyMessage'));
    }
    for (const t of tasks.filter((x) => x.status === 'success')) { assert.equal(t.message, undefined); assert.ok(has(t, 'openLog') && lacks(t, 'copyMessage')); }

    // A warning session with the server's warning text.
    const warn = 'Warning: Unable to truncate Microsoft SQL Server transaction logs. Details: Failed to process database [model].';
    sim.emData.addSession(jobId('SQL Replica'), { result: 'Warning', message: warn, agoMs: 30 * 60_000 });
    const replica = await job('SQL Replica');
    assert.equal(replica.status, 'warning');
    assert.equal(replica.description, 'Warning · 30 min ago · Unable to truncate Microsoft SQL Server transaction logs');
    assert.equal(detail(replica, 'Warning'), warn);
    assert.ok(has(replica, 'retryJob', 'copyMessage', 'disableJob') && lacks(replica, 'enableJob', 'stopJob'));
    const ws = (await c.children(replica, undefined)).items[0];
    assert.equal(ws.type, 'replicaSession');
    assert.equal(ws.message, warn);

    // Seeded failures: every failed or warning session in the Backup Sessions folder carries a message.
    const folder = (await c.children(undefined, undefined)).items[2];
    const page = (await c.children(folder, undefined, undefined, { result: 'Failed' })).items;
    assert.ok(page.length > 0 && page.every((s) => s.message && s.description!.startsWith('Failed · ') && s.description!.split(' · ').length === 3));
    // Success: no message, the job type stays in view.
    sim.emData.addSession(jobId('Exchange Backup'), { result: 'Success', agoMs: 5 * 60_000 });
    const exch = await job('Exchange Backup');
    assert.equal(exch.status, 'success');
    assert.equal(exch.message, undefined);
    assert.equal(exch.description, 'Success · 5 min ago · Backup · VMware');
    assert.ok(lacks(exch, 'retryJob', 'copyMessage', 'stopJob', 'enableJob') && has(exch, 'startJob', 'disableJob'));
  });

  test('last runs without a request per job: the last 7 days of the server (RECENT_DAYS), then one query for the jobs not found there (31 days)', async () => {
    const quiet = await startSimulator({ em: { sessionsPerJob: 3 } });      // sessions every 20 days: most jobs did not run lately
    const qc = emClient(quiet);
    try {
      const servers = await all(qc, (await qc.children(undefined, undefined)).items[0]);
      const jobsFolder = (await qc.children(servers[0], undefined)).items[0];
      quiet.resetStats();
      const list = await all(qc, jobsFolder);
      const paths = quiet.stats.log.map((r) => decodeURIComponent(r.path));
      assert.equal(paths.filter((p) => p.includes('type=Job&')).length, 1);
      const sessions = paths.filter((p) => /type=(Backup|Replica)JobSession/.test(p));
      assert.equal(sessions.length, 4, sessions.join('\n'));                // per type: recent, then the ones not found
      assert.equal(sessions.filter((p) => /filter=\(?JobUid=="urn:veeam:Job:[^"]+"[,);]/.test(p) && /;CreationTime>=/.test(p)).length, 2, 'the jobs not found, by UID');
      for (const j of list) {
        const newest = (await qc.children(j, undefined)).items[0];
        assert.equal(j.status, newest.status, `${j.name}: the job shows its newest session`);
      }
      assert.ok(list.some((j) => /^(Success|Warning|Failed) · \d+ d ago/.test(j.description!)), list.map((j) => j.description).join(' | '));
    } finally { await qc.dispose(); await quiet.close(); }
  });

  test('actions per state: stop only while running, retry only after Failed/Warning, enable/disable by the schedule, none without an id', async () => {
    const sql = await job('SQL Backup');                           // seeded: runs now
    assert.equal(sql.status, 'running');
    assert.match(sql.description!, /^Running \d+% · Backup · VMware$/);
    assert.ok(has(sql, 'startJob', 'stopJob', 'disableJob') && lacks(sql, 'retryJob', 'enableJob', 'copyMessage'));
    const running = (await c.children(sql, undefined)).items[0];
    assert.equal(running.status, 'running');
    assert.ok(has(running, 'stopJob', 'openLog') && lacks(running, 'copyMessage', 'retryJob'));
    const crm = await job('CRM Backup');                           // seeded: schedule disabled
    assert.ok(has(crm, 'enableJob') && lacks(crm, 'disableJob'));

    // What the server sent without a UID offers nothing that needs one.
    const noId = mapEntity('Job', { Name: 'x', ScheduleEnabled: 'true', ScheduleConfigured: 'true' }, Date.now(),
      { state: 'Stopped', result: 'Failed', message: 'Error: boom.' });
    assert.deepEqual(noId.actions, ['openJson']);
    const noIdSession = mapEntity('BackupJobSession', { Name: 'x', State: 'Working', Result: 'None', JobUid: 'urn:veeam:Job:1' });
    assert.deepEqual(noIdSession.actions, ['openJson']);
    // A schedule that is not configured can be neither enabled nor disabled.
    const unscheduled = mapEntity('Job', { UID: 'urn:veeam:Job:1', Href: 'https://em/api/jobs/1', ScheduleConfigured: 'false', ScheduleEnabled: 'false' });
    assert.ok(lacks(unscheduled, 'enableJob', 'disableJob') && has(unscheduled, 'startJob'));
    // The JSON wire lists the same states.
    const cj = emClient(sim, 'json');
    try {
      const a = (await jobs(c)).map((j) => [j.name, j.status, j.description, j.actions.join()]);
      const b = (await jobs(cj)).map((j) => [j.name, j.status, j.description, j.actions.join()]);
      assert.deepEqual(b, a);
    } finally { await cj.dispose(); }
  });

  test('stop a running job: one POST ?action=stop, its Task followed; the session ends Failed "Job has been stopped by user."', async () => {
    sim.emData.addSession(jobId('Oracle Backup'), { running: true, durationMs: 120_000, vmCount: 5 });
    const oracle = await job('Oracle Backup');
    assert.ok(has(oracle, 'stopJob'));
    sim.resetStats();
    const messages: string[] = [];
    const session = await c.stopJob(oracle, undefined, (m) => messages.push(m));
    assert.equal(posts().length, 1);
    assert.equal(posts()[0].path, `/api/jobs/${jobId('Oracle Backup')}?action=stop`);
    assert.ok(gets(/^\/api\/tasks\//).length >= 1, 'the Task is followed');
    assert.deepEqual(messages, ['Stop of "Oracle Backup" requested; waiting for Enterprise Manager…', 'Job "Oracle Backup" stopped.']);
    assert.ok(session && session.type === 'backupSession');
    assert.match(session.description!, /^Stopping \d+%$|^Failed/);
    const done = await until(() => c.refresh(session), (e) => e.status !== 'running', 8000, 150);
    assert.equal(done.status, 'failed');
    assert.equal(done.message, 'Job has been stopped by user.');
    assert.equal(done.description, 'Failed · just now · Job has been stopped by user');
    const tasks = await all(c, done);
    assert.ok(tasks.some((t) => t.message === 'Stopped by user.' && t.status === 'failed'));
    const after = await c.refresh(oracle);
    assert.equal(after.status, 'failed');
    assert.ok(has(after, 'retryJob', 'copyMessage') && lacks(after, 'stopJob'));
    assert.equal(posts().length, 1, 'nothing else was posted');
  });

  test('stop from a running session node stops its job; stop of an idle job is refused by its Task', async () => {
    const folder = (await c.children(undefined, undefined)).items[1];         // Replica Sessions
    const dc = (await c.children(folder, undefined, undefined, { name: 'DC Replication' })).items[0];   // seeded: runs now
    assert.equal(dc.status, 'running');
    assert.ok(has(dc, 'stopJob'));
    sim.resetStats();
    const s = await c.stopJob(dc);
    assert.deepEqual(posts().map((p) => p.path), [`/api/jobs/${jobId('DC Replication')}?action=stop`]);
    assert.equal(s?.key, dc.key);
    await until(() => c.refresh(dc), (e) => e.status === 'failed', 8000, 150);

    const fs = await job('Fileserver Backup');
    assert.ok(lacks(fs, 'stopJob'));
    sim.resetStats();
    const e = await rejects(c.stopJob(fs), 'http', /^Failed to stop job "Fileserver Backup": the job is not running\.$/);
    assert.equal(e.extra.serverMessage, 'Failed to stop job "Fileserver Backup": the job is not running.');
    assert.equal(posts().length, 1, 'one POST, not retried');
    await rejects(c.stopJob((await c.children(undefined, undefined)).items[0]), 'config', /is not a job/);
  });

  test('retry after a failure: one POST ?action=retry → a new IsRetry session for the failed VMs; retry after Success → the 400 <Error Message>', async () => {
    sim.emData.addSession(jobId('Fileserver Replication'), { result: 'Failed', vmCount: 6, failedVms: 2, agoMs: MS_H,
      message: 'Error: Failed to create VM snapshot. The operation timed out.' });
    const fr = await job('Fileserver Replication');
    assert.ok(has(fr, 'retryJob'));
    const failedVms = (await all(c, (await c.children(fr, undefined)).items[0])).filter((t) => t.status === 'failed').map((t) => t.name).sort();
    assert.equal(failedVms.length, 2);
    sim.resetStats();
    const messages: string[] = [];
    const retry = await c.retryJob(fr, undefined, (m) => messages.push(m));
    assert.equal(posts().length, 1);
    assert.equal(posts()[0].path, `/api/jobs/${jobId('Fileserver Replication')}?action=retry`);
    assert.ok(messages.includes('Job "Fileserver Replication" triggered to retry.'), messages.join(' | '));
    assert.equal(retry.status, 'running');
    assert.equal(retry.type, 'replicaSession');
    assert.equal(detail(retry, 'Retry'), 'yes');
    assert.deepEqual((await all(c, retry)).map((t) => t.name).sort(), failedVms, 'the retry processes what failed');
    // Retry while it runs: refused by its Task.
    sim.resetStats();
    await rejects(c.retryJob(fr), 'http', /already running/);
    assert.equal(posts().length, 1);

    sim.emData.addSession(jobId('Exchange Backup'), { result: 'Success', agoMs: 60_000 });
    const exch = await job('Exchange Backup');
    assert.ok(lacks(exch, 'retryJob'));
    sim.resetStats();
    const e = await rejects(c.retryJob(exch), 'http',
      /^Cannot retry job "Exchange Backup": its last session ended with Success\. Only failed or warning sessions can be retried\. \(HTTP 400\)$/);
    assert.equal(e.status, 400);
    assert.match(e.extra.serverMessage!, /^Cannot retry job/);
    assert.equal(posts().length, 1, 'a refused action is not sent again');
    assert.equal(gets(/^\/api\/tasks\//).length, 0, 'no Task to follow');
  });

  test('enable/disable: the job is read first; toggleScheduleEnabled only when it differs (one POST), never when it already is as asked', async () => {
    const id = jobId('Web Farm "Prod" Backup');
    const web = await job('Web Farm "Prod" Backup');
    assert.ok(has(web, 'disableJob'));
    sim.resetStats();
    const messages: string[] = [];
    const off = await c.setJobEnabled(web, false, undefined, (m) => messages.push(m));
    assert.deepEqual(posts().map((p) => p.path), [`/api/jobs/${id}?action=toggleScheduleEnabled`]);
    assert.equal(gets(new RegExp(`^/api/jobs/${id}\\?format=Entity`)).length, 2, 'read before and after');
    assert.ok(gets(/^\/api\/tasks\//).length >= 1);
    assert.equal(messages.at(-1), 'Schedule of job "Web Farm "Prod" Backup" is now disabled.');
    assert.equal(sim.emData.jobs().find((j) => j.id === id)!.scheduleEnabled, false);
    assert.ok(has(off, 'enableJob') && lacks(off, 'disableJob'));
    assert.match(off.description!, / · schedule disabled$/);
    assert.equal(off.status, web.status, 'the last run it was listed with stays');

    // Asked again from the stale node (it still says enabled): read first, already disabled, nothing sent.
    sim.resetStats();
    messages.length = 0;
    const same = await c.setJobEnabled(web, false, undefined, (m) => messages.push(m));
    assert.equal(posts().length, 0);
    assert.equal(gets(/^\/api\/jobs\//).length, 1, 'one GET');
    assert.deepEqual(messages, ['The schedule of "Web Farm "Prod" Backup" is already disabled; nothing was changed.']);
    assert.ok(has(same, 'enableJob'));

    // Changed behind our back: enabling a job that is already enabled again sends nothing either.
    sim.emData.setScheduleEnabled(id, true);
    sim.resetStats();
    await c.setJobEnabled(off, true);
    assert.equal(posts().length, 0);
    const back = await c.setJobEnabled(off, false);
    assert.equal(posts().length, 1);
    const on = await c.setJobEnabled(back, true);
    assert.equal(posts().length, 2);
    assert.ok(has(on, 'disableJob'));
    assert.equal(sim.emData.jobs().find((j) => j.id === id)!.scheduleEnabled, true);
  });

  test('a POST answered 401 is not sent again (the session is renewed, the action reported as not done)', async () => {
    const sql = await job('SQL Backup');
    sim.resetStats();
    sim.addFault({ kind: 'status', server: 'em', method: 'POST', path: 'action=toggleScheduleEnabled', status: 401, times: 1 });
    try {
      await rejects(c.setJobEnabled(sql, false), 'auth', /rejected the logon session; the job's schedule was not changed/);
    } finally { sim.clearFaults(); }
    assert.equal(posts().length, 1);
    sim.addFault({ kind: 'status', server: 'em', method: 'POST', path: 'action=stop', status: 401, times: 1 });
    try {
      await rejects(c.stopJob(sql), 'auth', /the job was not stopped/);
    } finally { sim.clearFaults(); }
    assert.equal(posts().length, 2);
    assert.equal(posts(/action=stop/).length, 1);
    assert.equal(sim.emData.jobs().find((j) => j.name === 'SQL Backup')!.scheduleEnabled, true);
  });

  test('session "log": every task session of a session with 2,300 VMs (3 pages of 1000) with results and reasons; a task session\'s own lines', async () => {
    const reason = 'Error: Not enough free space on the repository. Required: 412.5 GB, available: 87.2 GB.';
    const big = sim.emData.addSession(jobId('Offsite Copy'), { result: 'Failed', message: reason, vmCount: 2300, failedVms: 3, agoMs: MS_H });
    const session = (await c.children(await job('Offsite Copy'), undefined)).items[0];
    assert.equal(session.id, big.uid);
    assert.ok(has(session, 'openLog'));
    sim.resetStats();
    const log = await c.sessionLog(session);
    assert.equal(log.note, "Enterprise Manager's REST API has no session log records; these are the session's task sessions (one per VM) with their results and reasons.");
    assert.equal(log.running, false);
    assert.equal(log.lines.length, 2300);
    assert.equal(new Set(log.lines.map((l) => l.id)).size, 2300);
    const q = gets(/^\/api\/query\?type=BackupTaskSession/);
    const page = (r: { path: string }) => /[?&]page=(\d+)/.exec(r.path)![1];
    assert.deepEqual(q.map(page).sort(), ['1', '2', '3'], 'each page once');
    assert.equal(page(q[0]), '1');
    assert.ok(q.every((r) => r.path.includes('pageSize=1000')));
    assert.equal(gets(/^\/api\/backupSessions\//).length, 1, 'the session itself, for its state');
    const failed = log.lines.filter((l) => l.status === 'failed');
    assert.equal(failed.length, 3);
    for (const l of failed) { assert.match(l.title, /^[\w-]+: Failed$/); assert.equal(l.detail, reason); }
    assert.ok(log.lines.filter((l) => l.status === 'success').every((l) => /: Success$/.test(l.title) && l.detail === undefined));
    const times = log.lines.map((l) => Date.parse(l.time!));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');

    const tasks = (await c.children(session, undefined, undefined, { result: 'Failed' })).items;
    const own = await c.sessionLog(tasks[0]);
    assert.equal(own.running, false);
    assert.deepEqual(own.lines.map((l) => [l.id, l.status]), [['start', 'info'], ['result', 'failed']]);
    assert.match(own.lines[1].title, new RegExp(`^${tasks[0].name}: Failed \\(.+, \\d+(\\.\\d)? GB\\)$`));
    assert.equal(own.lines[1].detail, reason);
    assert.equal(own.lines[1].time, tasks[0].endedAt);
    await rejects(c.sessionLog(mapEntity('BackupJobSession', { Name: 'no id' })), 'config');
  });

  test('every page of a long list: page 1, then the next page is asked for while the one before is still coming (same GETs, in order)', async () => {
    const big = sim.emData.addSession(jobId('Offsite Copy'), { result: 'Success', vmCount: 2300, agoMs: MS_H });
    const session = (await c.children(await job('Offsite Copy'), undefined)).items[0];
    assert.equal(session.id, big.uid);
    // Page 2 answers after 2 s: a client that waits for each page before asking for the next cannot ask for page 3
    // within those 2 s; one that keeps a page ahead asks for it as soon as page 1 is in.
    const HOLD = 2000;
    sim.addFault({ kind: 'delay', server: 'em', method: 'GET', path: /type=BackupTaskSession.*[?&]page=2(&|$)/, delayMs: HOLD, times: 1 });
    sim.resetStats();
    try {
      const log = await c.sessionLog(session);
      assert.equal(log.lines.length, 2300);
      assert.equal(new Set(log.lines.map((l) => l.id)).size, 2300);
      const times = log.lines.map((l) => Date.parse(l.time!));
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'pages kept in order (oldest first)');
    } finally { sim.clearFaults(); }
    const q = gets(/^\/api\/query\?type=BackupTaskSession/);
    const at = (n: string) => q.find((r) => new RegExp(`[?&]page=${n}(&|$)`).test(r.path))!.at;
    assert.equal(q.length, 3, q.map((r) => r.path).join('\n'));
    assert.ok(at('3') < at('2') + HOLD, `page 3 was asked for ${at('3') - at('2')} ms after page 2, which was held ${HOLD} ms`);
  });

  test('session "log" of a running session follows it: pending → running → done, same ids, running until the session ends', async () => {
    sim.emData.addSession(jobId('Fileserver Backup'), { running: true, durationMs: 2500, vmCount: 5 });
    const session = (await c.children(await job('Fileserver Backup'), undefined)).items[0];
    assert.equal(session.status, 'running');
    const first = await c.sessionLog(session);
    assert.equal(first.running, true);
    assert.equal(first.lines.length, 5);
    assert.ok(first.lines.some((l) => l.status === 'info' && / Pending$/.test(l.title)), first.lines.map((l) => l.title).join());
    const seen = new Set<string>(first.lines.map((l) => l.status));
    const last = await until(async () => { const l = await c.sessionLog(session); l.lines.forEach((x) => seen.add(x.status)); return l; },
      (l) => !l.running, 8000, 150);
    assert.ok(seen.has('running'), 'a VM was seen in progress');
    assert.deepEqual(last.lines.map((l) => l.id), first.lines.map((l) => l.id), 'records are kept by id');
    assert.ok(last.lines.every((l) => l.status === 'success'));
  });

  test('sessionsSince: exactly the backup and replica sessions of the window, newest first, pageSize 1000, ceil(n/1000) requests per type', async () => {
    const since = new Date(Date.now() - 50 * 86_400_000).toISOString(), untilIso = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const expected = sim.emData.countSessions(Date.parse(since), Date.parse(untilIso));
    sim.resetStats();
    const list = await c.sessionsSince({ since, until: untilIso });
    assert.equal(list.length, expected);
    const backups = list.filter((e) => e.type === 'backupSession').length, replicas = list.filter((e) => e.type === 'replicaSession').length;
    assert.ok(backups > 1000 && replicas > 0, `${backups} backup, ${replicas} replica sessions`);
    const q = gets(/^\/api\/query\?/);
    assert.equal(q.length, Math.ceil(backups / 1000) + Math.max(1, Math.ceil(replicas / 1000)), q.map((r) => r.path).join('\n'));
    assert.ok(q.every((r) => r.path.includes('pageSize=1000') && r.path.includes('sortDesc=CreationTime')
      && decodeURIComponent(r.path).includes(`CreationTime>="${since.replace(/\.\d+Z$/, 'Z')}"`)));
    const times = list.map((e) => Date.parse(e.startedAt!));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.ok(times.every((t) => t >= Date.parse(since) - 1000 && t <= Date.parse(untilIso)));
    assert.equal(new Set(list.map((e) => e.key)).size, list.length);
    for (const e of list) {
      assert.ok(e.jobName && e.status && e.status !== 'running');
      assert.ok(typeof e.metrics?.durationSec === 'number' && e.metrics.durationSec > 0);
      assert.equal(e.metrics.transferredBytes, undefined, 'EM reports no transferred bytes');
      if (e.status === 'failed' || e.status === 'warning') { assert.ok(e.message, `${e.name} has a message`); }
    }
    assert.ok(list.some((e) => e.status === 'failed'));
    sim.resetStats();
    const ten = await c.sessionsSince({ since, limit: 10 });
    assert.equal(ten.length, 10);
    assert.equal(gets(/^\/api\/query\?/).length, 2, 'one small page per type');
    const newest = await c.sessionsSince({ since: new Date(Date.now() - 86_400_000).toISOString() });
    assert.ok(newest.some((e) => e.status === 'running' && e.metrics === undefined), 'running sessions have no duration yet');
    await rejects(c.sessionsSince({ since: 'yesterday' }), 'config');
  });

  test('repositories: every repository of every backup server with capacity, in one request', async () => {
    sim.resetStats();
    const repos = await c.repositories();
    const want = sim.emData.repositories();
    assert.equal(repos.length, want.length);
    assert.equal(gets(/^\/api\/query\?type=Repository/).length, 1);
    assert.equal(sim.stats.requests, 1);
    for (const w of want) {
      const r = repos.find((x) => x.id === w.uid);
      assert.ok(r, w.name);
      assert.deepEqual(r.capacity, { totalBytes: w.capacity, freeBytes: w.free });
    }
    assert.ok(new Set(want.map((w) => w.server)).size === 2, 'both backup servers');
  });
});
