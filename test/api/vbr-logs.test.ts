// Failure reasons, session logs, sessionsSince and repositories of the VBR client, against a 1.3 and a 1.2 VBR
// simulator over real HTTPS: the failed session's reason in the description (short) and in `message` (whole), its
// failure line in the session and task-session logs, a 10,000-record log read whole, a live log that grows and whose
// records change in place (kept by id, as src/ui/logDocuments.ts keeps them), exact counts of job sessions in a
// window with the requests that cost, repository capacity in bytes, and every request checked against the spec of the
// revision it spoke.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ClientDeps, Entity, LogLine, SessionLog } from '../../src/api/model';
import { detailsOf } from '../../src/api/model';
import { VbrClient } from '../../src/api/vbr';
import { toLines } from '../../src/api/vbr/logs';
import { short } from '../../src/api/vbr/normalize';
import { SESSION_PAGE } from '../../src/api/vbr/reports';
import { startSimulator, type SimulatorExt } from '../simulator';
import { vbrSession } from '../simulator/http-client';
import { loadSpec, responseSchema, specsDir, validate, type OpenApi } from '../simulator/openapi-validate';
import type { RequestRecord, VbrRevision } from '../simulator/types';
import { REPOSITORIES } from '../simulator/vbr/catalog';
import { checkVbrRequests } from './vbr-requests';

const GB = 1024 ** 3;
const DAY = 86_400_000;
const LOG_RECORDS = 10_000;
const BENCH = 3000;
const REVS12: VbrRevision[] = ['1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1', '1.1-rev0'];

/** Every VBR request either simulator answered (onRequestDone: the stats log keeps only the last 2,000). */
const sent: RequestRecord[] = [];
const sims: Partial<Record<'13' | '12', SimulatorExt>> = {};
const clients: VbrClient[] = [];

before(async () => {
  const onRequestDone = (r: RequestRecord) => { if (r.server === 'vbr') { sent.push(r); } };
  const vbr = { jobDurationMs: 6000, logRecords: LOG_RECORDS, benchSessions: BENCH };
  sims['13'] = await startSimulator({ seed: 9, vbr, onRequestDone });
  sims['12'] = await startSimulator({ seed: 9, vbr: { ...vbr, revisions: REVS12 }, onRequestDone });
});
after(async () => {
  for (const c of clients) { await c.dispose(); }
  for (const s of Object.values(sims)) { await s?.close(); }
});

function client(s: SimulatorExt): VbrClient {
  const deps: ClientDeps = {
    credentials: { password: async () => 'Veeam123!' }, log: () => undefined,
    http: { timeoutMs: 20_000, connectTimeoutMs: 5_000, pageSize: 50 },
  };
  const c = new VbrClient({ name: 'vbr', kind: 'vbr', url: s.vbrUrl, username: 'LAB\\administrator', trustedCertificate: s.certificate.fingerprint256 }, deps);
  clients.push(c);
  return c;
}

/** The requests (method and path without query) `fn` made, in order. */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; calls: RequestRecord[] }> {
  const from = sent.length;
  const value = await fn();
  return { value, calls: sent.slice(from) };
}
const bare = (r: RequestRecord) => `${r.method} ${r.path.split('?')[0]}`;
const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const shape = (r: RequestRecord) => bare(r).replace(ID, '{id}');

async function all(c: VbrClient, parent: Entity | undefined): Promise<Entity[]> {
  const out: Entity[] = [];
  let cursor: string | undefined;
  do { const p = await c.children(parent, cursor); out.push(...p.items); cursor = p.next; } while (cursor);
  return out;
}
async function jobs(c: VbrClient): Promise<Entity[]> {
  const root = await all(c, undefined);
  return all(c, root.find((e) => e.role === 'jobs'));
}
const byId = (items: Entity[], id: string): Entity => { const e = items.find((i) => i.id === id); assert.ok(e, `${id} in ${items.map((i) => i.name)}`); return e; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertOrdered(log: SessionLog): void {
  const ids = log.lines.map((l) => l.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (let i = 1; i < log.lines.length; i++) {
    assert.ok((log.lines[i - 1].time ?? '') <= (log.lines[i].time ?? ''), `oldest first at ${i}: ${log.lines[i - 1].time} > ${log.lines[i].time}`);
  }
  assert.ok(log.lines.every((l) => l.time && !Number.isNaN(Date.parse(l.time)) && l.title), 'every line has a time and a title');
}

for (const [rev, label] of [['13', '1.3-rev2'], ['12', '1.2-rev1']] as const) {
  const sim = () => sims[rev] as SimulatorExt;

  test(`${label}: failed and warning sessions and task sessions carry the server's message; the failure line is in both logs; the job shows it once its session was read`, async (t) => {
    const c = client(sim());
    const fx = sim().vbrData.fixtures();
    const list = await jobs(c);
    assert.equal((await c.revision()).name, label);
    const failedJob = byId(list, fx.failedJobId);
    assert.equal(failedJob.status, 'failed');
    assert.equal(failedJob.message, undefined, '/jobs/states has no message, and no request was made for it');
    assert.ok(!failedJob.actions.includes('copyMessage'));

    const sessions = (await c.children(failedJob, undefined)).items;
    const s = sessions[0];
    assert.equal(s.id, failedJob.ref.sessionId, 'the newest session is the job\'s last one');
    assert.equal(s.status, 'failed');
    assert.equal(s.message, 'Failed to connect to host esx01: timeout', 'the whole message, as the server wrote it');
    assert.match(s.description!, /^Failed · \d+ (min|h|d) ago · Failed to connect to host esx01: timeout$/);
    assert.ok(detailsOf(s).some((d) => d.label === 'Message' && d.value === s.message), 'tooltip: whole');
    assert.ok(s.actions.includes('copyMessage') && s.actions.includes('openLog'));
    assert.equal(s.jobName, failedJob.name);

    // The job row: the same message once its session was read, without a request for it.
    const { value: again, calls } = await counted(() => c.refresh(failedJob));
    assert.deepEqual(calls.map(bare), ['GET /api/v1/jobs/states']);
    assert.equal(again.message, s.message);
    assert.ok(again.description!.startsWith(`Failed · `) && again.description!.includes(` · ${short(s.message)}`), again.description);
    assert.ok(again.actions.includes('copyMessage'));
    assert.ok(!again.actions.includes('openLog'), 'logs are opened on sessions');

    // The session's log: ended, so one request; the failure line is there.
    const { value: log, calls: logCalls } = await counted(() => c.sessionLog(s));
    assert.deepEqual(logCalls.map(shape), ['GET /api/v1/sessions/{id}/logs'], 'an ended session is not read again');
    assert.equal(log.running, false);
    assertOrdered(log);
    assert.ok(log.lines.some((l) => l.status === 'failed' && l.title === s.message), 'the failure line');
    assert.ok(log.lines.some((l) => l.status === 'failed' && /^Processing /.test(l.title) && l.detail === s.message), 'the object that failed, with the reason as detail');
    assert.match(log.lines[0].title, /^Job started at /);
    assert.match(log.lines[log.lines.length - 1].title, /^Job finished with error at /);
    assert.ok(!log.lines.some((l) => l.status === 'running'), 'nothing runs in an ended session');

    // Its task sessions: the failed one carries the message too, and its own log has the failure line.
    const tasks = (await c.children(s, undefined)).items;
    assert.ok(tasks.length > 0);
    const bad = tasks.find((x) => x.status === 'failed');
    assert.ok(bad, tasks.map((x) => `${x.name}:${x.status}`).join(' '));
    assert.equal(bad.message, s.message);
    assert.ok(bad.description!.endsWith(` · ${short(s.message)}`), bad.description);
    assert.ok(bad.actions.includes('openLog') && bad.actions.includes('copyMessage'));
    const good = tasks.find((x) => x.status === 'success');
    if (good) { assert.equal(good.message, undefined); assert.ok(!good.actions.includes('copyMessage') && good.actions.includes('openLog')); }
    const { value: tlog, calls: tcalls } = await counted(() => c.sessionLog(bad));
    assert.deepEqual(tcalls.map(shape), ['GET /api/v1/taskSessions/{id}/logs']);
    assertOrdered(tlog);
    assert.equal(tlog.running, false);
    assert.ok(tlog.lines.some((l) => l.status === 'failed' && l.title === s.message), 'the failure line of the task');
    assert.match(tlog.lines[0].title, /^Queued for processing at /);
    assert.match(tlog.lines[tlog.lines.length - 1].title, /^Processing finished with error at /);
    assert.ok(tlog.lines.some((l) => /^Hard disk 1 \(\d+ GB\)$/.test(l.title) && /read at \d+ MB\/s/.test(l.detail ?? '')), 'a record with its description');

    // A warning: the same, with the warning's own words.
    const warnJob = byId(list, fx.warningJobId);
    const w = (await c.children(warnJob, undefined)).items[0];
    assert.equal(w.status, 'warning');
    assert.match(w.message!, /Changed block tracking is disabled/);
    assert.ok(w.description!.startsWith('Warning · ') && w.description!.endsWith(short(w.message)!), w.description);
    const wlog = await c.sessionLog(w);
    assert.ok(wlog.lines.some((l) => l.status === 'warning' && l.title === 'Changed block tracking is disabled'));
    assert.match(wlog.lines[wlog.lines.length - 1].title, /^Job finished with warning at /);

    // Only sessions and task sessions have logs.
    await assert.rejects(c.sessionLog(failedJob), /only job sessions and task sessions have one/);
    t.diagnostic(`${label}: failed "${s.description}"; job "${again.description}"; task "${bad.description}"; ${log.lines.length} + ${tlog.lines.length} log lines`);
  });

  test(`${label}: a ${LOG_RECORDS.toLocaleString('en-US')}-record log is read whole, in one request`, async (t) => {
    const c = client(sim());
    const id = sim().vbrData.fixtures().bigLogSessionId;
    const s = await c.refresh({ key: 'big', type: 'jobSession', id, name: 'big', hasChildren: true, actions: [], ref: { id } });
    assert.ok(s.endedAt, 'the big session has ended');
    const started = Date.now();
    const { value: log, calls } = await counted(() => c.sessionLog(s));
    assert.deepEqual(calls.map(shape), ['GET /api/v1/sessions/{id}/logs'], 'the log is not paged in either revision');
    assert.equal(log.lines.length, LOG_RECORDS);
    assertOrdered(log);
    assert.ok(log.lines.some((l) => l.status === 'warning' && /^Skipped /.test(l.title) && l.detail === 'The file is locked by another process'));
    assert.match(log.lines[log.lines.length - 1].title, /^Job finished with /);
    t.diagnostic(`${label}: ${log.lines.length} lines in ${Date.now() - started} ms`);
  });

  test(`${label}: sessionsSince: the exact job sessions of a window, newest first, with jobName, metrics, status and message; one request per ${SESSION_PAGE}`, async (t) => {
    const c = client(sim());
    await c.connect();
    const v13 = rev === '13';
    const now = Date.now();
    const held = sim().vbrData.sessions().filter((x) => v13 || !x.v13Only);
    const inWindow = (since: number, until: number) => held.filter((x) => x.creationTime >= since && x.creationTime <= until);
    const jobNames = new Set(sim().vbrData.jobs().map((j) => j.name));

    // Two days, and the whole month (with the bench sessions: several pages).
    for (const [since, until] of [[now - 3 * DAY, now - DAY], [now - 31 * DAY, now - 60_000]]) {
      const want = inWindow(since, until);
      const wantJobs = want.filter((x) => x.kind === 'job');
      const { value: got, calls } = await counted(() => c.sessionsSince({ since: new Date(since).toISOString(), until: new Date(until).toISOString() }));
      assert.equal(got.length, wantJobs.length, 'exactly the job sessions of the window');
      assert.deepEqual(new Set(got.map((e) => e.id)), new Set(wantJobs.map((x) => x.id)));
      // 1.3 filters the types on the server; 1.2 reads the window and keeps the job sessions.
      const read = v13 ? wantJobs.length : want.length;
      assert.equal(calls.length, Math.max(1, Math.ceil(read / SESSION_PAGE)), `${calls.length} requests for ${read} sessions`);
      for (const r of calls) {
        const q = new URL(r.path, 'https://x').searchParams;
        assert.equal(bare(r), 'GET /api/v1/sessions');
        assert.equal(q.get('createdAfterFilter'), new Date(since).toISOString());
        assert.equal(q.get('createdBeforeFilter'), new Date(until).toISOString());
        assert.equal(q.get('orderColumn'), 'CreationTime');
        assert.equal(q.get('orderAsc'), 'false');
        assert.equal(q.getAll('typeFilter').length > 1, v13, 'typeFilter repeated on 1.3 only');
        assert.ok(!v13 || q.getAll('typeFilter').includes('BackupJob'));
      }
      for (let i = 1; i < got.length; i++) { assert.ok(Date.parse(got[i - 1].startedAt!) >= Date.parse(got[i].startedAt!), 'newest first'); }
      for (const e of got) {
        assert.equal(e.type, 'jobSession');
        assert.ok(e.jobName && jobNames.has(e.jobName), `jobName ${e.jobName}`);
        const ms = Date.parse(e.startedAt!);
        assert.ok(ms >= since && ms <= until);
        assert.ok(['success', 'warning', 'failed', 'running'].includes(e.status!), `${e.name}: ${e.status}`);
        // Seconds from creation to end; a session that still runs (the seeded Exchange backup) has none yet.
        assert.equal(e.metrics?.durationSec, e.endedAt ? Math.round((Date.parse(e.endedAt) - ms) / 1000) : undefined);
        assert.equal(!e.endedAt, e.status === 'running');
        if (v13) { assert.equal(typeof e.metrics?.transferredBytes, 'number'); } else { assert.equal(e.metrics?.transferredBytes, undefined, '1.2 sessions carry no progress sizes'); }
        if (e.status === 'failed' || e.status === 'warning') { assert.ok(e.message && e.description!.endsWith(short(e.message)!), `${e.name}: ${e.description}`); }
        else { assert.equal(e.message, undefined); }
      }
      assert.ok(got.some((e) => e.status === 'failed') && got.some((e) => e.status === 'warning'));
      t.diagnostic(`${label}: ${new Date(since).toISOString()}…: ${got.length} job sessions of ${want.length} in ${calls.length} request(s)`);
    }
    const retries = (await c.sessionsSince({ since: new Date(now - 31 * DAY).toISOString() })).filter((e) => /\(Retry \d+\)/.test(detailsOf(e).find((d) => d.label === 'Job')?.value ?? ''));
    assert.ok(retries.length > 0 && retries.every((e) => jobNames.has(e.jobName!)), 'a retry groups under its job');

    // A limit: the newest n, and no more requests than they take.
    const { value: newest, calls: limited } = await counted(() => c.sessionsSince({ since: new Date(now - 31 * DAY).toISOString(), limit: 50 }));
    assert.equal(newest.length, 50);
    const newestWanted = held.filter((x) => x.kind === 'job' && x.creationTime >= now - 31 * DAY).sort((a, b) => b.creationTime - a.creationTime).slice(0, 50);
    assert.deepEqual(newest.map((e) => e.id), newestWanted.map((x) => x.id));
    assert.equal(limited.length, 1);
    if (v13) { assert.equal(new URL(limited[0].path, 'https://x').searchParams.get('limit'), '50'); }

    if (v13) {
      // A server that refuses the type list (an older 1.3 revision without one of the values): read as on 1.2.
      const d = client(sim());
      await d.connect();
      sim().addFault({ kind: 'status', status: 400, server: 'vbr', path: /typeFilter=/, times: 1 });
      const [since, until] = [now - 3 * DAY, now - DAY];
      const { value: got, calls } = await counted(() => d.sessionsSince({ since: new Date(since).toISOString(), until: new Date(until).toISOString() }));
      sim().clearFaults();
      assert.equal(got.length, inWindow(since, until).filter((x) => x.kind === 'job').length);
      assert.deepEqual(calls.map((r) => [r.status, new URL(r.path, 'https://x').searchParams.has('typeFilter')]), [[400, true], [200, false]]);
    }
    await assert.rejects(c.sessionsSince({ since: 'yesterday' }), /not a date and time/);
  });

  test(`${label}: repositories: capacity and free space in bytes (GB × 1024³), one request`, async () => {
    const c = client(sim());
    await c.connect();
    const { value: repos, calls } = await counted(() => c.repositories());
    assert.deepEqual(calls.map(bare), ['GET /api/v1/backupInfrastructure/repositories/states']);
    assert.equal(repos.length, REPOSITORIES.length);
    for (const def of REPOSITORIES) {
      const r = repos.find((x) => x.name === def.name);
      assert.ok(r, def.name);
      assert.deepEqual(r.capacity, { totalBytes: Math.round(def.capacityGB * GB), freeBytes: Math.round(def.freeGB * GB) });
      assert.equal(r.type, 'repository');
    }
    // The tree's repositories carry the same.
    const root = await all(c, undefined);
    const tree = await all(c, root.find((e) => e.role === 'repos'));
    assert.deepEqual(tree.map((r) => r.capacity), repos.map((r) => r.capacity));
  });

  test(`${label}: live: a started job's log grows, records change in place (kept by id), running until the session ends; its task session's log too`, async (t) => {
    const c = client(sim());
    const fx = sim().vbrData.fixtures();
    const job = byId(await jobs(c), fx.successJobId);
    const started = await c.startJob(job);
    assert.equal(started.status, 'running');
    // Kept by id, as the log document keeps them.
    const kept = new Map<string, LogLine>();
    const keptTask = new Map<string, LogLine>();
    const changed: string[] = [];
    const counts: number[] = [];
    const shapes = new Set<string>();
    let task: Entity | undefined;
    let taskRunning = true;
    let taskReads = 0;
    const keep = (into: Map<string, LogLine>, log: SessionLog): void => {
      for (const l of log.lines) {
        const before = into.get(l.id);
        if (before && before.status === 'running' && l.status !== 'running') { changed.push(`${before.title} → ${l.status}${l.detail ? ` (${l.detail})` : ''}`); }
        into.set(l.id, l);
      }
    };
    const end = Date.now() + 60_000;
    for (let running = true; running;) {
      assert.ok(Date.now() < end, `the session did not end in time: ${counts.join(',')}`);
      const { value: log, calls } = await counted(() => c.sessionLog(started));
      // State first, then the log: a session ending in between is read once more, no last record is lost.
      shapes.add(calls.map(shape).join(' + '));
      const now = new Set(log.lines.map((l) => l.id));
      assert.ok([...kept.keys()].every((id) => now.has(id)), 'records never disappear');
      keep(kept, log);
      counts.push(log.lines.length);
      running = log.running;
      if (running) { assert.ok(log.lines.every((l) => l.status !== 'info'), 'in-progress records show as running, not info'); }
      if (!task) { task = (await c.children(started, undefined)).items[0]; }
      if (task && taskRunning) {
        const tl = await c.sessionLog(task);
        taskReads++;
        keep(keptTask, tl);
        taskRunning = tl.running;
      }
      if (running) { await sleep(100); }
    }
    assert.deepEqual([...shapes], ['GET /api/v1/sessions/{id} + GET /api/v1/sessions/{id}/logs']);
    assert.ok(counts[0] < counts[counts.length - 1], `the log grows: ${counts.join(',')}`);
    assert.ok(counts.every((n, i) => i === 0 || n >= counts[i - 1]), `never shrinks: ${counts.join(',')}`);
    assert.ok(changed.some((x) => /^Processing \S+ → success$/.test(x)), `a record changed in place: ${changed.join('; ')}`);
    assert.ok(changed.some((x) => /^Hard disk 1 \(\d+ GB\) → success \(.* read at /.test(x)), `a task record got its result and description: ${changed.join('; ')}`);
    const final = [...kept.values()];
    assert.equal(final.length, counts[counts.length - 1], 'no line twice');
    assert.ok(final.every((l) => l.status !== 'running'));
    assert.ok(final.some((l) => /^Job finished with success at /.test(l.title)));
    assert.ok(task && taskReads >= 2);
    // Once ended, the log is final: one request.
    const ended = await c.refresh(started);
    assert.equal(ended.status, 'success');
    const { value: last, calls } = await counted(() => c.sessionLog(ended));
    assert.equal(calls.length, 1);
    assert.deepEqual(last.lines.map((l) => l.id), [...kept.values()].sort((a, b) => a.time!.localeCompare(b.time!) || Number(a.id) - Number(b.id)).map((l) => l.id));
    t.diagnostic(`${label}: ${counts.length} reads, records ${counts[0]} → ${counts[counts.length - 1]}, ${changed.length} changed in place; task read ${taskReads}×`);
  });
}

test('short form of a message: first line, first sentence, ~60 characters with an ellipsis', () => {
  assert.equal(short('Failed to connect to host esx01: timeout'), 'Failed to connect to host esx01: timeout');
  assert.equal(short('Error: Failed to connect to host winsrv100.\nDetails: RPC unavailable'), 'Error: Failed to connect to host winsrv100.');
  assert.equal(short('Unable to truncate logs on SQL01. Details: Failed to process \'TruncateSQLLog\' command.'), 'Unable to truncate logs on SQL01.');
  assert.equal(short('Error: Not enough free space on repository \'Primary repository\' (1.2 GB left)'), 'Error: Not enough free space on repository \'Primary reposit…');
  assert.equal(short('Failed to connect to host esx01.lab.local: timeout'), 'Failed to connect to host esx01.lab.local: timeout', 'host names stay whole');
  assert.equal(short('OK. Then more'), 'OK. Then more', 'too short to be a sentence of its own');
  assert.equal(short('\n  \n'), undefined);
  assert.equal(short(undefined), undefined);
  assert.ok(short('x'.repeat(200))!.length === 60);
});

test('log records → lines: status mapping, running vs info, oldest first, offset-less times in the server zone, records without id', () => {
  const c = { canRetry: true, zone: { offsetMinutes: 60 }, now: Date.now() };
  const recs = [
    { id: 3, status: 'None', startTime: '2024-11-10T18:00:59.1+01:00', updateTime: '2024-11-10T18:01:00+01:00', title: 'Processing b', description: '' },
    { id: 2, status: 'Failed', startTime: '2024-11-10T18:00:58.1234567+01:00', title: 'Processing a', description: 'Error: timeout' },
    { id: 1, status: 'Succeeded', startTime: '2024-11-10T17:00:57.5', title: 'Job started', description: '' },
    { id: 4, status: 'warning', startTime: '2024-11-10T18:00:59.1+01:00', title: 'CBT', description: null },
    { id: 5, status: 'Exotic', startTime: null, title: 'Odd' },
  ];
  const live = toLines(recs, true, c);
  assert.deepEqual(live.map((l) => [l.id, l.status]), [['1', 'success'], ['2', 'failed'], ['3', 'running'], ['4', 'warning'], ['5', 'running']]);
  assert.equal(live[0].time, '2024-11-10T16:00:57.500Z', 'an offset-less time is the server\'s wall clock');
  assert.equal(live[1].time, '2024-11-10T17:00:58.123Z');
  assert.equal(live[1].detail, 'Error: timeout');
  assert.equal(live[0].detail, undefined);
  assert.equal(live[4].time, undefined);
  const ended = toLines(recs, false, c);
  assert.equal(ended.find((l) => l.id === '3')?.status, 'info', 'None in an ended session is information');
  const noIds = toLines([{ id: null, title: 'A', status: 'Succeeded' }, { id: null, title: 'A', status: 'Succeeded' }, { title: 'B' }], false, c);
  assert.deepEqual(noIds.map((l) => l.id).sort(), ['t:A', 't:A#2', 't:B'], 'stable ids from the titles');
});

test('nulls everywhere: logs, sessionsSince and repositories still answer', async () => {
  const s = await startSimulator({ seed: 3, vbr: { nulls: true, logRecords: 50 }, onRequestDone: (r) => { if (r.server === 'vbr') { sent.push(r); } } });
  try {
    const c = client(s);
    const fx = s.vbrData.fixtures();
    const big = await c.refresh({ key: 'big', type: 'jobSession', id: fx.bigLogSessionId, name: 'big', hasChildren: true, actions: [], ref: { id: fx.bigLogSessionId } });
    const log = await c.sessionLog(big);
    assert.equal(log.lines.length, 50);
    assert.equal(new Set(log.lines.map((l) => l.id)).size, 50, 'ids from the titles when the server sends null ids');
    const got = await c.sessionsSince({ since: new Date(Date.now() - 2 * DAY).toISOString() });
    assert.ok(got.length > 0 && got.every((e) => e.jobName));
    const repos = await c.repositories();
    assert.ok(repos.length > 0);
  } finally { await s.close(); }
});

test('simulator: task-session logs (and session logs) match the spec of both revisions; 1.3 statusFilter', async (t) => {
  const dir = specsDir(__dirname, 'vbr_rest_1.3-rev2.json');
  if (!dir) { t.skip('VBR specs not found'); return; }
  const s = sims['13'] as SimulatorExt;
  const fx = s.vbrData.fixtures();
  let checked = 0;
  // These requests are the test's own, not the client's: they leave the contract check below.
  const from = sent.length;
  t.after(() => { sent.splice(from); });
  for (const [rev, file] of [['1.3-rev2', 'vbr_rest_1.3-rev2.json'], ['1.2-rev1', 'vbr_rest_1.2-rev1.json']] as const) {
    const spec: OpenApi = loadSpec(dir, file);
    const v = await vbrSession(s.vbrUrl, s.certificate.pem, rev);
    const sessions = (await v.get(`/api/v1/sessions?jobIdFilter=${fx.failedJobId}&limit=3`)).json<{ data: { id: string }[] }>().data;
    for (const x of sessions) {
      const tasks = (await v.get(`/api/v1/sessions/${x.id}/taskSessions`)).json<{ data: { id: string }[] }>().data;
      for (const [tpl, p] of [['/api/v1/sessions/{id}/logs', `/api/v1/sessions/${x.id}/logs`], ...tasks.map((y) => ['/api/v1/taskSessions/{id}/logs', `/api/v1/taskSessions/${y.id}/logs`])]) {
        const r = await v.get(p);
        assert.equal(r.status, 200, `${rev} ${p}: ${r.text.slice(0, 200)}`);
        assert.deepEqual(validate(spec, responseSchema(spec, tpl, 'get', 200)!, r.json()), [], `${rev} ${p}`);
        const body = r.json<{ totalRecords: number; records: { id: number; additionalInfo?: unknown }[] }>();
        assert.equal(body.totalRecords, body.records.length);
        assert.equal(body.records.every((y) => y.additionalInfo !== undefined), rev.startsWith('1.3'), 'additionalInfo only in 1.3');
        checked++;
      }
    }
    const task = (await v.get(`/api/v1/sessions/${sessions[0].id}/taskSessions`)).json<{ data: { id: string }[] }>().data[0];
    const unknown = await v.get('/api/v1/taskSessions/00000000-0000-4000-8000-000000000000/logs');
    assert.equal(unknown.status, 404);
    if (rev === '1.3-rev2') {
      const failed = (await v.get(`/api/v1/taskSessions/${task.id}/logs?statusFilter=Succeeded`)).json<{ records: { status: string }[] }>().records;
      assert.ok(failed.length > 0 && failed.every((y) => y.status === 'Succeeded'));
    }
  }
  t.diagnostic(`${checked} log responses validated`);
});

test('contract: every request the client sent matches the spec of the revision it spoke (0 violations)', (t) => {
  const mine = sent;
  assert.ok(mine.length > 100, `${mine.length} requests`);
  const violations = checkVbrRequests(mine);
  if (!violations) { t.skip('VBR specs not found'); return; }
  const revisions = new Set(mine.map((r) => String(r.headers['x-api-version'])));
  t.diagnostic(`${mine.length} requests checked (revisions ${[...revisions].join(', ')}): ${violations.length} violations`);
  assert.deepEqual(violations, []);
});
