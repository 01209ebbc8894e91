// Enterprise Manager in the extension host: the tree, filters that persist, native XML and
// JSON tabs, and starting a job through a Task.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, labels, setServers, waitFor } from './util';

suite('Enterprise Manager in the extension host', function () {
  this.timeout(60000);
  let sim: SimulatorExt;
  let x: Api;
  let key: string;

  suiteSetup(async () => {
    sim = await startSimulator({ em: { sessionsPerJob: 120, jobDurationMs: 2500 } });
    x = await api();
    x.prompts.confirm = async () => true;
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await setServers([{ name: 'Sim EM', kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 }]);
    key = x.store.list()[0].key;
    await x.secrets.set(key, sim.credentials.password);
  });

  suiteTeardown(async () => {
    await setServers([]);
    await sim?.close();
  });

  test('tree: backup servers → jobs → sessions → task sessions; replica and backup session folders', async () => {
    const server = (await children(x))[0];
    const top = await children(x, server);
    assert.deepStrictEqual(labels(top), ['Backup Servers', 'Replica Sessions (last 30 days)', 'Backup Sessions']);
    const bs = await children(x, byLabel(top, 'Backup Servers'));
    assert.strictEqual(bs.length, 2);
    const [jobsFolder, reposFolder] = await children(x, bs[0]);
    assert.deepStrictEqual([jobsFolder.label, reposFolder.label], ['Jobs', 'Repositories']);
    const repos = await children(x, reposFolder);
    assert.ok(repos.length > 0 && /free of/.test(repos[0].item.description as string));
    const jobs = await children(x, jobsFolder);
    assert.ok(jobs.length >= 3);
    assert.match(jobs[0].item.contextValue!, /;startJob(;|$)/);
    const sessions = await children(x, jobs[0]);
    assert.ok(sessions.length > 1);
    const ended = sessions.find((s) => /^(Success|Warning|Failed) · /.test(String(s.item.description)))!;
    assert.ok(ended, 'an ended session shows "Result · time ago"');
    const tasks = await children(x, ended);
    assert.ok(tasks.length >= 1);
    assert.ok((tasks[0].item.tooltip as vscode.MarkdownString).value.includes('VM'));
  });

  test('Jobs show after one request; their last runs follow in one change of the folder', async () => {
    const bs = await children(x, byLabel(await children(x, (await children(x))[0]), 'Backup Servers'));
    const jobsFolder = (await children(x, bs.find((b) => /^vbr01/.test(b.label)) ?? bs[0]))[0];
    x.tree.refresh(jobsFolder.node);
    const changes: unknown[] = [];
    const sub = x.tree.onDidChangeTreeData((n) => changes.push(n));
    try {
      const n0 = sim.stats.log.length;
      const listed = await x.tree.getChildren(jobsFolder.node);
      const shown = listed.map((n) => x.tree.getTreeItem(n));
      assert.deepStrictEqual(sim.stats.log.slice(n0, n0 + 1).map((r) => r.path.split('&')[0]), ['/api/query?type=Job']);
      const sql = shown.find((i) => i.label === 'SQL Backup')!;
      assert.match(String(sql.description), /^Backup · VMware/, 'shown before its last run is known');
      assert.ok(!/status-running/.test(sql.contextValue!));
      await x.tree.settled(jobsFolder.node);
      const after = sim.stats.log.slice(n0).map((r) => r.path.split('&')[0]);
      assert.deepStrictEqual(after.slice(1).sort(), ['/api/query?type=BackupJobSession', '/api/query?type=ReplicaJobSession']);
      assert.strictEqual(changes.filter((n) => n === jobsFolder.node).length, 1, 'one change of the Jobs folder');
      const again = await x.tree.getChildren(jobsFolder.node);
      assert.deepStrictEqual(again, listed, 'the same nodes, updated in place');
      const sqlNow = x.tree.getTreeItem(again[shown.indexOf(sql)]);
      assert.match(String(sqlNow.description), /^Running \d+%/);
      assert.match(sqlNow.contextValue!, /;stopJob;/);
    } finally { sub.dispose(); }
  });

  test('sessions are paged with Load more…', async () => {
    const top = await children(x, (await children(x))[0]);
    const backup = await children(x, byLabel(top, 'Backup Sessions'));
    assert.strictEqual(backup[backup.length - 1].label, 'Load more…');
    await vscode.commands.executeCommand('veeam.loadMore', backup[backup.length - 1].node);
    const more = await children(x, byLabel(top, 'Backup Sessions'));
    assert.ok(more.length > backup.length);
  });

  test('a filter on a sessions folder applies, shows in its description, persists and clears', async () => {
    const top = await children(x, (await children(x))[0]);
    const folder = byLabel(top, 'Replica Sessions (last 30 days)');
    assert.match(folder.item.contextValue!, /;filter(;|$)/);
    await vscode.commands.executeCommand('veeam.filterSessions', folder.node, { result: 'Failed' });
    const filtered = await children(x, folder);
    assert.ok(filtered.length > 0);
    for (const n of filtered.filter((f) => f.label !== 'Load more…')) { assert.match(String(n.item.description), /^Failed/); }
    const again = byLabel(await children(x, (await children(x))[0]), 'Replica Sessions (last 30 days)');
    assert.strictEqual(again.item.description, 'Filtered: Failed');
    assert.match(again.item.contextValue!, /;filtered(;|$)/);
    assert.deepStrictEqual(x.filters.get(String(again.item.id)), { result: 'Failed' }, 'kept in workspace state');
    await vscode.commands.executeCommand('veeam.clearFilter', again.node);
    const cleared = byLabel(await children(x, (await children(x))[0]), 'Replica Sessions (last 30 days)');
    assert.notStrictEqual(cleared.item.description, 'Filtered: Failed');
  });

  test('Open as XML shows the XML exactly as received; Open as JSON the native JSON without BOM', async () => {
    const top = await children(x, (await children(x))[0]);
    const replica = (await children(x, byLabel(top, 'Replica Sessions (last 30 days)')))[0];
    await vscode.commands.executeCommand('veeam.openXml', replica.node);
    const xml = vscode.window.activeTextEditor!.document;
    assert.strictEqual(xml.languageId, 'xml');
    assert.match(xml.getText().trimStart(), /^(<\?xml[^>]*>\s*)?<ReplicaJobSession /);
    assert.ok(xml.getText().includes('<CreationTimeUTC>'));
    await vscode.commands.executeCommand('veeam.openJson', replica.node);
    const json = vscode.window.activeTextEditor!.document;
    assert.strictEqual(json.languageId, 'json');
    assert.notStrictEqual(json.getText().charCodeAt(0), 0xfeff);
    const parsed = JSON.parse(json.getText());
    assert.ok(parsed.CreationTimeUTC && parsed.UID);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Start Job: confirmed, one POST, Task followed, the new session runs in the status bar and ends', async () => {
    sim.resetStats();
    const bs = await children(x, byLabel(await children(x, (await children(x))[0]), 'Backup Servers'));
    const jobs = await children(x, (await children(x, bs[0]))[0]);
    let confirmText = '';
    x.prompts.confirm = async (m: unknown) => { confirmText = String(m); return true; };
    const job = jobs.find((j) => !/Running/.test(String(j.item.description))) ?? jobs[0];
    const run = vscode.commands.executeCommand('veeam.startJob', job.node);
    await waitFor(() => x.statusBar.item.text, (t) => t.includes(job.label), 15000);
    const done = await run as { status?: string } | undefined;
    assert.ok(done && done.status !== 'running', `session ended (${done?.status})`);
    assert.match(confirmText, new RegExp(`Start the job "${job.label}" on backup server ${bs[0].label}`));
    const posts = Object.entries(sim.stats.posts).filter(([p]) => /\/api\/jobs\//.test(p)).map(([, n]) => n);
    assert.deepStrictEqual(posts, [1], 'exactly one start POST');
  });
});
