// "Why did it fail" in the extension host (VB365 here; EM and VBR in their suites): failure reasons
// in descriptions and tooltips, Copy Failure Message, the session log document that follows a running
// session and stops polling when its tab closes, Stop with one POST, and menus by state.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, setServers, TreeNode, waitFor } from './util';

type Logs = { following(): number; requests: number };

suite('Why did it fail: reasons, logs, stop (extension host)', function () {
  this.timeout(90000);
  let sim: SimulatorExt;
  let x: Api;
  let logs: Logs;
  const confirms: string[] = [];

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { sessionsPerJob: 20, jobDurationMs: 4000 } });
    x = await api();
    logs = (x as unknown as { logs: Logs }).logs;
    x.prompts.confirm = async (m: unknown) => { confirms.push(String(m)); return true; };
    x.prompts.password = async () => undefined;
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await setServers([{ name: 'Why VB365', kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 }]);
    await waitFor(() => x.store.list().length, (n) => n === 1, 5000);
    const key = x.store.list()[0].key;
    await x.secrets.set(key, sim.credentials.password);
    await x.connections.forget(key);
    x.tree.refresh();
  });

  setup(() => { confirms.length = 0; });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setServers([]);
    await sim?.close();
  });

  const jobsFolder = async () => byLabel(await children(x, (await children(x))[0]), 'Jobs');
  const jobNode = async (name: string): Promise<TreeNode> => byLabel(await children(x, await jobsFolder()), name);

  test('a failed session says why: short reason in the description, whole text in the tooltip and in Copy Failure Message', async () => {
    const failed = sim.vb365Data.sessions().find((s) => s.status === 'Failed' && s.message)!;
    assert.ok(failed, 'the simulator has a failed session with a message');
    const sessions = await children(x, await jobNode(failed.jobName));
    const row = sessions.find((s) => /^Failed · /.test(String(s.item.description)))!;
    assert.ok(row, JSON.stringify(sessions.map((s) => s.item.description)));
    const expected = sim.vb365Data.sessions().find((s) => s.jobName === failed.jobName && s.status === 'Failed' && s.message)!;
    assert.ok(String(row.item.description).includes(expected.message.slice(0, 20)), `${row.item.description} vs ${expected.message}`);
    assert.ok((row.item.tooltip as vscode.MarkdownString).value.replace(/\\/g, '').includes(expected.message.slice(0, 40)));
    assert.match(String(row.item.contextValue), /;copyMessage(;|$)/);
    assert.match(String(row.item.contextValue), /;openLog(;|$)/);
    const copied = await vscode.commands.executeCommand<string>('veeam.copyMessage', row.node);
    assert.strictEqual(copied, expected.message);
  });

  test('Open Session Log of a failed session: one line per record, the failure line marked, newest at the bottom', async () => {
    const failed = sim.vb365Data.sessions().find((s) => s.status === 'Failed' && s.message)!;
    const sessions = await children(x, await jobNode(failed.jobName));
    const row = sessions.find((s) => /^Failed · /.test(String(s.item.description)))!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeam.openSessionLog', row.node);
    const text = editor.document.getText();
    const lines = text.split('\n').filter((l) => /^(✖|⚠|✔|…| ) /.test(l));
    assert.ok(lines.length >= 2, text.slice(0, 500));
    assert.ok(lines.some((l) => l.startsWith('✖ Failed')), 'a failed line is marked');
    const stamps = lines.map((l) => l.slice(12, 31)).filter((t) => /\d{4}-/.test(t));
    assert.deepStrictEqual(stamps, [...stamps].sort(), 'oldest first, newest at the bottom');
    assert.strictEqual(editor.document.languageId, 'log');
    assert.strictEqual(editor.document.uri.path.split('/').pop(), `${failed.jobName} ${row.label}.log`, 'the tab names the job and the session');
    assert.strictEqual(logs.following(), 0, 'an ended session is not followed');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the log of a running session follows it live, and a closed tab makes no more requests', async () => {
    const job = sim.vb365Data.jobs().find((j) => j.isEnabled && !j.running)!;
    sim.vb365Data.nextRun(job.id, { status: 'Warning', message: 'Item was skipped: item size exceeds 150 MB', durationMs: 60000, logItems: 40 });
    const started = vscode.commands.executeCommand('veeam.startJob', (await jobNode(job.name)).node);
    void started;
    const session = await waitFor(() => sim.vb365Data.sessions().find((s) => s.jobId === job.id && s.status === 'Running'), (s) => !!s, 15000);
    const list = await children(x, await jobNode(job.name));
    const running = list.find((s) => /^Running/.test(String(s.item.description)));
    assert.ok(running, JSON.stringify(list.slice(0, 3).map((s) => s.item.description)));
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeam.openSessionLog', running!.node);
    assert.strictEqual(logs.following(), 1, 'a running session is followed');
    const count0 = editor.document.lineCount;
    await waitFor(() => editor.document.lineCount, (n) => n > count0, 20000);
    const before = logs.requests;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => logs.following(), (n) => n === 0, 5000);
    const t0 = Date.now();
    await waitFor(() => Date.now() - t0, (ms) => ms > 2500, 5000);           // two poll intervals
    assert.strictEqual(logs.requests, before, 'no log request after the tab closed');
    assert.ok(sim.stats.log.filter((r) => r.at > t0 && r.path.includes(`/JobSessions/${session!.id}/LogItems`)).length === 0);
    // Stop it: confirmed naming the job, one POST, the session ends and leaves the status bar.
    const stopped = sim.stats.totalPosts;
    await vscode.commands.executeCommand('veeam.stopJob', (await jobNode(job.name)).node);
    assert.match(confirms.at(-1)!, new RegExp(`^Stop the job "${job.name}"`));
    assert.strictEqual(sim.stats.totalPosts - stopped, 1);
    await waitFor(() => x.statusBar.item.text, (t) => !t.includes(job.name), 20000);
  });

  test('menus by state: no Stop on an idle job, Enable only on a disabled one', async () => {
    await waitFor(() => sim.vb365Data.jobs().filter((j) => j.running).length, () => true, 1000);
    const folder = await jobsFolder();
    x.tree.refresh(folder.node);
    const all = await children(x, folder);
    for (const j of sim.vb365Data.jobs()) {
      const n = byLabel(all, j.name);
      const cv = String(n.item.contextValue);
      assert.strictEqual(/;stopJob(;|$)/.test(cv), j.running, `${j.name}: stop iff running (${cv})`);
      assert.strictEqual(/;enableJob(;|$)/.test(cv), !j.isEnabled, `${j.name}: enable iff disabled`);
      assert.strictEqual(/;disableJob(;|$)/.test(cv), j.isEnabled, `${j.name}: disable iff enabled`);
    }
  });
});
