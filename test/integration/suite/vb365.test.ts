// The extension inside the real VS Code extension host, against the simulator over HTTPS:
// activation, commands, tree, certificate trust, password prompt, sync with the status bar,
// JSON/XML tabs, error nodes, and secrets kept out of settings and documents.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, labels, setServers, waitFor, TreeNode } from './util';

suite('VB365 in the extension host', function () {
  this.timeout(60000);
  let sim: SimulatorExt;
  let x: Api;
  let key: string;
  const answers = { password: '' as string | undefined, trust: true };

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { syncDurationMs: 3000, sessionsPerJob: 80 } });
    x = await api();
    x.prompts.password = async () => answers.password;
    x.prompts.trust = async () => answers.trust;
    x.prompts.confirm = async () => true;
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await setServers([{ name: 'Sim VB365', kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username }]);
    key = x.store.list()[0].key;
    answers.password = sim.credentials.password;
  });

  suiteTeardown(async () => {
    await setServers([]);
    await sim?.close();
  });

  test('every contributed command is registered', async () => {
    const pkg = vscode.extensions.getExtension('veeam-explorer.veeam-explorer')!.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, []);
    assert.ok(pkg.contributes.commands.length >= 15);
  });

  test('an untrusted certificate is an error node offering Trust, and no request is sent', async () => {
    sim.resetStats();
    x.tree.refresh();
    const server = (await children(x))[0];
    const nodes = await children(x, server);
    assert.match(nodes[0].label, /^Untrusted certificate/);
    assert.deepStrictEqual(labels(await children(x, nodes[0].node)), ['Trust Certificate…', 'Edit Server…', 'Show Log']);
    assert.strictEqual(sim.stats.requests, 0);
  });

  test('Trust Certificate pins the SHA-256 fingerprint in the server definition', async () => {
    await vscode.commands.executeCommand('veeam.trustCertificate', key);
    const def = x.store.list()[0].def;
    assert.strictEqual(def.trustedCertificate, sim.certificate.fingerprint256);
    // The new definition reloads the server node, and the tree view may ask for its children at
    // any moment after this: that load would ask for the password (and store it) while the next
    // test counts prompts. Join that load here (or start it) with a dismissed prompt, so the next
    // test starts from a settled tree and no stored password, whatever the view did meanwhile.
    x.prompts.password = async () => undefined;
    const nodes = await children(x, (await children(x))[0]);
    assert.strictEqual(nodes[0].label, 'Password required — Enter password…');
    assert.strictEqual(await x.secrets.get(key), undefined);
  });

  test('the first expand asks for the password, keeps it in SecretStorage only, and lists the server', async () => {
    let asked = 0;
    x.prompts.password = async () => { asked++; return answers.password; };
    x.tree.refresh();
    const server = (await children(x))[0];
    assert.deepStrictEqual(labels(await children(x, server)), ['Organizations', 'Repositories', 'Jobs']);
    assert.strictEqual(asked, 1);
    assert.strictEqual(await x.secrets.get(key), sim.credentials.password);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('veeam').inspect('servers'));
    assert.ok(!settings.includes(sim.credentials.password), 'no password in settings');
  });

  test('tree: repositories, jobs, sessions newest first with Load more', async () => {
    const server = (await children(x))[0];
    const top = await children(x, server);
    const repos = await children(x, byLabel(top, 'Repositories'));
    assert.strictEqual(repos.length, 3);
    const local = byLabel(repos, 'Local Repo');
    assert.match(local.item.description as string, /free of/);
    assert.match(local.item.contextValue!, /;sync(;|$)/);
    const jobs = await children(x, byLabel(top, 'Jobs'));
    assert.strictEqual(jobs.length, 6);
    const sessions = await children(x, jobs[0].node);
    assert.strictEqual(sessions.length, 51, '50 sessions and Load more…');
    assert.strictEqual(sessions[50].label, 'Load more…');
    const first = sessions[0];
    assert.ok((first.item.tooltip as vscode.MarkdownString).value.includes('Bottleneck'));
    assert.ok(first.item.id!.includes(key), 'ids are namespaced by server');
    await vscode.commands.executeCommand('veeam.loadMore', sessions[50].node);
    const more = await children(x, jobs[0].node);
    assert.ok(more.length > 51, `loaded more (${more.length})`);
    assert.ok(new Set(more.map((n) => n.item.id)).size === more.length, 'ids stay unique');
  });

  test('sync: one POST, the status bar shows the percentage, then clears; a second click starts nothing', async () => {
    sim.resetStats();
    const server = (await children(x))[0];
    const repos = await children(x, byLabel(await children(x, server), 'Repositories'));
    const local = byLabel(repos, 'Local Repo');
    const run = vscode.commands.executeCommand('veeam.syncRepository', local.node);
    const text = await waitFor(() => x.statusBar.item.text, (t) => /Veeam: Local Repo \d+%/.test(t), 10000);
    assert.match(text, /^\$\(sync~spin\) Veeam: Local Repo \d+%( \+\d+)?$/);
    await vscode.commands.executeCommand('veeam.syncRepository', local.node);   // while running
    const done = await run as { status?: string } | undefined;
    assert.strictEqual(done?.status, 'success');
    assert.ok(!/Local Repo/.test(x.statusBar.item.text), 'the finished sync left the status bar');
    const posts = Object.entries(sim.stats.posts).filter(([p]) => /\/Sync$/.test(p)).map(([, n]) => n);
    assert.deepStrictEqual(posts, [1], 'exactly one sync POST');
    const syncs = await children(x, local.node);
    assert.ok(syncs.some((n) => /Sync of Local Repo/.test(n.label)));
  });

  test('Open as JSON and Open as XML show the raw payload in read-only veeam: tabs', async () => {
    const server = (await children(x))[0];
    const jobs = await children(x, byLabel(await children(x, server), 'Jobs'));
    const session = (await children(x, jobs[1].node))[0];
    await vscode.commands.executeCommand('veeam.openJson', session.node);
    const ed = vscode.window.activeTextEditor!;
    assert.strictEqual(ed.document.uri.scheme, 'veeam');
    assert.strictEqual(ed.document.languageId, 'json');
    const json = JSON.parse(ed.document.getText());
    assert.ok(json.id && json.jobId && json.statistics);
    assert.ok(ed.document.getText().includes('\n  "'), 'pretty-printed');
    await vscode.commands.executeCommand('veeam.refreshDocument', ed.document.uri);
    await vscode.commands.executeCommand('veeam.openXml', session.node);
    const xml = vscode.window.activeTextEditor!.document;
    assert.strictEqual(xml.languageId, 'xml');
    assert.match(xml.getText(), /^<\?xml[^>]*>\s*<JobSession>/);
    for (const t of x.docs.texts()) { assert.ok(!t.includes(sim.credentials.password)); }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a rejected password becomes "Authentication failed — Enter password…" and the definition stays', async () => {
    await x.secrets.set(key, 'wrong-password-123');
    await x.connections.forget(key);              // drop the session that is still logged on
    x.prompts.password = async () => undefined;   // the user dismisses the prompt
    await vscode.commands.executeCommand('veeam.refresh');
    const server = (await children(x))[0];
    const nodes = await children(x, server);
    assert.strictEqual(nodes[0].label, 'Authentication failed — Enter password…');
    assert.deepStrictEqual(labels(await children(x, nodes[0].node)), ['Enter Password…', 'Edit Server…', 'Show Log']);
    assert.strictEqual(x.store.list().length, 1);
    assert.strictEqual(x.store.list()[0].def.trustedCertificate, sim.certificate.fingerprint256);
    x.prompts.password = async () => answers.password;
    await vscode.commands.executeCommand('veeam.enterPassword', key);
    assert.deepStrictEqual(labels(await children(x, (await children(x))[0])), ['Organizations', 'Repositories', 'Jobs']);
  });

  test('a changed certificate is refused with old and new fingerprints; nothing is lost', async () => {
    const old = sim.certificate.fingerprint256;
    await sim.rotateCertificate();
    await x.connections.forget(key);   // new connections only
    await vscode.commands.executeCommand('veeam.refresh');
    const nodes = await children(x, (await children(x))[0]);
    assert.strictEqual(nodes[0].label, 'Certificate changed — connection refused');
    assert.match(nodes[0].item.description as string, /^trusted [0-9A-F:]+…, now [0-9A-F:]+…$/);
    assert.strictEqual(x.store.list()[0].def.trustedCertificate, old, 'the trusted fingerprint is kept');
    await vscode.commands.executeCommand('veeam.trustCertificate', key);   // the user confirms the new one
    assert.strictEqual(x.store.list()[0].def.trustedCertificate, sim.certificate.fingerprint256);
    assert.deepStrictEqual(labels(await children(x, (await children(x))[0])), ['Organizations', 'Repositories', 'Jobs']);
  });

  test('an unreachable server is an error node with Retry, Edit Server and Show Log', async () => {
    await sim.stop();
    try {
      await x.connections.forget(key);
      await vscode.commands.executeCommand('veeam.refresh');
      const nodes = await children(x, (await children(x))[0]);
      assert.match(nodes[0].label, /^Cannot connect: .*refused the connection/);
      assert.deepStrictEqual(labels(await children(x, nodes[0].node)), ['Retry', 'Edit Server…', 'Show Log']);
    } finally { await sim.start(); }
  });
});

export type { TreeNode };
