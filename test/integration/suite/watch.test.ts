// The failure watch in the real extension host against the simulator: 'off' makes no request; the first
// look announces nothing that had already ended; a session that fails afterwards gives exactly one
// notification (with Open Log and Show in Tree, which work); after a reload (the service started again
// from global state) nothing is announced twice; many at once become one notification with Show All;
// a server with "watch": false is left alone. Checks are run with checkNow(): no sleep orders anything.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, setServers, waitFor } from './util';
import { setGlobal } from './helpers';

interface Found { server: { def: { name: string } }; entity: { key: string; status?: string; jobName?: string } }
interface Watch {
  lastAsked: string[];
  requests: number; checks: number; scheduled: boolean; active: boolean; intervalOverrideMs?: number;
  checkNow(): Promise<Found[]>; restart(): void; configure(): void;
}
interface Shown { text: string; severity: string; actions: string[] }
type ApiWatch = Api & { failureWatch: Watch; notifications: { shown: Shown[] } };

suite('Failure watch in the extension host', function () {
  this.timeout(90000);
  let sim: SimulatorExt;
  let x: ApiWatch;
  let restore: (() => Promise<void>) | undefined;
  const VB = 'Watch VB365', EM = 'Watch EM';

  const define = async (vbWatch?: boolean) => {
    const fp = sim.certificate.fingerprint256;
    await setServers([
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp, ...(vbWatch === false ? { watch: false } : {}) },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ]);
    await waitFor(() => x.store.list().map((s) => s.def.name).join(), (n) => n === `${VB},${EM}`, 5000);
    for (const s of x.store.list()) { await x.secrets.set(s.key, sim.credentials.password); }
  };

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { sessionsPerJob: 10, jobDurationMs: 1500 }, em: { sessionsPerJob: 20 } });
    x = await api() as ApiWatch;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');   // no overview reading along
    x.prompts.confirm = async () => true;
    x.failureWatch.intervalOverrideMs = 3_600_000;   // the timer never fires during the suite: checkNow() drives it
    await define();
  });

  suiteTeardown(async () => {
    await restore?.();
    x.failureWatch.intervalOverrideMs = undefined;
    await setServers([]);
    await sim?.close();
  });

  test('off (the default): no timer and no request', async () => {
    restore = await setGlobal('veeam', 'watch.failures', 'off');
    x.failureWatch.intervalOverrideMs = 50;
    x.failureWatch.configure();
    sim.resetStats();
    const before = x.failureWatch.requests;
    assert.strictEqual(x.failureWatch.scheduled, false);
    await new Promise((r) => setTimeout(r, 1000));   // twenty intervals: none may run
    assert.deepStrictEqual(await x.failureWatch.checkNow(), [], 'a check while off does nothing');
    assert.strictEqual(x.failureWatch.requests, before);
    assert.strictEqual(sim.stats.requests, 0);
    x.failureWatch.intervalOverrideMs = 3_600_000;
  });

  test('on: the first look announces nothing that already ended; a session failing afterwards gives one notification', async () => {
    await setGlobal('veeam', 'watch.failures', 'failed');
    await waitFor(() => x.failureWatch.active, (a) => a, 5000);
    const shown = x.notifications.shown.length;
    await x.failureWatch.checkNow();                  // the baseline (the switch-on may already have run it)
    assert.deepStrictEqual(await x.failureWatch.checkNow(), []);
    assert.strictEqual(x.notifications.shown.length, shown, 'history is not news');
    // A VB365 job runs and fails.
    const job = sim.vb365Data.jobs().find((j) => j.isEnabled && !j.running)!;
    sim.vb365Data.nextRun(job.id, { status: 'Failed', message: 'Simulated: the organization could not be reached', durationMs: 800 });
    const key = x.store.list().find((s) => s.def.name === VB)!.key;
    const client = (x as unknown as { connections: { client(s: unknown): { startJob(e: unknown): Promise<{ id?: string }> } } }).connections
      .client(x.store.list().find((s) => s.key === key));
    const started = await client.startJob({ key: `job:${job.id}`, id: job.id, type: 'job', name: job.name, hasChildren: true, actions: ['startJob'], ref: { id: job.id } });
    await waitFor(() => sim.vb365Data.sessions().find((s) => s.id === started.id)?.status, (s) => s === 'Failed', 15000);
    const found = await x.failureWatch.checkNow();
    assert.deepStrictEqual(found.map((f) => [f.server.def.name, f.entity.jobName, f.entity.status]), [[VB, job.name, 'failed']]);
    const n = x.notifications.shown.slice(shown);
    assert.strictEqual(n.length, 1, JSON.stringify(n));
    assert.match(n[0].text, new RegExp(`^Backup job ${job.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed on server ${VB}: .*organization could not be reached`));
    assert.strictEqual(n[0].severity, 'error');
    assert.deepStrictEqual(n[0].actions, ['Open Log', 'Show in Tree']);
    assert.deepStrictEqual(await x.failureWatch.checkNow(), [], 'announced once');
    // Its actions: the log opens, the tree shows the session.
    const arg = { serverKey: key, entity: found[0].entity };
    await vscode.commands.executeCommand('veeam.openSessionLogFor', arg);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'veeam-log');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const node = await vscode.commands.executeCommand('veeam.revealSession', arg) as { entity?: { key: string } } | undefined;
    assert.strictEqual(node?.entity?.key, found[0].entity.key);
  });

  test('after a reload nothing is announced twice (the last look is kept in global state)', async () => {
    const shown = x.notifications.shown.length;
    x.failureWatch.restart();
    assert.deepStrictEqual(await x.failureWatch.checkNow(), []);
    assert.strictEqual(x.notifications.shown.length, shown);
  });

  test('Enterprise Manager: failed and warning; many at once are one notification with Show All', async () => {
    await setGlobal('veeam', 'watch.failures', 'failedAndWarning');
    await waitFor(() => x.failureWatch.active, (a) => a, 5000);
    await x.failureWatch.checkNow();
    const shown = x.notifications.shown.length;
    const jobs = sim.emData.jobs();
    for (let i = 0; i < 4; i++) {
      sim.emData.addSession(jobs[i % jobs.length].id, { result: i % 2 ? 'Warning' : 'Failed', message: `Simulated problem ${i}`, agoMs: 1000 + i, durationMs: 60_000 });
    }
    const found = await x.failureWatch.checkNow();
    assert.strictEqual(found.length, 4, JSON.stringify(found.map((f) => f.entity.key)));
    const n = x.notifications.shown.slice(shown);
    assert.strictEqual(n.length, 1, JSON.stringify(n));
    assert.match(n[0].text, new RegExp(`^4 backup job sessions failed or ended with a warning on ${EM}\\.$`));
    assert.deepStrictEqual(n[0].actions, ['Show All']);
    assert.deepStrictEqual(await x.failureWatch.checkNow(), []);
  });

  test('a server with "watch": false is not asked', async () => {
    await define(false);
    await x.failureWatch.checkNow();
    sim.resetStats();
    const before = x.failureWatch.requests;
    await x.failureWatch.checkNow();
    assert.deepStrictEqual(x.failureWatch.lastAsked, [EM]);
    assert.strictEqual(x.failureWatch.requests - before, 1, 'one look, at EM only');
    // (The tree reloads the VB365 node it had expanded, since its definition changed: those reads are the tree's.)
    assert.ok(!sim.stats.log.some((r) => r.server === 'vb365' && /\/JobSessions\?/.test(r.path) && !/jobId=/.test(r.path)),
      JSON.stringify(sim.stats.log.map((r) => `${r.server} ${r.path}`)));
    assert.ok(sim.stats.log.some((r) => r.server === 'em' && /type=BackupJobSession/.test(r.path)));
    await define();
  });
});
