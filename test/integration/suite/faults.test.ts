// Server faults inside the real extension host: each becomes an error node (never a command
// failure), retries and back-off recover by themselves, watched work survives an outage, and a
// POST is sent exactly once. After every test the server definition and its pinned certificate
// are intact, and no command went through the error wrapper. Also: a workspace-level
// `veeam.servers` is ignored.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, byLabel, children, labels, setServers, waitFor, TreeNode } from './util';
import { ApiExt, only, setGlobal, spyLog } from './helpers';

type Entity = { id: string; name: string; type: string; description?: string; status?: string };
const entity = (n: TreeNode) => (n.node as { entity: Entity }).entity;
const nodeId = (n: unknown) => (n as { id: string }).id;
const isSync = (n: unknown) => (n as { entity: Entity }).entity.type === 'syncSession';
const tooltip = (x: ApiExt) => { const t = x.statusBar.item.tooltip; return typeof t === 'string' ? t : t?.value ?? ''; };

suite('Faults in the tree (extension host)', function () {
  this.timeout(60000);
  let sim: SimulatorExt;
  let x: ApiExt;
  let key: string;
  let log: ReturnType<typeof spyLog>;
  let fingerprint: string;
  const restore: (() => Promise<void>)[] = [];

  const folder = async (name: string): Promise<TreeNode> => {
    x.tree.refresh();
    return byLabel(await children(x, (await children(x))[0]), name);
  };
  const posts = (re: RegExp) => Object.entries(sim.stats.posts).filter(([p]) => re.test(p)).map(([, n]) => n);

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { syncDurationMs: 5000, jobDurationMs: 30000 } });
    x = (await api()) as ApiExt;
    x.prompts.confirm = async () => true;
    x.prompts.password = async () => undefined;
    restore.push(await setGlobal('veeam', 'pollIntervalSeconds', 1));
    fingerprint = sim.certificate.fingerprint256;
    const first = await only(x, [{ name: 'Faulty', kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fingerprint }],
      sim.credentials.password);
    key = first.key;
    assert.deepStrictEqual(labels(first.nodes), ['Organizations', 'Repositories', 'Jobs']);
  });

  setup(() => { sim.resetStats(); log = spyLog(x); });

  teardown(async () => {
    log.restore();
    sim.clearFaults();
    const list = x.store.list();
    assert.strictEqual(list.length, 1, 'the server definition is intact');
    assert.strictEqual(list[0].key, key);
    assert.strictEqual(list[0].def.trustedCertificate, fingerprint, 'the pinned certificate is intact');
    assert.deepStrictEqual(log.error.filter((m) => m.startsWith('veeam.')), [], 'no command failed');
  });

  suiteTeardown(async () => {
    while (restore.length) { await restore.pop()!(); }
    await setServers([]);
    await sim?.close();
  });

  test('an HTML page from a proxy (502) is an error node that says so', async () => {
    sim.addFault({ kind: 'html', status: 502, method: 'GET', path: '/Jobs' });
    const nodes = await children(x, await folder('Jobs'));
    assert.match(nodes[0].label, /^HTTP 502: the server \(or a proxy in between\) returned an HTML page "502 Bad Gateway"/);
    assert.deepStrictEqual(labels(await children(x, nodes[0])), ['Retry', 'Show Log']);
  });

  test('a 500 with a Veeam error body shows the server\'s own message', async () => {
    sim.addFault({ kind: 'status', status: 500, method: 'GET', path: '/Jobs' });
    const nodes = await children(x, await folder('Jobs'));
    assert.match(nodes[0].label, /^Simulated failure \(HTTP 500\)\./);
  });

  test('malformed JSON is "Unexpected answer: …"', async () => {
    sim.addFault({ kind: 'malformed', method: 'GET', path: '/Jobs' });
    const nodes = await children(x, await folder('Jobs'));
    assert.match(nodes[0].label, /^Unexpected answer: .*not valid JSON/);
  });

  test('an answer slower than veeam.http.timeoutSeconds is a timeout node', async () => {
    restore.push(await setGlobal('veeam', 'http.timeoutSeconds', 1));
    try {
      sim.addFault({ kind: 'delay', delayMs: 2500, method: 'GET', path: '/Jobs' });
      const nodes = await children(x, await folder('Jobs'));
      assert.match(nodes[0].label, /^Cannot connect: .*did not answer within 1 s/);
    } finally { await restore.pop()!(); }
  });

  test('429 with Retry-After: 1 recovers by itself', async () => {
    sim.addFault({ kind: 'retry-after', retryAfterSeconds: 1, times: 1, method: 'GET', path: '/Jobs' });
    const started = Date.now();
    const jobs = await children(x, await folder('Jobs'));
    assert.strictEqual(jobs.length, 6, labels(jobs).join(', '));
    assert.ok(sim.stats.log.some((r) => r.status === 429), 'the server did answer 429');
    assert.ok(Date.now() - started >= 900, 'waited as asked');
  });

  test('the server stops during a watched sync: the watcher backs off, then the sync completes once', async () => {
    const repo = byLabel(await children(x, await folder('Repositories')), 'Local Repo');
    const run = vscode.commands.executeCommand('veeam.syncRepository', repo.node) as Thenable<Entity | undefined>;
    await waitFor(() => x.statusBar.item.text, (t) => /Veeam: Local Repo/.test(t), 10000);
    await sim.stop();
    try {
      await waitFor(() => tooltip(x), (t) => /Local Repo — sync .*retrying in \d+ s/.test(t), 15000);
    } finally { await sim.start(); }
    const done = await run;
    assert.strictEqual(done?.status, 'success');
    assert.ok(!x.watcher.running().map((w) => (w as { item: unknown }).item).some(isSync), 'no sync is watched any more');
    assert.ok(!/Local Repo/.test(x.statusBar.item.text + tooltip(x)), 'the sync left the status bar');
    assert.deepStrictEqual(posts(/\/Sync$/), [1], 'exactly one sync POST');
  });

  test('a sync that never finishes stays in the status bar until unwatched', async () => {
    const repoInfo = sim.vb365Data.repositories().find((r) => r.name !== 'Local Repo')!;
    sim.vb365Data.stallSync(repoInfo.id);
    const repo = byLabel(await children(x, await folder('Repositories')), repoInfo.name);
    const run = vscode.commands.executeCommand('veeam.syncRepository', repo.node) as Thenable<Entity | undefined>;
    const session = (await waitFor(() => x.watcher.running().map((w) => (w as { item: unknown }).item).filter(isSync), (l) => l.length === 1, 10000))[0];
    const polls = x.watcher.polls;
    await waitFor(() => x.watcher.polls, (p) => p >= polls + 2, 10000);
    assert.ok(x.watcher.running().map((w) => (w as { item: unknown }).item).includes(session), 'still watched after several polls');
    assert.match(x.statusBar.item.text, new RegExp(repoInfo.name));
    x.watcher.unwatch(nodeId(session));
    assert.strictEqual(await run, undefined, 'unwatching ends the notification');
    assert.ok(!x.watcher.running().map((w) => (w as { item: unknown }).item).includes(session));
    assert.ok(!(x.statusBar.item.text + tooltip(x)).includes(repoInfo.name), 'it left the status bar');
    assert.deepStrictEqual(posts(/\/Sync$/), [1], 'exactly one sync POST');
  });

  test('a watched job session deleted on the server says so and leaves the status bar', async () => {
    const job = (await children(x, await folder('Jobs'))).find((j) => entity(j).status !== 'running')!;
    const run = vscode.commands.executeCommand('veeam.startJob', job.node) as Thenable<Entity | undefined>;
    const mine = (n: unknown) => (n as { parent?: unknown }).parent === job.node;
    const session = (await waitFor(() => x.watcher.running().map((w) => (w as { item: unknown }).item).filter(mine), (l) => l.length === 1, 10000))[0] as { id: string; entity: Entity };
    sim.vb365Data.deleteJobSession(session.entity.id);
    assert.strictEqual(await run, undefined);
    assert.ok(!x.watcher.running().map((w) => (w as { item: unknown }).item).includes(session), 'no longer watched');
    assert.strictEqual(x.tree.getTreeItem(session).description, 'No longer on the server (404)');
    assert.ok(!(x.statusBar.item.text + tooltip(x)).includes(job.label), 'it left the status bar');
    assert.deepStrictEqual(posts(/\/start$/i), [1], 'exactly one start POST');
  });
});

suite('A workspace-level veeam.servers is ignored', function () {
  this.timeout(30000);

  test('only the user-level servers are listed, and the log says why', async () => {
    const x = (await api()) as ApiExt;
    const folderUri = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folderUri, 'the test window has a workspace folder');
    const dir = path.join(folderUri.fsPath, '.vscode');
    const file = path.join(dir, 'settings.json');
    const hadDir = fs.existsSync(dir);
    assert.ok(!fs.existsSync(file), 'no workspace settings yet');
    await setServers([{ name: 'Mine', kind: 'vb365', url: 'https://127.0.0.1:1', username: 'me' }]);
    const log = spyLog(x);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ 'veeam.servers': [{ name: 'Elsewhere', kind: 'vb365', url: 'https://attacker.example.com', username: 'me' }] }));
      // VS Code drops an application-scoped value from workspace settings; give it time to read the file.
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('veeam').get('servers')).includes('Elsewhere'));
      x.tree.refresh();
      assert.deepStrictEqual(labels(await children(x)), ['Mine']);
      assert.deepStrictEqual(x.store.list().map((s) => s.def.name), ['Mine']);
      assert.ok(log.warn.some((m) => /workspace-level "veeam.servers" is ignored/.test(m)), JSON.stringify(log.warn));
    } finally {
      log.restore();
      fs.rmSync(hadDir ? file : dir, { recursive: true, force: true });
      await setServers([]);
    }
  });
});
