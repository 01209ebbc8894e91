// Races in the tree, each made deterministic with the simulator's latency and fault knobs (the
// order is forced by waiting for the request to reach the simulator, never by a sleep):
// Load more after a refresh, overlapping loads, a refresh during a load, and a settings change
// (a server added or trusted) while another server's load is in flight.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, labels, setServers, TreeNode, waitFor } from './util';

type Cached = Api['tree'] & { cached(n: unknown): unknown[] | undefined };

suite('Races in the tree (extension host)', function () {
  this.timeout(60000);
  let sim: SimulatorExt;
  let x: Api;
  let tree: Cached;
  const VB = 'Race VB365', EM = 'Race EM';
  let defs: Record<string, unknown>[];

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { sessionsPerJob: 120 }, em: { sessionsPerJob: 60 } });
    x = await api();
    tree = x.tree as Cached;
    x.prompts.password = async () => undefined;
    const fp = sim.certificate.fingerprint256;
    defs = [
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ];
    await setServers(defs);
    await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
    for (const s of x.store.list()) { await x.secrets.set(s.key, sim.credentials.password); await x.connections.forget(s.key); }
    x.tree.refresh();
  });

  teardown(() => { sim.clearFaults(); sim.setLatency(0); });

  suiteTeardown(async () => {
    await setServers([]);
    await sim?.close();
  });

  const server = async (name: string) => byLabel(await children(x), name);
  const firstJob = async (): Promise<TreeNode> => (await children(x, byLabel(await children(x, await server(VB)), 'Jobs')))[0];
  /** Resolves when a request whose path contains `part` has reached the simulator. */
  const arrived = (part: string, after: number) =>
    waitFor(() => sim.stats.log.filter((r) => r.at >= after && r.path.includes(part)).length, (n) => n > 0, 10000);
  const requestsFor = (part: string, after: number) => sim.stats.log.filter((r) => r.at >= after && r.path.includes(part)).length;

  test('Load more finishing after a refresh of its folder does not bring back the stale listing', async () => {
    const job = await firstJob();
    const page1 = await children(x, job);
    const more = page1[page1.length - 1];
    assert.strictEqual(more.label, 'Load more…');
    const t0 = Date.now();
    sim.addFault({ kind: 'delay', delayMs: 1500, path: 'offset=50', times: 1 });
    const loading = vscode.commands.executeCommand('veeam.loadMore', more.node);
    await arrived('offset=50', t0);
    x.tree.refresh(job.node);
    await loading;
    const fresh = await children(x, job);
    assert.strictEqual(fresh.length, page1.length, `a fresh first page, not ${fresh.length} rows`);
    assert.strictEqual(fresh[fresh.length - 1].label, 'Load more…');
  });

  test('two overlapping expands of one node make one request', async () => {
    const job = await firstJob();
    x.tree.refresh(job.node);
    const t0 = Date.now();
    sim.setLatency(300);
    const [a, b] = await Promise.all([children(x, job), children(x, job)]);
    assert.deepStrictEqual(labels(a), labels(b));
    assert.strictEqual(requestsFor('JobSessions', t0), 1, 'one load for both');
  });

  test('a refresh during a load cancels it, and only the newest result is kept', async () => {
    const job = await firstJob();
    x.tree.refresh(job.node);
    const t0 = Date.now();
    sim.setLatency(1500);
    sim.addFault({ kind: 'status', status: 500, path: 'JobSessions', times: 1 });
    const older = children(x, job);                      // will fail with HTTP 500, late
    await arrived('JobSessions', t0);
    sim.setLatency(0);
    x.tree.refresh(job.node);
    const newer = await children(x, job);
    assert.match(newer[0].label, /./);
    assert.ok(!/HTTP 500|Simulated failure|cancelled/i.test(newer[0].label), newer[0].label);
    const old = await older;
    assert.deepStrictEqual(labels(old), labels(newer), 'the overtaken expand answers with the newest listing');
    const cached = tree.cached(job.node)!;
    assert.deepStrictEqual(cached.map((n) => x.tree.getTreeItem(n).label), labels(newer), 'the newest listing is the one kept');
  });

  test('adding a server while another server loads: that load goes on (no "cancelled"), its listing stays', async () => {
    const em = await server(EM);
    const top = await children(x, em);
    const folder = byLabel(top, 'Backup Sessions');
    x.tree.refresh(folder.node);
    const t0 = Date.now();
    sim.setLatency(1500);
    const loading = children(x, folder);
    await arrived('BackupJobSession', t0);
    await setServers([...defs, { name: 'Race Extra', kind: 'vb365', url: sim.vb365.url, username: 'LAB\\other' }]);
    await waitFor(() => x.store.list().length, (n) => n === 3, 5000);
    const rows = await loading;
    assert.ok(rows.length > 1 && !/cancelled/i.test(rows[0].label), JSON.stringify(labels(rows).slice(0, 2)));
    assert.deepStrictEqual(labels(await children(x)), [VB, EM, 'Race Extra']);
    sim.setLatency(0);
    const t1 = Date.now();
    assert.strictEqual((await children(x, folder)).length, rows.length);
    assert.strictEqual(requestsFor('BackupJobSession', t1), 0, 'served from the listing');
  });

  test('trusting one server reloads only its node: the others keep their listings and send nothing', async () => {
    const em = await server(EM);
    const emTop = await children(x, em);
    const emCached = tree.cached(em.node);
    const vb = await server(VB);
    await children(x, vb);
    const t0 = Date.now();
    const extra = x.store.list().find((s) => s.def.name === 'Race Extra')!;
    await (x.store as unknown as { update(k: string, p: unknown): Promise<void> }).update(extra.key, { trustedCertificate: sim.certificate.fingerprint256 });
    await waitFor(() => x.store.list().find((s) => s.key === extra.key)?.def.trustedCertificate, (v) => !!v, 5000);
    assert.strictEqual(tree.cached(em.node), emCached, 'EM listing untouched');
    assert.deepStrictEqual(labels(await children(x, em)), labels(emTop));
    assert.strictEqual(sim.stats.log.filter((r) => r.at >= t0 && r.server === 'em').length, 0, 'no request to the EM server');
    await setServers(defs);
  });
});
