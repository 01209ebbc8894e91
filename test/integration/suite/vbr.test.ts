// Veeam Backup & Replication in the extension host, through the same generic tree, commands,
// status bar and documents as the other kinds: nothing outside src/api/vbr knows it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, labels, setServers, TreeNode, waitFor } from './util';
import { ApiExt, spyLog } from './helpers';

suite('Veeam Backup & Replication in the extension host', function () {
  this.timeout(90000);
  let sim: SimulatorExt;
  let x: Api;
  let key: string;
  const confirms: string[] = [];
  const NAME = 'Sim VBR';

  suiteSetup(async () => {
    sim = await startSimulator({ vbr: { jobDurationMs: 2500, readOnlyUser: { username: 'LAB\\operator', password: 'Op123!' } } });
    x = await api();
    x.prompts.confirm = async (m: unknown) => { confirms.push(String(m)); return true; };
    x.prompts.password = async () => undefined;
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await setServers([{ name: NAME, kind: 'vbr', url: sim.vbr.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 }]);
    await waitFor(() => x.store.list().length, (n) => n === 1, 5000);
    key = x.store.list()[0].key;
    await x.secrets.set(key, sim.credentials.password);
    await x.connections.forget(key);
    x.tree.refresh();
  });

  setup(() => { confirms.length = 0; sim.resetStats(); });

  suiteTeardown(async () => {
    await setServers([]);
    await sim?.close();
  });

  const top = async () => children(x, (await children(x))[0]);
  const jobs = async () => children(x, byLabel(await top(), 'Jobs'));
  const job = async (id: string): Promise<TreeNode> => {
    const name = sim.vbrData.jobs().find((j) => j.id === id)!.name;
    return byLabel(await jobs(), name);
  };
  const ctxValue = (n: TreeNode) => String(n.item.contextValue);

  test('server node says VBR; folders: Jobs, Repositories, Infrastructure, Security, License', async () => {
    const server = (await children(x))[0];
    assert.match(String(server.item.description), /^VBR · 127\.0\.0\.1:/);
    assert.deepStrictEqual(labels(await top()), ['Jobs', 'Repositories', 'Infrastructure', 'Security', 'License']);
  });

  test('jobs → sessions (newest first, Load more) → task sessions, with icons and descriptions from the kind', async () => {
    const f = sim.vbrData.fixtures();
    const list = await jobs();
    assert.ok(list.length >= 8, labels(list).join(', '));
    const running = await job(f.runningJobId);
    assert.match(ctxValue(running), /;stopJob(;|$)/);
    assert.doesNotMatch(ctxValue(running), /;startJob(;|$)/, 'no Start on a running job');
    const disabled = await job(f.disabledJobId);
    assert.match(ctxValue(disabled), /;enableJob(;|$)/);
    assert.doesNotMatch(ctxValue(disabled), /;(disableJob|stopJob)(;|$)/);
    const ok = await job(f.successJobId);
    assert.doesNotMatch(ctxValue(ok), /;retryJob(;|$)/, 'no Retry on a successful job');
    const sessions = await children(x, ok);
    assert.ok(sessions.length > 2);
    const ended = sessions.find((s) => /^Success · /.test(String(s.item.description)))!;
    assert.ok(ended, JSON.stringify(sessions.slice(0, 3).map((s) => s.item.description)));
    const tasks = await children(x, ended);
    assert.ok(tasks.length >= 1 && tasks[0].label.length > 0);
    const failed = await job(f.failedJobId);
    const fs = await children(x, failed);
    const bad = fs.find((s) => /^Failed/.test(String(s.item.description)));
    assert.ok(bad, 'a failed session');
    assert.match(String(bad!.item.description), /Failed · .+ · .+/, 'the short failure reason is in the description');
  });

  test('repositories show fill and the one above 90 % stands out; the license says when it expires', async () => {
    const repos = await children(x, byLabel(await top(), 'Repositories'));
    const full = repos.find((r) => /93 %|9\d % full/.test(String(r.item.description)));
    assert.ok(full, JSON.stringify(repos.map((r) => r.item.description)));
    assert.strictEqual((full!.item.iconPath as vscode.ThemeIcon).id, 'warning');
    const lic = await children(x, byLabel(await top(), 'License'));
    assert.match(JSON.stringify(lic.map((l) => [l.label, l.item.description])), /expires in \d+ days?/i);
  });

  test('Start Job on a job with nothing to process (1.3 answers 204): one POST, a warning, no error, nothing watched', async () => {
    const f = sim.vbrData.fixtures();
    const j = await job(f.emptyJobId);
    const seen = spyLog(x as ApiExt);
    try {
      assert.strictEqual(await vscode.commands.executeCommand('veeam.startJob', j.node), undefined);
    } finally { seen.restore(); }
    assert.deepStrictEqual(Object.keys(sim.stats.posts).filter((p) => !p.includes('oauth2')), [`/api/v1/jobs/${f.emptyJobId}/start`]);
    assert.ok(seen.warn.some((m) => /veeam\.startJob: .*no objects to process; no session was created/.test(m)), JSON.stringify(seen.warn));
    assert.deepStrictEqual(seen.error, [], 'told as a warning, not an error');
    assert.ok(!x.statusBar.item.text.includes(j.label), 'nothing is watched');
  });

  test('Start Job: confirmed with the job and server, one POST, the session runs in the status bar and ends', async () => {
    const f = sim.vbrData.fixtures();
    const j = await job(f.warningJobId);
    const done = vscode.commands.executeCommand('veeam.startJob', j.node);
    await waitFor(() => x.statusBar.item.text, (t) => t.includes(j.label), 15000);
    await done;
    assert.match(confirms[0], new RegExp(`"${j.label}" on ${NAME}`));
    assert.deepStrictEqual(Object.keys(sim.stats.posts).filter((p) => !p.includes('oauth2')), [`/api/v1/jobs/${f.warningJobId}/start`]);
    await waitFor(() => x.statusBar.item.text, (t) => !t.includes(j.label), 15000);
    const sessions = await children(x, await job(f.warningJobId));
    assert.match(String(sessions[0].item.description), /^(Success|Warning|Failed) · /, String(sessions[0].item.description));
  });

  test('Stop Job on the running job: one POST, the session ends', async () => {
    const f = sim.vbrData.fixtures();
    const j = await job(f.runningJobId);
    await vscode.commands.executeCommand('veeam.stopJob', j.node);
    assert.match(confirms[0], /^Stop the job /);
    assert.deepStrictEqual(Object.keys(sim.stats.posts).filter((p) => !p.includes('oauth2')), [`/api/v1/jobs/${f.runningJobId}/stop`]);
    // The job's session ends on the server; a refresh of the job shows it no longer running.
    let cv = '';
    for (let i = 0; i < 50; i++) {
      x.tree.refresh((await children(x, (await children(x))[0]))[0].node);
      cv = ctxValue(await job(f.runningJobId));
      if (!/;stopJob(;|$)/.test(cv)) { break; }
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.doesNotMatch(cv, /;stopJob(;|$)/, 'the job no longer runs');
  });

  test('Disable then Enable: the menus follow the state', async () => {
    const f = sim.vbrData.fixtures();
    await vscode.commands.executeCommand('veeam.disableJob', (await job(f.successJobId)).node);
    let j = await job(f.successJobId);
    assert.match(ctxValue(j), /;enableJob(;|$)/, ctxValue(j));
    await vscode.commands.executeCommand('veeam.enableJob', j.node);
    j = await job(f.successJobId);
    assert.match(ctxValue(j), /;disableJob(;|$)/, ctxValue(j));
    assert.strictEqual(Object.keys(sim.stats.posts).filter((p) => !p.includes('oauth2')).length, 2);
  });

  test('Open as JSON shows the raw session payload; Open as XML builds XML', async () => {
    const sessions = await children(x, await job(sim.vbrData.fixtures().successJobId));
    await vscode.commands.executeCommand('veeam.openJson', sessions[1].node);
    const json = await waitFor(() => vscode.window.activeTextEditor?.document, (d) => !!d && d.uri.path.endsWith('.json'), 10000);
    const body = JSON.parse(json!.getText()) as { id: string; sessionType?: string };
    assert.ok(body.id && body.sessionType);
    await vscode.commands.executeCommand('veeam.openXml', sessions[1].node);
    const xml = await waitFor(() => vscode.window.activeTextEditor?.document, (d) => !!d && d.uri.path.endsWith('.xml'), 10000);
    assert.match(xml!.getText(), /^<\?xml|^</);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an account without the StartJobs claim: the refusal names the role it lacks', async () => {
    await setServers([{ name: 'VBR operator', kind: 'vbr', url: sim.vbr.url, username: 'LAB\\operator', trustedCertificate: sim.certificate.fingerprint256 }]);
    await waitFor(() => x.store.list()[0]?.def.name, (n) => n === 'VBR operator', 5000);
    const k = x.store.list()[0].key;
    await x.secrets.set(k, 'Op123!');
    // The command wrapper logs the refusal it shows (the toast is the extension's own vscode API object).
    const seen = spyLog(x as ApiExt);
    try {
      const j = await job(sim.vbrData.fixtures().warningJobId);
      await vscode.commands.executeCommand('veeam.startJob', j.node);
    } finally { seen.restore(); }
    const errors = seen.error;
    assert.ok(errors.some((m) => /Backup Operator|Backup Administrator/.test(m)), JSON.stringify(errors));
  });
});
