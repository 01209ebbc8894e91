// Issue #9 on VB365, against the simulator over real HTTPS: failure messages and their short forms, the actions
// each entity lists in its state, Stop/Enable/Disable on v8 (separate endpoints) and v5 (…/action bodies) with one
// POST each and the server's refusals, session logs (every page of a 10,000-record log, a live log that grows and
// changes while its session runs, sync sessions), sessionsSince across pages and windows, and repository capacity.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { SimJobSession } from '../simulator/types';
import { Entity, ServerClient, detailsOf } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import * as N from '../../src/api/vb365/normalize';
import { expectFailure, makeClient, until } from './helpers';

const DAY = 86_400_000;
const messages: string[] = [];
const failure = (p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp) => expectFailure(messages, p, kind, re);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: SimulatorExt;
const clients: ServerClient[] = [];
/** A client pinned to a version (v8 is also what detection finds). */
function client(v: 'v5' | 'v6' | 'v7' | 'v8' = 'v8'): ServerClient {
  const c = makeClient(sim, 'vb365', { apiVersion: v }, { pageSize: 50 }).client;
  clients.push(c);
  return c;
}

before(async () => {
  sim = await startSimulator({
    seed: 9,
    vb365: { versions: ['v5', 'v6', 'v7', 'v8'], sessionsPerJob: 400, benchLogItems: 10_000, maxPageSize: 1000, syncDurationMs: 600 },
  });
});
after(async () => {
  for (const c of clients) { await c.dispose(); }
  await sim.close();
});

async function folder(c: ServerClient, role: string): Promise<Entity> {
  return (await c.children(undefined, undefined)).items.find((e) => e.ref.folder === role)!;
}
async function jobs(c: ServerClient): Promise<Entity[]> { return (await c.children(await folder(c, 'jobs'), undefined)).items; }
async function job(c: ServerClient, name: string): Promise<Entity> { return (await jobs(c)).find((j) => j.name === name)!; }
const truthOf = (): Map<string, SimJobSession> => new Map(sim.vb365Data.sessions().map((s) => [s.id, s]));
const posts = () => ({ ...sim.stats.posts });
const gets = (re: RegExp) => sim.stats.log.filter((r) => r.method === 'GET' && re.test(r.path));
/** An enabled job that does not run now (each test takes its own, by name). */
const idleJob = (name: string) => {
  const j = sim.vb365Data.jobs().find((x) => x.name === name)!;
  assert.ok(j.isEnabled && !j.running, `${name} is enabled and idle`);
  return j;
};

describe('VB365 actions listed per state', () => {
  test('jobs: Stop only while running, Start only enabled and idle, Enable or Disable by state, never Retry', async () => {
    const c = client();
    const listed = await jobs(c);
    const truth = new Map(sim.vb365Data.jobs().map((j) => [j.id, j]));
    const seen = { running: 0, idle: 0, disabled: 0 };
    for (const j of listed) {
      const t = truth.get(j.id!)!;
      const has = (a: string) => (j.actions as string[]).includes(a);
      assert.equal(has('retryJob'), false, `${j.name}: the VB365 API has no retry`);
      assert.equal(has('stopJob'), t.running, `${j.name}: stop only while running`);
      assert.equal(has('startJob'), t.isEnabled && !t.running, `${j.name}: start only when enabled and idle`);
      assert.equal(has('enableJob'), !t.isEnabled, `${j.name}: enable only when disabled`);
      assert.equal(has('disableJob'), t.isEnabled, `${j.name}: disable only when enabled`);
      assert.ok(!has('openLog') && !has('copyMessage'), 'a job payload has no message (lastStatus only)');
      seen[t.running ? 'running' : t.isEnabled ? 'idle' : 'disabled']++;
    }
    assert.ok(seen.running >= 1 && seen.idle >= 1 && seen.disabled >= 1, JSON.stringify(seen));
    assert.equal((c as { retryJob?: unknown }).retryJob, undefined, 'the client offers no retryJob');
  });

  test('sessions: Open Log always, Copy Message with a message, Stop only while running; nothing without an id', async () => {
    const c = client();
    const running = (await jobs(c)).find((j) => j.status === 'running')!;
    const sessions = (await c.children(running, undefined)).items;
    for (const s of sessions) {
      assert.ok(s.actions.includes('openLog'), `${s.name} opens its log`);
      assert.equal(s.actions.includes('stopJob'), s.status === 'running', `${s.name} (${s.status}): stop only while running`);
      assert.equal(s.actions.includes('copyMessage'), !!s.message);
      assert.equal(s.ref.jobId, running.id);
      assert.equal(s.jobName, running.name);
    }
    assert.ok(sessions.some((s) => s.status === 'running') && sessions.some((s) => s.status !== 'running'));
    for (const e of [N.job({ name: 'no id', isEnabled: false, lastStatus: 'Running' }), N.jobSession({ status: 'Failed', details: 'Mailbox quota exceeded' }),
      N.syncSession({ state: 'Failed', error: 'Boom' })]) {
      assert.deepEqual(e.actions, ['openJson'], `${e.type} without an id offers nothing that needs one`);
    }
    const unknown = N.job({ id: 'b', name: 'J', isEnabled: null, lastStatus: 'Success' });
    assert.ok(!unknown.actions.includes('enableJob') && !unknown.actions.includes('disableJob'), 'no enable/disable when the server does not say');
  });
});

describe('VB365 failure messages', () => {
  test('failed and warning sessions carry the server\'s message: whole in message and tooltip, short in the description', async () => {
    const c = client();
    const truth = truthOf();
    let failed = 0; let warned = 0;
    for (const j of await jobs(c)) {
      for (const s of (await c.children(j, undefined)).items) {
        const t = truth.get(s.id!)!;
        assert.ok(t, `${s.id} is a simulator session`);
        if (s.status === 'failed' || s.status === 'warning') {
          assert.ok(t.message, 'the simulator gives every failed and warning session a message');
          assert.equal(s.message, t.message);
          const short = N.shortMessage(t.message);
          assert.ok(short.length <= 60, short);
          assert.match(s.description!, new RegExp(`^${s.status === 'failed' ? 'Failed' : 'Warning'} · \\d+ (min|h|d|mo) ago · `));
          assert.ok(s.description!.endsWith(` · ${short}`), `${s.description} ends with ${short}`);
          assert.deepEqual(detailsOf(s).find((d) => d.label === 'Message'), { label: 'Message', value: t.message });
          assert.ok(s.actions.includes('copyMessage'));
          if (s.status === 'failed') { failed++; } else { warned++; }
        } else {
          assert.equal(s.message, undefined, `${s.status} has no failure message`);
          assert.ok(!s.actions.includes('copyMessage'));
        }
      }
    }
    assert.ok(failed >= 3 && warned >= 3, `failed ${failed}, warning ${warned}`);
  });

  test('short forms: the first line, its first sentence, at most 60 characters with an ellipsis', () => {
    const end = new Date(Date.now() - 2 * 3_600_000 - 60_000).toISOString();
    const start = new Date(Date.parse(end) - 600_000).toISOString();
    const s = N.jobSession({ id: 'a', status: 'Failed', details: 'Mailbox quota exceeded', creationTime: start, endTime: end });
    assert.equal(s.description, 'Failed · 2 h ago · Mailbox quota exceeded');
    assert.equal(s.message, 'Mailbox quota exceeded');
    assert.equal(s.metrics?.durationSec, 600);
    assert.equal(N.shortMessage('Connection to the organization was lost. Unable to connect to the remote server.'), 'Connection to the organization was lost');
    assert.equal(N.shortMessage('Item was skipped: item size exceeds 150 MB'), 'Item was skipped: item size exceeds 150 MB');
    const long = N.shortMessage('Failed to process mailbox finance@contoso.onmicrosoft.com: The remote server returned an error: (503) Server Unavailable.');
    assert.ok(long.length <= 60 && long.endsWith('…') && long.startsWith('Failed to process mailbox finance@contoso.onmicrosoft.com'), long);
    const lines = N.shortMessage('Failed to process team Retail.\nThe request failed. The underlying connection was closed.');
    assert.equal(lines, 'Failed to process team Retail');
    const word = N.shortMessage('x'.repeat(200));
    assert.equal(word.length, 60);
    const ok = N.jobSession({ id: 'b', status: 'Success', details: 'Processed 12 mailboxes', creationTime: start, endTime: end });
    assert.equal(ok.message, undefined);
    assert.doesNotMatch(ok.description!, /Processed/);
  });
});

describe('VB365 stop, enable and disable', () => {
  for (const v of ['v8', 'v5'] as const) {
    test(`${v}: Stop Job sends one POST (${v === 'v8' ? 'Jobs/{id}/stop' : 'Jobs/{id}/action {"stop":null}'}), the session ends Stopped, the job offers Start again`, async () => {
      const c = client(v);
      const t = idleJob(v === 'v8' ? 'Exchange daily' : 'Teams backup');
      sim.vb365Data.nextRun(t.id, { durationMs: 120_000 });
      const started = await c.startJob!(await job(c, t.name));
      const j = await job(c, t.name);
      assert.equal(j.status, 'running');
      assert.ok(j.actions.includes('stopJob') && !j.actions.includes('startJob'), j.actions.join());
      sim.resetStats();
      const r = await c.stopJob!(j);
      assert.equal(r, undefined, 'a stopped job names no session (204 / 200 without a body)');
      const path = v === 'v8' ? `/v8/Jobs/${t.id}/stop` : `/v5/Jobs/${t.id}/action`;
      assert.deepEqual(posts(), { [path]: 1 });
      assert.equal(sim.stats.totalPosts, 1);
      const rec = sim.stats.log.find((x) => x.method === 'POST')!;
      assert.equal(rec.body, v === 'v8' ? '' : '{"stop":null}');
      const ended = await c.refresh(started);
      assert.equal(ended.status, 'stopped');
      assert.ok(!ended.actions.includes('stopJob'));
      const after = await c.refresh(j);
      assert.ok(after.actions.includes('startJob') && !after.actions.includes('stopJob'), after.actions.join());
    });

    test(`${v}: Disable then Enable: one POST each, the job's actions follow its state`, async () => {
      const c = client(v);
      const t = idleJob(v === 'v8' ? 'Fabrikam entire org' : 'Exchange daily');
      const j = await job(c, t.name);
      sim.resetStats();
      assert.equal(await c.setJobEnabled!(j, false), undefined);
      const dpath = v === 'v8' ? `/v8/Jobs/${t.id}/disable` : `/v5/Jobs/${t.id}/action`;
      assert.deepEqual(posts(), { [dpath]: 1 });
      assert.equal(sim.stats.log.find((x) => x.method === 'POST')!.body, v === 'v8' ? '' : '{"disable":null}');
      const off = await c.refresh(j);
      assert.equal(off.status, 'disabled');
      assert.deepEqual([...off.actions].filter((a) => /Job$/.test(a)).sort(), ['enableJob']);
      sim.resetStats();
      await c.setJobEnabled!(off, true);
      const epath = v === 'v8' ? `/v8/Jobs/${t.id}/enable` : `/v5/Jobs/${t.id}/action`;
      assert.deepEqual(posts(), { [epath]: 1 });
      assert.equal(sim.stats.log.find((x) => x.method === 'POST')!.body, v === 'v8' ? '' : '{"enable":null}');
      const on = await c.refresh(j);
      assert.notEqual(on.status, 'disabled');
      assert.deepEqual([...on.actions].filter((a) => /Job$/.test(a)).sort(), ['disableJob', 'startJob']);
    });

    test(`${v}: refusals carry the server's message, one POST each: stop of an idle job, enable of an enabled one, disable and start of a disabled one`, async () => {
      const c = client(v);
      const idle = await job(c, idleJob('Fabrikam entire org').name);
      const disabled = (await jobs(c)).find((j) => j.status === 'disabled')!;
      const cases: { what: string; run: () => Promise<unknown>; re: RegExp }[] = [
        { what: 'stop idle', run: () => c.stopJob!(idle), re: /^Job "Fabrikam entire org" is not running\. \(HTTP 400\)$/ },
        { what: 'enable enabled', run: () => c.setJobEnabled!(idle, true), re: /is already enabled\. \(HTTP 400\)$/ },
        { what: 'disable disabled', run: () => c.setJobEnabled!(disabled, false), re: /is already disabled\. \(HTTP 400\)$/ },
        { what: 'start disabled', run: () => c.startJob!(disabled), re: /is disabled\. Enable the job to start it\. \(HTTP 400\)$/ },
      ];
      for (const k of cases) {
        sim.resetStats();
        const err = await failure(k.run(), 'http', k.re);
        assert.equal(err.status, 400, k.what);
        assert.ok(err.extra.serverMessage && err.message.startsWith(err.extra.serverMessage), `${k.what}: the server's own message`);
        assert.equal(sim.stats.totalPosts, 1, `${k.what}: one POST`);
      }
    });
  }

  for (const v of ['v8', 'v7'] as const) {
    test(`${v}: Stop on a running session stops its job (${v === 'v7' ? 'job id from the session\'s link' : 'jobId'}) and returns the session to follow`, async () => {
      const c = client(v);
      const t = idleJob(v === 'v8' ? 'Fabrikam entire org' : 'Exchange daily');
      sim.vb365Data.nextRun(t.id, { durationMs: 120_000 });
      await c.startJob!(await job(c, t.name));
      const session = (await c.children(await job(c, t.name), undefined)).items.find((s) => s.status === 'running')!;
      assert.ok(session.actions.includes('stopJob'));
      const fresh = await c.refresh(session);
      assert.equal(fresh.ref.jobId, t.id, 'a re-read session keeps its job');
      sim.resetStats();
      const r = await c.stopJob!(fresh);
      assert.equal(r, fresh);
      assert.deepEqual(posts(), { [`/${v}/Jobs/${t.id}/stop`]: 1 });
      assert.equal((await c.refresh(fresh)).status, 'stopped');
    });
  }

  test('never sent twice: a stop answered 503 or 401 is reported, one POST', async () => {
    const c = client();
    const t = idleJob('Teams backup');
    sim.vb365Data.nextRun(t.id, { durationMs: 120_000 });
    await c.startJob!(await job(c, t.name));
    const j = await job(c, t.name);
    sim.resetStats();
    sim.addFault({ kind: 'status', status: 503, server: 'vb365', method: 'POST', path: /\/stop$/, times: 1 });
    await failure(c.stopJob!(j), 'http', /HTTP 503/);
    assert.equal(sim.stats.totalPosts, 1);
    sim.resetStats();
    sim.expireTokens();
    await failure(c.stopJob!(j), 'auth', /nothing was started/);
    assert.deepEqual(Object.keys(posts()).filter((p) => !/\/token$/i.test(p)), [`/v8/Jobs/${t.id}/stop`]);
    assert.equal(posts()[`/v8/Jobs/${t.id}/stop`], 1, 'the rejected POST is not sent again after the renewal');
    await c.stopJob!(j);
    assert.equal((await c.refresh(j)).status, 'stopped');
  });
});

describe('VB365 session logs', () => {
  async function bigSession(c: ServerClient): Promise<Entity> {
    const id = sim.vb365Data.bigLogSession()!;
    const s = (await c.children((await jobs(c))[0], undefined)).items.find((x) => x.id === id);
    assert.ok(s, 'the big log session is listed under the first job');
    return s;
  }

  test('a 10,000-record log: every page read (10 × 1000), every record once, oldest first; v6 titles read the same', async () => {
    const c = client();
    const s = await bigSession(c);
    sim.resetStats();
    const log = await c.sessionLog!(s);
    assert.equal(log.running, false);
    assert.equal(log.lines.length, 10_000);
    assert.equal(sim.vb365Data.logItemCount(s.id!), 10_000);
    assert.equal(new Set(log.lines.map((l) => l.id)).size, 10_000);
    const pages = gets(/\/LogItems\?/).map((r) => Number(/offset=(\d+)/.exec(r.path)![1]));
    assert.deepEqual(pages, Array.from({ length: 10 }, (_, i) => i * 1000), 'every page, in order');
    assert.equal(gets(new RegExp(`/JobSessions/${s.id}$`)).length, 0, 'a finished session is not read again');
    const times = log.lines.map((l) => Date.parse(l.time!));
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]), 'oldest first');
    assert.match(log.lines[0].title, /^Job started at /);
    assert.match(log.lines[9999].title, /^Job finished successfully at /);
    assert.ok(log.lines.every((l) => l.status === 'success'), 'a successful run');
    const v6 = await client('v6').sessionLog!(s);
    assert.deepEqual(v6.lines.map((l) => [l.id, l.status, l.title]), log.lines.map((l) => [l.id, l.status, l.title]), 'v6 "[Type] text" titles give the same lines');
  });

  test('a failed session\'s log: failed lines, the session\'s message among them, details on the next line', async () => {
    const c = client();
    const failed = (await c.children(await job(c, 'Fabrikam entire org'), undefined)).items.find((s) => s.status === 'failed' && s.message)!;
    const log = await c.sessionLog!(failed);
    assert.ok(log.lines.length >= 10, `tens of records at least (${log.lines.length})`);
    const bad = log.lines.filter((l) => l.status === 'failed');
    assert.ok(bad.length >= 2, 'the failing record and the end record');
    const firstLine = failed.message!.split('\n')[0];
    assert.ok(bad.some((l) => l.title === firstLine), `a failed line says ${firstLine}`);
    assert.match(log.lines[log.lines.length - 1].title, /^Job finished with error/);
    const multi = log.lines.find((l) => l.detail);
    if (multi) { assert.ok(!multi.title.includes('\n') && multi.detail!.length > 0); }
  });

  test('a running session\'s log grows and its records change in place; it ends with the session (Warning)', async () => {
    const c = client();
    const t = idleJob('Exchange daily');
    const message = 'Item was skipped: item size exceeds 150 MB';
    sim.vb365Data.nextRun(t.id, { status: 'Warning', message, durationMs: 3000, logItems: 30 });
    const session = await c.startJob!(await job(c, t.name));
    await sleep(250); // a few records (one every ~100 ms)
    sim.resetStats();
    const first = await c.sessionLog!(session);
    assert.equal(first.running, true);
    assert.equal(gets(new RegExp(`/v8/JobSessions/${session.id}$`)).length, 1, 'a running session is read first, then its log');
    const last = first.lines[first.lines.length - 1];
    assert.equal(last.status, 'running', `the record in progress: ${last.title}`);
    await sleep(450);
    const second = await c.sessionLog!(session);
    assert.ok(second.lines.length > first.lines.length, `grows: ${first.lines.length} → ${second.lines.length}`);
    const same = second.lines.find((l) => l.id === last.id)!;
    assert.notEqual(same.status, 'running', 'the record that was running has finished (same id)');
    assert.deepEqual(second.lines.slice(0, first.lines.length - 1), first.lines.slice(0, -1), 'finished records do not change');
    const done = await until(() => c.sessionLog!(session), (l) => !l.running, 10_000, 250);
    assert.equal(done.lines.length, 30);
    assert.ok(done.lines.every((l) => l.status !== 'running'));
    assert.ok(done.lines.some((l) => l.status === 'warning' && l.title === message));
    assert.match(done.lines[29].title, /^Job finished with warning/);
    const s = await c.refresh(session);
    assert.equal(s.status, 'warning');
    assert.equal(s.message, message);
    assert.ok(s.description!.endsWith(` · ${message}`) && s.actions.includes('copyMessage'));
  });

  test('a sync session: the API keeps no log, so a note and the session\'s own state; a failed sync carries its error', async () => {
    const c = client();
    const repo = (await c.children(await folder(c, 'repos'), undefined)).items.find((r) => r.name === 'Archive Repo')!;
    const error = 'Object storage is unreachable: The remote name could not be resolved: contoso-archive.blob.core.windows.net. Check the connection to the object storage.';
    sim.vb365Data.failSync(repo.id!, error);
    const sync = await c.sync!(repo);
    const live = await c.sessionLog!(sync);
    assert.match(live.note!, /no log for repository synchronization/);
    assert.ok(live.running || live.lines[0].status === 'failed');
    const failed = await until(() => c.refresh(sync), (e) => e.status !== 'running', 10_000, 100);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.message, error);
    assert.equal(failed.description, `Failed · ${N.shortMessage(error)}`);
    assert.ok(failed.actions.includes('copyMessage') && failed.actions.includes('openLog'));
    const log = await c.sessionLog!(failed);
    assert.equal(log.running, false);
    assert.deepEqual(log.lines.map((l) => l.status), ['failed', 'info', 'failed']);
    assert.equal(log.lines[2].title, error);
    const ok = N.syncSession({ id: 'x', repositoryId: 'r', state: 'None', progressPercent: 100, error: null }, 'Local Repo');
    assert.equal(ok.message, undefined);
    assert.ok(!ok.actions.includes('copyMessage') && ok.actions.includes('openLog'));
  });
});

describe('VB365 sessionsSince and repositories', () => {
  const inWindow = (since: number, until: number) => sim.vb365Data.sessions()
    .filter((s) => { const t = Date.parse(s.creationTime); return t >= since && t <= until; });

  function checkAgainst(got: Entity[], want: SimJobSession[]): void {
    assert.deepEqual(got.map((e) => e.id), [...want].sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime)).map((s) => s.id),
      'exactly the sessions of the window, newest first');
    const truth = new Map(want.map((s) => [s.id, s]));
    for (const e of got) {
      const t = truth.get(e.id!)!;
      assert.equal(e.type, 'jobSession');
      assert.equal(e.jobName, t.jobName);
      assert.equal(e.startedAt, t.creationTime);
      if (t.status === 'Running') { continue; }
      assert.equal(e.endedAt, t.endTime);
      assert.equal(e.metrics?.durationSec, Math.round((Date.parse(t.endTime!) - Date.parse(t.creationTime)) / 1000));
      assert.equal(e.metrics?.transferredBytes, t.transferredBytes);
      assert.equal(e.message, t.message || undefined);
    }
  }

  test('v8: every session of a 300-day window, across pages of 1000, stopping at the first page that reaches back past it', async () => {
    const c = client();
    const until = Date.now();
    const since = until - 300 * DAY;
    sim.resetStats();
    const got = await c.sessionsSince!({ since: new Date(since).toISOString(), until: new Date(until).toISOString() });
    const want = inWindow(since, until);
    assert.ok(want.length > 1000, `more than a page (${want.length})`);
    checkAgainst(got, want);
    const pages = gets(/^\/v8\/JobSessions\?/);
    assert.equal(pages.length, Math.floor(want.length / 1000) + 1, pages.map((p) => p.path).join(', '));
    assert.ok(pages.every((p) => /limit=10000/.test(p.path)), 'the largest page is asked for');
    assert.equal(gets(/^\/v8\/Jobs/).length, 1, 'one read of the jobs (their names), nothing per job');
  });

  test('windows: until, limit, an empty window', async () => {
    const c = client();
    const now = Date.now();
    const [since, until] = [now - 20 * DAY, now - 10 * DAY];
    checkAgainst(await c.sessionsSince!({ since: new Date(since).toISOString(), until: new Date(until).toISOString() }), inWindow(since, until));
    const newest = await c.sessionsSince!({ since: new Date(now - 30 * DAY).toISOString(), limit: 7 });
    assert.deepEqual(newest.map((e) => e.id), inWindow(now - 30 * DAY, Date.now()).slice(0, 7).map((s) => s.id));
    assert.deepEqual(await c.sessionsSince!({ since: new Date(now + DAY).toISOString(), until: new Date(now + 2 * DAY).toISOString() }), []);
  });

  for (const v of ['v7', 'v6', 'v5'] as const) {
    test(`${v}: the same sessions (${v === 'v7' ? 'server-wide, job names from each session\'s job link' : 'job by job, the payloads name no job'})`, async () => {
      const c = client(v);
      const until = Date.now();
      const since = until - 60 * DAY;
      sim.resetStats();
      checkAgainst(await c.sessionsSince!({ since: new Date(since).toISOString(), until: new Date(until).toISOString() }), inWindow(since, until));
      const perJob = gets(new RegExp(`^/${v}/Jobs/[^/]+/JobSessions`)).length;
      const wide = gets(new RegExp(`^/${v}/JobSessions\\?`)).length;
      if (v === 'v7') { assert.deepEqual([wide, perJob], [1, 0]); } else { assert.deepEqual([wide, perJob], [0, sim.vb365Data.jobs().length]); }
    });
  }

  for (const v of ['v8', 'v5'] as const) {
    test(`${v}: repositories() lists every repository with its capacity in one request`, async () => {
      const c = client(v);
      sim.resetStats();
      const repos = await c.repositories!();
      const want = sim.vb365Data.repositories();
      assert.deepEqual(repos.map((r) => [r.id, r.capacity]), want.map((r) => [r.id, { totalBytes: r.capacityBytes, freeBytes: r.freeSpaceBytes }]));
      assert.equal(gets(/BackupRepositories/).length, 1);
    });
  }
  test('a repository without sizes has no capacity', () => {
    assert.equal(N.repository({ id: 'r', name: 'x', capacityBytes: null, freeSpaceBytes: 5 }).capacity, undefined);
  });
});
