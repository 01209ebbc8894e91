// Every item command from the command palette (no argument), for every kind: it acts on the
// selected tree node when that node fits, and otherwise asks through a picker that finds its
// targets through the kind (EM jobs sit under each backup server).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, setServers, TreeNode, waitFor } from './util';

interface Picked { title: string; labels: string[]; descriptions: string[] }

suite('Palette commands use the selection, else the kind\'s pickers', function () {
  this.timeout(90000);
  let sim: SimulatorExt;
  let x: Api;
  let picks: Picked[];
  let answer: (items: { label: string }[]) => { label: string } | undefined;
  const confirms: string[] = [];
  const VB = 'Palette VB365', EM = 'Palette EM';

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { syncDurationMs: 1500, jobDurationMs: 1500, sessionsPerJob: 5 }, em: { sessionsPerJob: 5, jobDurationMs: 1500 } });
    x = await api();
    x.prompts.pick = (async (items: { label: string; description?: string }[], o: { title: string }) => {
      picks.push({ title: o.title, labels: items.map((i) => i.label), descriptions: items.map((i) => i.description ?? '') });
      return answer(items);
    }) as never;
    x.prompts.confirm = async (m: unknown) => { confirms.push(String(m)); return true; };
    x.prompts.password = async () => undefined;   // a forgotten password stays forgotten
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    const fp = sim.certificate.fingerprint256;
    await setServers([
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ]);
    await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
    for (const s of x.store.list()) { await x.secrets.set(s.key, sim.credentials.password); await x.connections.forget(s.key); }
    x.tree.refresh();
  });

  setup(() => { picks = []; confirms.length = 0; answer = (items) => items[0]; sim.resetStats(); });

  suiteTeardown(async () => {
    await setServers([]);
    await sim?.close();
  });

  const server = async (name: string) => byLabel(await children(x), name);
  const select = async (n: TreeNode) => {
    await x.view.reveal(n.node, { select: true, focus: false, expand: false });
    await waitFor(() => x.view.selection[0], (s) => s === n.node, 5000);
  };
  /** The POSTs that act (logons left out). */
  const posts = () => Object.keys(sim.stats.posts).filter((p) => !/\/Token$|\/sessionMngr\//.test(p));

  test('Sync Repository acts on the selected repository, with no picker', async () => {
    const repos = await children(x, byLabel(await children(x, await server(VB)), 'Repositories'));
    const repo = repos[1];
    await select(repo);
    await vscode.commands.executeCommand('veeam.syncRepository');
    assert.strictEqual(picks.length, 0, JSON.stringify(picks));
    const id = sim.vb365Data.repositories().find((r) => r.name === repo.label)!.id;
    assert.deepStrictEqual(posts(), [`/v8/BackupRepositories/${id}/Sync`]);
  });

  test('Sync Repository with a job selected asks for a repository of that server (no server question, no "repositorys")', async () => {
    const jobs = await children(x, byLabel(await children(x, await server(VB)), 'Jobs'));
    await select(jobs[0]);
    await vscode.commands.executeCommand('veeam.syncRepository');
    assert.strictEqual(picks.length, 1, JSON.stringify(picks));
    assert.deepStrictEqual([...picks[0].labels].sort(), sim.vb365Data.repositories().map((r) => r.name).sort());
    assert.doesNotMatch(picks[0].title, /repositorys/);
    assert.strictEqual(posts().length, 1);
  });

  test('Start Job: the selected VB365 job, else a picker over its jobs', async () => {
    const jobs = await children(x, byLabel(await children(x, await server(VB)), 'Jobs'));
    await select(jobs[2]);
    await vscode.commands.executeCommand('veeam.startJob');
    assert.strictEqual(picks.length, 0, JSON.stringify(picks));
    assert.match(confirms[0], new RegExp(`"${jobs[2].label}" on ${VB}`));
    const id = sim.vb365Data.jobs().find((j) => j.name === jobs[2].label)!.id;
    assert.deepStrictEqual(posts(), [`/v8/Jobs/${id}/start`]);
  });

  test('Start Job on Enterprise Manager: the picker lists the jobs of every backup server and names the server', async () => {
    await select(await server(EM));
    answer = (items) => items.find((i) => i.label === 'SQL Backup');
    await vscode.commands.executeCommand('veeam.startJob');
    assert.strictEqual(picks.length, 1, JSON.stringify(picks));
    assert.ok(picks[0].labels.length >= 10, `all ten jobs of both backup servers: ${picks[0].labels}`);
    assert.ok(picks[0].descriptions.every((d) => /^backup server /.test(d)), JSON.stringify(picks[0].descriptions));
    assert.match(confirms[0], /"SQL Backup" on backup server .+ \(Palette EM\)/);
    assert.strictEqual(posts().length, 1, JSON.stringify(posts()));
    assert.match(posts()[0], /\/api\/jobs\/[^/]+$/);
  });

  test('Open as JSON / XML with an EM server selected: a picker over its jobs (it failed before)', async () => {
    await select(await server(EM));
    await vscode.commands.executeCommand('veeam.openJson');
    assert.strictEqual(picks.length, 1);
    assert.ok(picks[0].labels.includes('SQL Backup'));
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.path ?? '', (p) => p.endsWith('.json'), 10000);
    await vscode.commands.executeCommand('veeam.openXml');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.path ?? '', (p) => p.endsWith('.xml'), 10000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Copy ID: the selected entity, else a picker', async () => {
    const repos = await children(x, byLabel(await children(x, await server(VB)), 'Repositories'));
    await select(repos[0]);
    const id = await vscode.commands.executeCommand<string>('veeam.copyId');
    assert.strictEqual(id, sim.vb365Data.repositories().find((r) => r.name === repos[0].label)!.id);
    assert.strictEqual(picks.length, 0, JSON.stringify(picks));
    await select(await server(EM));
    const jobId = await vscode.commands.executeCommand<string>('veeam.copyId');
    assert.strictEqual(picks.length, 1);
    assert.ok(jobId && jobId.length > 8);
  });

  test('Filter Sessions: the selected sessions folder, else a picker over the folders that can be filtered', async () => {
    const top = await children(x, await server(EM));
    const folder = byLabel(top, 'Backup Sessions');
    await select(folder);
    await vscode.commands.executeCommand('veeam.filterSessions', undefined, { result: 'Failed' });
    assert.strictEqual(picks.length, 0, JSON.stringify(picks));
    assert.deepStrictEqual(x.filters.get((folder.node as { id: string }).id), { result: 'Failed' });
    await vscode.commands.executeCommand('veeam.clearFilter');
    assert.strictEqual(x.filters.get((folder.node as { id: string }).id), undefined);
    await select(await server(EM));
    answer = () => undefined;
    await vscode.commands.executeCommand('veeam.filterSessions');
    assert.strictEqual(picks.length, 1);
    assert.deepStrictEqual(picks[0].labels, ['Replica Sessions (last 30 days)', 'Backup Sessions']);
  });

  test('server commands (Trust Certificate, Edit, Remove, Forget Password) act on the selected node\'s server', async () => {
    const top = await children(x, await server(EM));
    await select(top[0]);
    answer = () => undefined;                              // Edit: cancel the field question
    await vscode.commands.executeCommand('veeam.editServer');
    assert.strictEqual(picks.length, 1);
    assert.strictEqual(picks[0].title, `Veeam: Edit ${EM}`);
    x.prompts.confirm = async (m: unknown) => { confirms.push(String(m)); return false; };   // Remove: cancel
    try {
      await vscode.commands.executeCommand('veeam.removeServer');
    } finally { x.prompts.confirm = async (m: unknown) => { confirms.push(String(m)); return true; }; }
    assert.match(confirms[0], new RegExp(`"${EM}"`));
    assert.strictEqual(x.store.list().length, 2, 'nothing removed');
    await vscode.commands.executeCommand('veeam.trustCertificate');  // already trusted: says so, asks nothing
    assert.strictEqual(picks.length, 1);
    const emKey = x.store.list().find((s) => s.def.name === EM)!.key;
    await vscode.commands.executeCommand('veeam.forgetPassword');
    assert.strictEqual(await x.secrets.get(emKey), undefined);
    const vbKey = x.store.list().find((s) => s.def.name === VB)!.key;
    assert.strictEqual(await x.secrets.get(vbKey), sim.credentials.password, 'the other server keeps its password');
    await x.secrets.set(emKey, sim.credentials.password);
    assert.strictEqual(picks.length, 1, 'no server picker for any of them');
  });
});
