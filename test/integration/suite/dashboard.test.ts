// The Veeam Overview in the real extension host against the simulator (VB365 and Enterprise Manager):
// its bundle is not loaded at activation; the data it sends matches the simulator's sessions per day and
// the webview (a real one, in the test browser) draws exactly those counts; a day lists its sessions; a
// row opens the session's log; a server that fails shows its error while the others render; a load can
// be cancelled.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, setServers, waitFor } from './util';

interface Bucket { day: string; success: number; warning: number; failed: number; running: number; other: number }
interface Data {
  generatedAt: string; days: string[]; total: Bucket[]; servers: { key: string; name: string; error?: string; buckets: Bucket[] }[];
  attention: { ref: string; status: string; serverName: string; jobName: string; endedAt?: string; startedAt?: string; message?: string }[];
  attentionTotal: number; repositories: { name: string; serverName: string; percent?: number; warn: boolean }[];
  totals: { sessions: number };
}
interface Report { dataAt?: string; days: number; counts: Record<string, { success: number; warning: number; failed: number }>; bars: number; errors: string[]; attention: number }
interface Status { key: string; name: string; state: string; error?: string }
interface Panel {
  lastData?: Data; lastReport?: Report; reads: number; disposed: boolean;
  panel: vscode.WebviewPanel;
  load(force: boolean): Promise<void>; cancel(): void; idle(): Promise<void>;
  handle(m: unknown): Promise<void>;
  onDidPost: vscode.Event<{ type: string; servers?: Status[]; rows?: { ref: string; status: string }[]; total?: number; day?: string }>;
  dispose(): void;
}

const DAY = 86_400_000;

suite('Veeam Overview (dashboard) in the extension host', function () {
  this.timeout(120000);
  let sim: SimulatorExt;
  let x: Api;
  const VB = 'Overview VB365', EM = 'Overview EM';

  suiteSetup(async () => {
    sim = await startSimulator({ vb365: { sessionsPerJob: 20, jobDurationMs: 3000 }, em: { sessionsPerJob: 40 } });
    x = await api();
    const fp = sim.certificate.fingerprint256;
    await setServers([
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ]);
    await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
    for (const s of x.store.list()) { await x.secrets.set(s.key, sim.credentials.password); await x.connections.forget(s.key); }
  });

  suiteTeardown(async () => {
    // The panel follows settings changes: close it so that later suites see no reads of its own.
    opened?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setServers([]);
    await sim?.close();
  });

  let opened: Panel | undefined;
  const open = async (arg?: unknown) => (opened = (await vscode.commands.executeCommand('veeam.openDashboard', arg)) as Panel);
  /** The webview's report once it has drawn this data (all servers answered). */
  const drawn = (p: Panel, days: number) => waitFor(() => p.lastReport, (r) => !!r && r.days === days && !!p.lastData && r.dataAt === p.lastData.generatedAt, 30000);

  test('activation does not load the overview (its bundle is required on first use)', () => {
    const loaded = Object.keys(require.cache).filter((f) => /[\\/]dist[\\/]dashboard\.js$/.test(f));
    assert.deepStrictEqual(loaded, []);
  });

  test('every server together: per-day counts equal the simulator\'s sessions, and the webview draws exactly them', async () => {
    sim.resetStats();
    const p = await open();
    await p.idle();
    const report = (await drawn(p, 7))!;
    const d = p.lastData!;
    assert.strictEqual(d.days.length, 7);
    assert.deepStrictEqual(d.servers.map((s) => [s.name, s.error]), [[VB, undefined], [EM, undefined]]);
    assert.ok(Object.keys(require.cache).some((f) => /[\\/]dist[\\/]dashboard\.js$/.test(f)), 'loaded now');
    // VB365: the simulator's own sessions, counted by the day (UTC in the test host, see below) they started.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const dayOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
    const vb = d.servers.find((s) => s.name === VB)!;
    for (const b of vb.buckets) {
      const seeded = sim.vb365Data.sessions().filter((s) => dayOf(s.creationTime) === b.day);
      const want = (st: string) => seeded.filter((s) => s.status === st).length;
      assert.deepStrictEqual([b.success, b.warning, b.failed, b.running], [want('Success'), want('Warning'), want('Failed'), want('Running')], `VB365 ${b.day}`);
    }
    // EM: the query service's sessions per day (backup and replica job sessions).
    const em = d.servers.find((s) => s.name === EM)!;
    for (const b of em.buckets) {
      const start = Date.parse(`${b.day}T00:00:00Z`);
      if (zone === 'UTC' || zone === 'Etc/UTC') {
        assert.strictEqual(b.success + b.warning + b.failed + b.running + b.other, sim.emData.countSessions(start, start + DAY - 1), `EM ${b.day}`);
      }
    }
    // The sum over both servers is what the webview drew, bar segment by bar segment.
    for (const b of d.total) {
      assert.deepStrictEqual(report.counts[b.day], { success: b.success, warning: b.warning, failed: b.failed }, `drawn ${b.day}`);
    }
    assert.ok(d.totals.sessions > 10, `${d.totals.sessions} sessions`);
    assert.ok(report.bars > 0);
    assert.deepStrictEqual(report.errors, []);
    // Needs attention: failed and warning only, newest first, with the server's message.
    assert.ok(d.attention.length > 0 && d.attention.length === Math.min(200, d.attentionTotal));
    assert.ok(d.attention.every((a) => a.status === 'failed' || a.status === 'warning'));
    const when = (a: Data['attention'][number]) => Date.parse(a.endedAt ?? a.startedAt ?? '');
    for (let i = 1; i < d.attention.length; i++) { assert.ok(when(d.attention[i - 1]) >= when(d.attention[i]), 'newest first'); }
    assert.ok(d.attention.some((a) => a.message), 'messages are carried');
    assert.strictEqual(report.attention, d.attention.length, 'one row per item');
    // Repositories of both servers, fullest first.
    assert.ok(d.repositories.some((r) => r.serverName === VB) && d.repositories.some((r) => r.serverName === EM));
    const pct = d.repositories.map((r) => r.percent ?? -1);
    assert.deepStrictEqual(pct, [...pct].sort((a, b) => b - a));
    assert.strictEqual(p.reads, 4, 'one sessions-since and one repositories read per server');
  });

  test('a click on a day lists that day\'s sessions; a row opens the session log', async () => {
    const p = await open();
    await p.idle();
    const d = p.lastData!;
    const busiest = [...d.total].sort((a, b) => (b.success + b.warning + b.failed) - (a.success + a.warning + a.failed))[0];
    const listed = new Promise<{ rows?: { ref: string; status: string }[]; total?: number }>((resolve) => {
      const sub = p.onDidPost((m) => { if (m.type === 'daySessions') { sub.dispose(); resolve(m); } });
    });
    await p.handle({ type: 'day', day: busiest.day });
    const m = await listed;
    assert.strictEqual(m.total, busiest.success + busiest.warning + busiest.failed + busiest.running + busiest.other);
    const failed = d.attention.find((a) => a.serverName === VB) ?? d.attention[0];
    await p.handle({ type: 'openLog', ref: failed.ref });
    const ed = await waitFor(() => vscode.window.activeTextEditor, (e) => e?.document.uri.scheme === 'veeam-log', 20000);
    assert.match(ed!.document.getText(), /records/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('one server from its context menu; 30 days asks again, 7 again reuses what was read', async () => {
    const vbKey = x.store.list().find((s) => s.def.name === VB)!.key;
    const p = await open(vbKey);
    await p.idle();
    assert.strictEqual(p.panel.title, `Veeam Overview — ${VB}`);
    assert.deepStrictEqual(p.lastData!.servers.map((s) => s.name), [VB]);
    const reads = p.reads;
    await p.handle({ type: 'setState', state: { v: 1, days: 30, perServer: false, zone: 'user', tables: [] }, reload: true });
    await p.idle();
    assert.strictEqual(p.lastData!.days.length, 30);
    assert.strictEqual(p.reads, reads + 2);
    await p.handle({ type: 'setState', state: { v: 1, days: 7, perServer: true, zone: 'server', tables: ['results'] }, reload: true });
    await p.idle();
    assert.strictEqual(p.lastData!.days.length, 7);
    assert.strictEqual(p.reads, reads + 2, 'seven days are inside the thirty already read');
    await vscode.commands.executeCommand('veeam.openDashboard');   // back to every server
    await p.idle();
  });

  test('a server that fails shows its error in its place while the others render', async () => {
    const fp = sim.certificate.fingerprint256;
    await setServers([
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: 'Gone', kind: 'vb365', url: 'https://127.0.0.1:9', username: 'nobody' },
    ]);
    await waitFor(() => x.store.list().length, (n) => n === 3, 5000);
    await x.secrets.set(x.store.list()[2].key, 'x');
    const p = await open();
    await p.load(true);
    const d = await waitFor(() => p.lastData, (v) => !!v && v.servers.length === 3 && !!v.servers[2].error, 30000);
    assert.match(d!.servers[2].error!, /connect|refused|reach/i);
    assert.ok(d!.servers.slice(0, 2).every((s) => !s.error));
    assert.ok(d!.totals.sessions > 10, 'the other servers\' sessions are there');
    const r = await waitFor(() => p.lastReport, (v) => !!v && v.errors.length === 1, 20000);
    assert.match(r!.errors[0], /^Gone: /);
    await setServers(x.store.list().slice(0, 2).map((s) => s.def));
    await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
  });

  test('loading can be cancelled: the slow server says so, the others render', async () => {
    sim.addFault({ server: 'em', kind: 'delay', delayMs: 20000 });
    try {
      const p = await open();
      let cancelled = false;
      const states = new Promise<Status[]>((resolve) => {
        const sub = p.onDidPost((m) => {
          if (m.type !== 'progress') { return; }
          if (!cancelled && m.servers?.find((s) => s.name === VB)?.state === 'done' && m.servers.find((s) => s.name === EM)?.state === 'loading') {
            cancelled = true; p.cancel();
          }
          if (m.servers?.find((s) => s.name === EM)?.state === 'cancelled') { sub.dispose(); resolve(m.servers); }
        });
      });
      const t0 = Date.now();
      void p.load(true);
      const s = await states;
      assert.ok(Date.now() - t0 < 15000, 'did not wait for the slow server');
      assert.strictEqual(s.find((v) => v.name === VB)!.state, 'done');
      await p.idle();
      assert.ok(p.lastData!.servers.some((v) => v.name === VB));
    } finally { sim.clearFaults(); }
  });
});
