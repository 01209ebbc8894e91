// The chat tools (contributes.languageModelTools) in the real extension host, called the way chat
// calls them but without a chat model: vscode.lm.tools lists them, vscode.lm.invokeTool runs them
// against the simulator (VB365 and Enterprise Manager at once, and VBR) through the same clients as the tree.
//
// chat.disableAIFeatures: the test profile (scripts/vscode/start-code-server.sh) sets it to true, and it
// stays true here. Tried both ways in this code-server (1.139): with true and with false, lm.tools lists
// all eight veeam_ tools and invokeTool runs them, so the setting does not hide extension tools (it hides
// the chat UI and the built-in AI/Copilot features; false only adds a built-in tool and starts more chat
// services, which try outside names the hardening is there to avoid). What does hide them is
// chat.extensionTools.enabled=false: lm.tools then has no veeam_ tool (invokeTool still reaches them).
//
// Confirmations: outside a chat request VS Code shows an action tool's confirmationMessages in a modal
// dialog. Under code-server's smoke-test driver (which these tests need) the dialog service answers every
// dialog itself with "yes" ("Dialog requested during smoke test"), so invokeTool goes through the
// confirmation to invoke; what the dialog says is checked by calling the registered tool's
// prepareInvocation, and the guard against an unconfirmed invoke by calling invoke directly.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, Api, byLabel, children, setServers, waitFor } from './util';

interface Tool {
  invoke(o: { input: object; toolInvocationToken: undefined }, t: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult>;
  prepareInvocation?(o: { input: object }, t: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation | undefined>;
}
type ApiTools = Api & { tools: { loaded(): boolean; tool(name: string): Tool } };

const VB = 'Chat VB365', EM = 'Chat EM';

function textOf(r: vscode.LanguageModelToolResult): string {
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** The rows of the first pipe table after the header line starting with `first`. */
function rows(text: string, first: string): Record<string, string>[] {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith(`${first} | `));
  if (h < 0) { return []; }
  const cols = lines[h].split(' | ');
  const out: Record<string, string>[] = [];
  for (const l of lines.slice(h + 1)) {
    const cells = l.split(' | ');
    if (cells.length !== cols.length) { break; }
    out.push(Object.fromEntries(cols.map((c, i) => [c, cells[i]])));
  }
  return out;
}

suite('Chat tools (language-model tools)', function () {
  this.timeout(90000);
  let sim: SimulatorExt;
  let x: ApiTools;
  const outputs: string[] = [];
  let asked = 0;
  const token = () => new vscode.CancellationTokenSource().token;
  const invoke = async (name: string, input: object): Promise<string> => {
    const t = textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token()));
    outputs.push(t);
    return t;
  };
  const prepare = async (name: string, input: object) => (await x.tools.tool(name).prepareInvocation?.({ input }, token())) ?? {};
  /** A confirmation's message as the user reads it (Markdown escapes and bold marks removed). */
  const said = (p: vscode.PreparedToolInvocation) => (p.confirmationMessages?.message as vscode.MarkdownString).value.replace(/\*\*/g, '').replace(/\\(.)/g, '$1');
  const posts = () => Object.entries(sim.stats.posts).filter(([p]) => !/\/Token$|\/sessionMngr\//.test(p));
  const logons = () => Object.entries(sim.stats.posts).filter(([p]) => /\/Token$|\/sessionMngr\//.test(p)).reduce((n, [, c]) => n + c, 0);

  const vbSessions = () => sim.vb365Data.sessions();
  /** The simulator's failed job sessions created in [since, until], both kinds. */
  const failedBetween = (since: number, until: number) => [
    ...vbSessions().filter((s) => s.status === 'Failed').map((s) => ({ server: VB, id: s.id, job: s.jobName, start: s.creationTime, message: s.message })),
    ...emFailed(since, until).map((s) => ({ server: EM, ...s })),
  ].filter((s) => Date.parse(s.start) >= since && Date.parse(s.start) <= until);
  const emFailed = (since: number, until: number) => sim.emData.sessions()
    .filter((s) => s.result === 'Failed' && Date.parse(s.creationTime) >= since && Date.parse(s.creationTime) <= until)
    .map((s) => ({ id: s.uid, job: s.jobName, start: s.creationTime, message: s.message }));

  suiteSetup(async () => {
    sim = await startSimulator({
      vb365: { syncDurationMs: 2500, jobDurationMs: 3000, sessionsPerJob: 20 },
      em: { sessionsPerJob: 20, jobDurationMs: 3000 },
      vbr: { jobDurationMs: 2500 },
    });
    x = (await api()) as ApiTools;
    x.prompts.password = async () => { asked++; return undefined; };   // a tool never asks for a password
    x.prompts.confirm = async () => { throw new Error('a tool asked for a second confirmation'); };
    await vscode.workspace.getConfiguration('veeam').update('pollIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    const fp = sim.certificate.fingerprint256;
    await setServers([
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ]);
    await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
    for (const s of x.store.list()) { await x.secrets.set(s.key, sim.credentials.password); await x.connections.forget(s.key); }
    x.tree.refresh();
    sim.resetStats();
  });

  suiteTeardown(async () => {
    // VEEAM_TOOLS_DUMP=<file> (through EXT_TEST_ENV) keeps every result for reading.
    if (process.env.VEEAM_TOOLS_DUMP) { fs.writeFileSync(process.env.VEEAM_TOOLS_DUMP, outputs.join('\n\n======\n\n')); }
    for (const o of outputs) { assert.ok(!o.includes(sim.credentials.password), 'no password in any tool result'); }
    await setServers([]);
    await sim?.close();
  });

  test('vscode.lm.tools lists every contributed tool with its schema; nothing is loaded or sent before a call', async () => {
    const pkg = vscode.extensions.getExtension('veeam-explorer.veeam-explorer')!.packageJSON as {
      contributes: { languageModelTools: { name: string; modelDescription: string; inputSchema: object; tags: string[]; toolReferenceName: string; canBeReferencedInPrompt: boolean }[] };
    };
    const contributed = pkg.contributes.languageModelTools;
    const listed = vscode.lm.tools.filter((t) => t.name.startsWith('veeam_'));
    assert.deepStrictEqual(listed.map((t) => t.name).sort(), contributed.map((t) => t.name).sort());
    assert.strictEqual(listed.length, 8);
    for (const c of contributed) {
      const t = listed.find((l) => l.name === c.name)!;
      assert.deepStrictEqual(t.inputSchema, c.inputSchema, c.name);
      assert.strictEqual(t.description, c.modelDescription);
      assert.ok(t.tags.includes('veeam'), c.name);
      assert.ok(c.canBeReferencedInPrompt && /^veeam[A-Z]\w+$/.test(c.toolReferenceName), c.name);
    }
    assert.ok(contributed.some((c) => c.toolReferenceName === 'veeamSessions'));
    assert.strictEqual(x.tools.loaded(), false, 'the implementation is required on the first invocation only');
    assert.strictEqual(sim.stats.requests, 0, 'no request before a tool is called');
  });

  test('veeam_listServers: both servers reachable, one logon each, shared with the tree', async () => {
    const text = await invoke('veeam_listServers', {});
    assert.strictEqual(x.tools.loaded(), true);
    const r = rows(text, 'server');
    assert.deepStrictEqual(r.map((s) => [s.server, s.kind, s.state]), [[VB, 'VB365', 'reachable, logged on'], [EM, 'Enterprise Manager', 'reachable, logged on']]);
    assert.strictEqual(r[0].host, new URL(sim.vb365.url).host);
    assert.match(text, /^2 Veeam servers \(now \d{4}-\d{2}-\d{2}T[\d:]+Z, local UTC[+-]\d\d:\d\d\):/);
    assert.strictEqual(logons(), 2, 'one logon per server');
    await invoke('veeam_listServers', { server: EM });
    // The tree uses the same clients: expanding both servers logs on to neither again.
    for (const s of await children(x)) { await children(x, s); }
    assert.strictEqual(logons(), 2, 'the tree reuses the tools\' logons');
    assert.strictEqual(asked, 0);
  });

  test('action confirmations name the job or repository and the server (prepareInvocation, no request)', async () => {
    // EM jobs the tree has listed are named with their backup server.
    const bs = await children(x, byLabel(await children(x, byLabel(await children(x), EM)), 'Backup Servers'));
    const jobs = await children(x, (await children(x, bs[0]))[0]);
    sim.resetStats();
    const start = await prepare('veeam_startJob', { server: VB, job: 'Exchange daily' });
    assert.match(String(start.confirmationMessages?.title), /^Start Veeam job "Exchange daily" on Chat VB365\?$/);
    assert.match(said(start), /^Start the job Exchange daily on Chat VB365 \(127\.0\.0\.1:\d+\)\?\n\nThe job runs now with its configured settings\. Veeam Explorer sends one request \(never repeated\)/);
    const sync = await prepare('veeam_syncRepository', { server: VB, repository: 'Local Repo' });
    assert.match(String(sync.confirmationMessages?.title), /^Synchronize Veeam repository "Local Repo" on Chat VB365\?$/);
    const em = await prepare('veeam_startJob', { server: EM, job: jobs[0].label });
    assert.ok(said(em).startsWith(`Start the job ${jobs[0].label} on backup server ${bs[0].label} (Chat EM) (`), said(em));
    const stop = await prepare('veeam_stopJob', { server: EM, job: jobs[0].label });
    assert.match(String(stop.confirmationMessages?.title), /^Stop Veeam job /);
    assert.match(said(stop), /The running session ends now/);
    // An unknown server, or a kind without that action: nothing to confirm, nothing will be sent.
    assert.strictEqual((await prepare('veeam_startJob', { server: 'Nowhere', job: 'x' })).confirmationMessages, undefined);
    assert.strictEqual((await prepare('veeam_syncRepository', { server: EM, repository: 'x' })).confirmationMessages, undefined);
    assert.strictEqual(sim.stats.requests, 0, 'confirmations send nothing');
  });

  test('veeam_startJob: confirmed, exactly one POST, followed in the tree and the status bar like a start from the tree', async () => {
    sim.resetStats();
    const job = sim.vb365Data.jobs().find((j) => j.name === 'Exchange daily')!;
    const text = await invoke('veeam_startJob', { server: VB, job: 'exchange DAILY' });
    assert.match(text, /^Started the job "Exchange daily" on Chat VB365: job session id [0-9a-f-]{36}, running/);
    assert.deepStrictEqual(posts(), [[`/v8/Jobs/${job.id}/start`, 1]]);
    await waitFor(() => x.statusBar.item.text, (t) => /Veeam: Exchange daily/.test(t), 10000);
    const running = await invoke('veeam_runningWork', {});
    const row = rows(running, 'server').find((r) => r.work === 'Exchange daily');
    assert.ok(row, running);
    assert.strictEqual(row.server, VB);
    assert.ok(text.includes(row.id), 'the session id is the one the start returned');
    // A second start while it runs sends nothing.
    const again = await invoke('veeam_startJob', { server: VB, job: job.id });
    assert.match(again, new RegExp(`^"Exchange daily" on Chat VB365 is already running \\(.*session id ${row.id}\\); nothing was sent\\.$`));
    assert.deepStrictEqual(posts(), [[`/v8/Jobs/${job.id}/start`, 1]]);
    await waitFor(() => x.statusBar.item.text, (t) => !/Exchange daily/.test(t), 20000);
  });

  test('veeam_syncRepository: one POST, the sync is watched to its end', async () => {
    sim.resetStats();
    const repo = sim.vb365Data.repositories().find((r) => r.name === 'Archive Repo')!;
    const text = await invoke('veeam_syncRepository', { server: VB, repository: 'Archive Repo' });
    assert.match(text, /^Started the sync of "Archive Repo" on Chat VB365: sync session id /);
    assert.deepStrictEqual(posts(), [[`/v8/BackupRepositories/${repo.id}/Sync`, 1]]);
    await waitFor(() => x.statusBar.item.text, (t) => /Veeam: Archive Repo/.test(t), 10000);
    await waitFor(() => x.statusBar.item.text, (t) => !/Archive Repo/.test(t), 20000);
  });

  test('veeam_findSessions: "failed in the last 24 h" is exactly the simulator\'s failed sessions of that window, across kinds', async () => {
    // Enterprise Manager: one failed run 3 h ago (in the window) and one 30 h ago (outside it), besides the seeded ones.
    const emJob = sim.emData.jobs().find((j) => j.jobType === 'Backup')!;
    sim.emData.addSession(emJob.id, { result: 'Failed', message: 'Error: Failed to create VM snapshot. The operation timed out.', agoMs: 3 * 3_600_000 });
    sim.emData.addSession(emJob.id, { result: 'Failed', message: 'Error: older than the window.', agoMs: 30 * 3_600_000 });
    const text = await invoke('veeam_findSessions', { result: ['failed'], since: '24h' });
    const until = Date.now();
    const since = until - 24 * 3_600_000;
    const got = rows(text, 'server');
    assert.ok(got.every((r) => r.result === 'failed'), text);
    const expected = failedBetween(since, until);
    assert.ok(expected.length >= 2, `the simulator has failed sessions in the window: ${JSON.stringify(expected)}`);
    assert.deepStrictEqual(got.map((r) => `${r.server} ${r.id}`).sort(), expected.map((e) => `${e.server} ${e.id}`).sort(), text);
    assert.ok(new Set(got.map((r) => r.server)).size === 2, 'both kinds answer');
    for (const r of got) {
      const e = expected.find((x) => x.id === r.id)!;
      assert.strictEqual(r.job, e.job);
      assert.strictEqual(r.start, e.start.replace(/\.\d{3}Z$/, 'Z'));
      if (e.message) { assert.ok(e.message.replace(/\s+/g, ' ').startsWith(r.message.replace(/…$/, '')), `${r.message} / ${e.message}`); }
    }
    // Why the EM one failed: its message, and its task sessions as the log (EM has no log records).
    const emRow = got.find((r) => r.server === EM && /VM snapshot/.test(r.message))!;
    const why = await invoke('veeam_sessionLog', { server: EM, sessionId: emRow.id });
    assert.match(why, /\nReason: Error: Failed to create VM snapshot\. The operation timed out\.\n/);
    assert.match(why, /\nNote: .*task sessions/i);
    assert.match(why, /\nLast \d+ of \d+ log records \(\d+ failed/);
    const times = got.map((r) => Date.parse(r.start));
    assert.deepStrictEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.match(text, new RegExp(`^Job sessions from \\S+ to \\S+ \\(now\\), result failed, 2 servers; local time UTC[+-]\\d\\d:\\d\\d\\. ${got.length} found, newest first\\.`));
  });

  test('veeam_findSessions: row cap, server, job and result filters, time window', async () => {
    const all = vbSessions().filter((s) => Date.parse(s.creationTime) >= Date.now() - 7 * 86_400_000);
    const capped = await invoke('veeam_findSessions', { server: VB, since: '7d', limit: 3 });
    assert.strictEqual(rows(capped, 'server').length, 3);
    assert.match(capped, new RegExp(`\\. ${all.length} found, newest first\\.`));
    assert.match(capped, new RegExp(`\\n… ${all.length - 3} more not shown \\(limit 3; raise it up to 500 or narrow the filter\\)\\.`));
    const teams = rows(await invoke('veeam_findSessions', { server: VB, since: '7d', job: 'TEAMS' }), 'server');
    assert.deepStrictEqual(teams.map((r) => r.id).sort(), all.filter((s) => s.jobName === 'Teams backup').map((s) => s.id).sort());
    const warned = rows(await invoke('veeam_findSessions', { server: VB, since: '7d', result: ['warning', 'failed'] }), 'server');
    assert.deepStrictEqual(warned.map((r) => r.id).sort(), all.filter((s) => s.status === 'Warning' || s.status === 'Failed').map((s) => s.id).sort());
    const from = Date.now() - 3 * 86_400_000, to = Date.now() - 86_400_000;
    const window = rows(await invoke('veeam_findSessions', { server: VB, since: new Date(from).toISOString(), until: new Date(to).toISOString(), limit: 500 }), 'server');
    assert.deepStrictEqual(window.map((r) => r.id).sort(),
      vbSessions().filter((s) => Date.parse(s.creationTime) >= from && Date.parse(s.creationTime) <= to).map((s) => s.id).sort());
    assert.match(await invoke('veeam_findSessions', { since: '1h', until: '2h' }), /^Error: "since" \(.*\) must be before "until"/);
  });

  test('a run that fails: veeam_findSessions shows it with the server\'s message, veeam_sessionLog gives the reason and the last lines', async () => {
    const job = sim.vb365Data.jobs().find((j) => j.name === 'Teams backup')!;
    sim.vb365Data.nextRun(job.id, { status: 'Failed', message: 'Simulated: the mailbox quota of adele@contoso is exceeded.', durationMs: 1500, logItems: 40 });
    const started = await invoke('veeam_startJob', { server: VB, job: 'Teams backup' });
    const id = /session id ([0-9a-f-]{36})/.exec(started)![1];
    await waitFor(() => sim.vb365Data.sessions().find((s) => s.id === id)?.status, (st) => st === 'Failed', 20000);
    await waitFor(() => x.statusBar.item.text, (t) => !/Teams backup/.test(t), 20000);
    const found = rows(await invoke('veeam_findSessions', { server: VB, since: '10m', result: ['failed'] }), 'server');
    const row = found.find((r) => r.id === id)!;
    assert.ok(row, JSON.stringify(found));
    assert.strictEqual(row.message, 'Simulated: the mailbox quota of adele@contoso is exceeded.');
    const log = await invoke('veeam_sessionLog', { server: VB, sessionId: id, lines: 5 });
    assert.match(log, new RegExp(`^Session "Teams backup — .*" \\(job session\\) on Chat VB365: failed, \\S+ → \\S+, id ${id}\\.\\nReason: Simulated: the mailbox quota of adele@contoso is exceeded\\.`));
    const total = sim.vb365Data.logItemCount(id);
    assert.match(log, new RegExp(`\\nLast 5 of ${total} log records \\(\\d+ failed, \\d+ warning\\), oldest first:\\ntime \\| status \\| title \\| detail\\n`));
    assert.strictEqual(rows(log.slice(log.indexOf('Last 5')), 'time').length, 5);
    // An id the tools have not seen is looked up on the server.
    await x.connections.forget(x.store.list()[0].key);
    const older = vbSessions().find((s) => s.status === 'Warning')!;
    const again = await invoke('veeam_sessionLog', { server: VB, sessionId: older.id.toUpperCase(), lines: 3 });
    assert.match(again, /: warning, /);
    assert.match(await invoke('veeam_sessionLog', { server: VB, sessionId: '00000000-0000-4000-8000-000000000000' }), /^Error: No session with id "00000000-/);
  });

  test('veeam_stopJob: confirmed, one stop POST, the session is followed to its end', async () => {
    const job = sim.vb365Data.jobs().find((j) => j.name === 'Exchange daily')!;
    sim.vb365Data.nextRun(job.id, { durationMs: 60_000 });
    await invoke('veeam_startJob', { server: VB, job: 'Exchange daily' });
    await waitFor(() => sim.vb365Data.jobs().find((j) => j.id === job.id)!.running, (r) => r, 10000);
    // The tree lists the job as running now (its node offers Stop).
    x.tree.refresh();
    sim.resetStats();
    const stop = await prepare('veeam_stopJob', { server: VB, job: 'Exchange daily' });
    assert.match(String(stop.confirmationMessages?.title), /^Stop Veeam job "Exchange daily" on Chat VB365\?$/);
    const text = await invoke('veeam_stopJob', { server: VB, job: 'Exchange daily' });
    assert.match(text, /^Stop of "Exchange daily" on Chat VB365 requested/);
    assert.deepStrictEqual(posts(), [[`/v8/Jobs/${job.id}/stop`, 1]]);
    await waitFor(() => sim.vb365Data.jobs().find((j) => j.id === job.id)!.running, (r) => !r, 15000);
    await waitFor(() => x.statusBar.item.text, (t) => !/Exchange daily/.test(t), 15000);
  });

  test('veeam_repositories: capacity, free and fill per server, fullest first', async () => {
    const text = await invoke('veeam_repositories', {});
    const r = rows(text, 'server');
    const vb = r.filter((x) => x.server === VB);
    const sims = sim.vb365Data.repositories();
    assert.deepStrictEqual(vb.map((x) => x.repository).sort(), sims.map((x) => x.name).sort());
    for (const v of vb) {
      const s = sims.find((x) => x.name === v.repository)!;
      assert.strictEqual(v.id, s.id);
      assert.strictEqual(v.used, `${Math.round(((s.capacityBytes - s.freeSpaceBytes) / s.capacityBytes) * 1000) / 10}%`);
    }
    const used = vb.map((x) => parseFloat(x.used));
    assert.deepStrictEqual(used, [...used].sort((a, b) => b - a));
    const em = r.filter((x) => x.server === EM);
    assert.deepStrictEqual(em.map((x) => x.id).sort(), sim.emData.repositories().map((x) => x.uid).sort());
    for (const e of em) {
      const s = sim.emData.repositories().find((x) => x.uid === e.id)!;
      assert.strictEqual(e.used, `${Math.round(((s.capacity - s.free) / s.capacity) * 1000) / 10}%`);
    }
  });

  test('a third kind (VBR) answers through the same tools: its window, a planned failure with its reason, repositories, a start', async () => {
    const fp = sim.certificate.fingerprint256;
    const VBR = 'Chat VBR';
    const two = [
      { name: VB, kind: 'vb365', url: sim.vb365.url, username: sim.credentials.username, trustedCertificate: fp },
      { name: EM, kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: fp },
    ];
    await setServers([...two, { name: VBR, kind: 'vbr', url: sim.vbr.url, username: sim.credentials.username, trustedCertificate: fp }]);
    try {
      await waitFor(() => x.store.list().length, (n) => n === 3, 5000);
      await x.secrets.set(x.store.list()[2].key, sim.credentials.password);
      const servers = rows(await invoke('veeam_listServers', {}), 'server');
      assert.deepStrictEqual(servers.map((r) => [r.server, r.kind, r.state]).at(-1), [VBR, 'VBR', 'reachable, logged on']);
      // Every job session of the last 24 h, exactly as many as the simulator holds.
      const since = Date.now() - 24 * 3_600_000;
      const all = rows(await invoke('veeam_findSessions', { server: VBR, limit: 500 }), 'server');
      const held = sim.vbrData.sessions().filter((s) => s.kind === 'job' && s.creationTime >= since);
      assert.deepStrictEqual(all.map((r) => r.id).sort(), held.map((s) => s.id).sort());
      // A run planned to fail: found among the failed ones with the server's reason, and its log says why.
      const f = sim.vbrData.fixtures();
      const job = sim.vbrData.jobs().find((j) => j.id === f.successJobId)!;
      sim.vbrData.setNextResult(job.id, 'Failed', 'Simulated: the repository ran out of free space.');
      sim.resetStats();
      const started = await invoke('veeam_startJob', { server: VBR, job: job.name });
      assert.match(started, new RegExp(`^Started the job "${job.name}" on Chat VBR: `));
      assert.strictEqual(posts().length, 1, JSON.stringify(posts()));
      const id = /session id ([^,\s]+),/.exec(started)![1];
      await waitFor(() => x.statusBar.item.text, (t) => !t.includes(job.name), 20000);
      const failed = rows(await invoke('veeam_findSessions', { result: ['failed'], since: '10m' }), 'server');
      const row = failed.find((r) => r.server === VBR && r.id === id)!;
      assert.ok(row, JSON.stringify(failed));
      assert.match(row.message, /^Simulated: the repository ran out of free space\./);
      const why = await invoke('veeam_sessionLog', { server: VBR, sessionId: id, lines: 5 });
      assert.match(why, /\nReason: Simulated: the repository ran out of free space\./);
      assert.match(why, /\nLast \d+ of \d+ log records/);
      const repos = rows(await invoke('veeam_repositories', { server: VBR }), 'server');
      assert.ok(repos.length > 0 && repos.every((r) => r.server === VBR && /%$|^–$/.test(r.used)), JSON.stringify(repos));
    } finally {
      await setServers(two);
      await waitFor(() => x.store.list().length, (n) => n === 2, 5000);
    }
  });

  test('an action that was never confirmed sends nothing', async () => {
    sim.resetStats();
    const r = textOf(await x.tools.tool('veeam_startJob').invoke({ input: { server: VB, job: 'Teams backup' }, toolInvocationToken: undefined }, token()));
    assert.match(r, /not confirmed by the user; nothing was sent/);
    assert.deepStrictEqual(posts(), []);
  });

  test('action errors are answers: unknown job lists the jobs, ambiguous names, a job that cannot act now', async () => {
    sim.resetStats();
    const unknown = await invoke('veeam_startJob', { server: VB, job: 'Nightly SQL' });
    assert.match(unknown, /^No job named "Nightly SQL" \(or with that id\) on Chat VB365; nothing was sent\. Jobs there: "Exchange daily", /);
    const idle = await invoke('veeam_stopJob', { server: VB, job: 'Exchange daily' });
    assert.match(idle, /^"Exchange daily" on Chat VB365 cannot stop now \(.*\); nothing was sent\.$/);
    const noServer = await invoke('veeam_syncRepository', { server: 'Nowhere', repository: 'x' });
    assert.match(noServer, /^Error: No Veeam server is named "Nowhere"\. Configured servers: "Chat VB365", "Chat EM"\./);
    const emSync = await invoke('veeam_syncRepository', { server: EM, repository: 'x' });
    assert.strictEqual(emSync, 'Error: Chat EM (Enterprise Manager) cannot synchronize repositories; nothing was sent.');
    assert.deepStrictEqual(posts(), []);
  });

  test('errors the model can relay: wrong password (no prompt, no secret), unreachable server, bad input', async () => {
    const vb = x.store.list().find((s) => s.def.name === VB)!;
    await x.secrets.set(vb.key, 'wrong-password-123');
    await x.connections.forget(vb.key);
    try {
      const text = await invoke('veeam_listServers', {});
      const r = rows(text, 'server');
      assert.match(r[0].state, /^ERROR Chat VB365: logon failed .*Ask the user to run "Veeam: Enter Password…" for Chat VB365/);
      assert.strictEqual(r[1].state, 'reachable, logged on', 'the other server still answers');
      assert.ok(!text.includes('wrong-password-123'));
      const start = await invoke('veeam_startJob', { server: VB, job: 'Teams backup' });
      assert.match(start, /Enter Password….*Nothing was sent\.$/);
      assert.strictEqual(asked, 0, 'no password prompt from a tool');
    } finally {
      await x.secrets.set(vb.key, sim.credentials.password);
      await x.connections.forget(vb.key);
    }
    await sim.stop();
    try {
      await x.connections.forget(vb.key);
      const text = await invoke('veeam_listServers', { server: VB });
      assert.match(rows(text, 'server')[0].state, /^ERROR Chat VB365: unreachable \(.*refused the connection/);
    } finally { await sim.start(); }
    const bad = await invoke('veeam_findSessions', { since: 'last tuesday' });
    assert.match(bad, /^Error: "since" must be ISO 8601/);
    const badResult = await invoke('veeam_findSessions', { result: 'exploded' });
    assert.match(badResult, /^Error: /);
  });
});
