// Certificate trust, plain HTTP and proxies inside the real extension host: pinned, CA file,
// system store with NODE_EXTRA_CA_CERTS, refused certificates as error nodes without a single
// request reaching the server, a changed certificate trusted only on confirmation, plain HTTP only
// to loopback, and VS Code (not axios) doing the proxying.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSimulator, SimulatorExt } from '../../simulator';
import { api, children, labels, setServers } from './util';
import { ApiExt, connectProxy, only, plainHttpFront, setGlobal, spyLog } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
const TOP = ['Organizations', 'Repositories', 'Jobs'];
const vb365 = (name: string, url: string, extra: Record<string, unknown> = {}) =>
  ({ name, kind: 'vb365', url, username: 'LAB\\administrator', ...extra });

suite('Trust: certificates in the extension host', function () {
  this.timeout(60000);
  const sims: SimulatorExt[] = [];
  let x: ApiExt;
  let tmp: string;
  const answers = { trust: false };
  const sim = async (o: Parameters<typeof startSimulator>[0]) => { const s = await startSimulator(o); sims.push(s); return s; };
  const caFile = (name: string, pem: string) => { const f = path.join(tmp, name); fs.writeFileSync(f, pem); return f; };

  suiteSetup(async () => {
    x = (await api()) as ApiExt;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-trust-'));
    x.prompts.trust = async () => answers.trust;
    x.prompts.password = async () => undefined;
  });

  suiteTeardown(async () => {
    await setServers([]);
    await Promise.all(sims.map((s) => s.close()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a pinned self-signed certificate is accepted', async () => {
    const s = await sim({});
    const { nodes } = await only(x, [vb365('Pinned', s.vb365.url, { trustedCertificate: s.certificate.fingerprint256 })], s.credentials.password);
    assert.deepStrictEqual(labels(nodes), TOP);
  });

  test('a CA-signed server: accepted with its caFile, refused without it (no request sent)', async () => {
    const s = await sim({ cert: 'ca-signed' });
    const ok = await only(x, [vb365('With CA', s.vb365.url, { caFile: caFile('ca.pem', s.caPem!) })], s.credentials.password);
    assert.deepStrictEqual(labels(ok.nodes), TOP);
    await x.connections.forget(ok.key);   // its logout is not part of what is counted
    s.resetStats();
    const bad = await only(x, [vb365('Without CA', s.vb365.url)], s.credentials.password);
    assert.match(bad.nodes[0].label, /^Untrusted certificate — .*issued by a certificate authority/);
    assert.strictEqual(s.stats.requests, 0, 'the refused connection sent no request');
  });

  test('wrong host (CA trusted) and expired certificates are error nodes that say so', async () => {
    const wrong = await sim({ cert: 'wrong-host' });
    const a = await only(x, [vb365('Wrong host', wrong.vb365.url, { caFile: caFile('wrong.pem', wrong.testCaPem!) })], wrong.credentials.password);
    assert.match(a.nodes[0].label, /issued for a different host name/);
    assert.strictEqual(wrong.stats.requests, 0);
    const expired = await sim({ cert: 'expired' });
    const b = await only(x, [vb365('Expired', expired.vb365.url, { caFile: caFile('expired.pem', expired.testCaPem!) })], expired.credentials.password);
    assert.match(b.nodes[0].label, /has expired/);
    assert.strictEqual(expired.stats.requests, 0);
  });

  test('a changed certificate is refused with both fingerprints and trusted only on confirmation', async () => {
    const s = await sim({});
    const old = s.certificate.fingerprint256;
    const first = await only(x, [vb365('Rotating', s.vb365.url, { trustedCertificate: old })], s.credentials.password);
    assert.deepStrictEqual(labels(first.nodes), TOP);
    await s.rotateCertificate();
    await x.connections.forget(first.key);
    s.resetStats();
    x.tree.refresh();
    let nodes = await children(x, (await children(x))[0]);
    assert.strictEqual(nodes[0].label, 'Certificate changed — connection refused');
    const short = (fp: string) => fp.slice(0, 11);
    assert.strictEqual(nodes[0].item.description, `trusted ${short(old)}…, now ${short(s.certificate.fingerprint256)}…`);
    assert.strictEqual(s.stats.requests, 0, 'nothing was sent to the changed server');
    const review = (await children(x, nodes[0].node))[0];
    assert.strictEqual(review.label, 'Review and Trust New Certificate…');
    const run = () => vscode.commands.executeCommand(review.item.command!.command, ...(review.item.command!.arguments ?? []));

    answers.trust = false;
    await run();
    assert.strictEqual(x.store.list()[0].def.trustedCertificate, old, 'declined: the old pin stays');
    x.tree.refresh();
    nodes = await children(x, (await children(x))[0]);
    assert.strictEqual(nodes[0].label, 'Certificate changed — connection refused');
    assert.strictEqual(s.stats.requests, 0);

    answers.trust = true;
    await run();
    assert.strictEqual(x.store.list()[0].def.trustedCertificate, s.certificate.fingerprint256);
    assert.deepStrictEqual(labels(await children(x, (await children(x))[0])), TOP);
    answers.trust = false;
  });

  test('NODE_EXTRA_CA_CERTS: a server signed by the test CA is trusted with no pin and no caFile', async function () {
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    assert.ok(extra, 'NODE_EXTRA_CA_CERTS is not set in the extension host (the runner must pass test/fixtures/test-ca.pem)');
    const caPem = fs.readFileSync(path.join(FIXTURES, 'test-ca.pem'), 'utf8');
    const bundle = fs.readFileSync(extra, 'utf8');
    assert.ok(bundle.includes(caPem.trim()), `NODE_EXTRA_CA_CERTS (${extra}, ${bundle.length} characters) does not hold the test CA`);
    const s = await sim({ cert: 'ca-signed', signWith: { certPem: caPem, keyPem: fs.readFileSync(path.join(FIXTURES, 'test-ca.key'), 'utf8') } });
    // Node reads NODE_EXTRA_CA_CERTS once, when the process starts. Does this extension host's Node trust the test CA?
    // (code-server 4.96 = VS Code 1.96 ignores the runner's extensionEnvironment, and the variable it then inherits
    // from code-server's own environment came too late for the process's Node.)
    const nodeTrusts = await new Promise<boolean>((resolve) => {
      const req = https.get(s.vb365.url, { agent: new https.Agent() }, (res) => { res.resume(); resolve(true); });
      req.on('error', () => resolve(false));
    });
    if (!nodeTrusts) { this.skip(); }
    const { nodes } = await only(x, [vb365('System store', s.vb365.url)], s.credentials.password);
    assert.deepStrictEqual(labels(nodes), TOP);
  });
});

suite('Trust: plain HTTP', function () {
  this.timeout(60000);
  let s: SimulatorExt;
  let x: ApiExt;

  suiteSetup(async () => { s = await startSimulator({}); x = (await api()) as ApiExt; });
  suiteTeardown(async () => { await setServers([]); await s?.close(); });

  test('http:// to 127.0.0.1 goes through, the node says "plain HTTP" and the log warns once', async () => {
    const front = await plainHttpFront(s.vb365.port);
    const log = spyLog(x);
    try {
      const { server, nodes } = await only(x, [vb365('Plain', front.url)], s.credentials.password);
      assert.deepStrictEqual(labels(nodes), TOP);
      assert.ok(front.requests > 0, 'the requests went over plain HTTP');
      assert.strictEqual(server.item.description, `VB365 · 127.0.0.1:${front.port} · plain HTTP`);
      x.tree.refresh();
      await children(x, (await children(x))[0]);
      assert.strictEqual(log.warn.filter((m) => m.includes('plain HTTP')).length, 1, JSON.stringify(log.warn));
    } finally { log.restore(); await front.close(); }
  });

  test('http://example.com is refused with the reason as the server\'s error node, and no request is made', async () => {
    const log = spyLog(x);
    try {
      const { nodes } = await only(x, [vb365('Remote plain', 'http://example.com')], 'irrelevant');
      assert.match(nodes[0].label, /^Plain HTTP would send the password unencrypted; use https:\/\//);
      assert.deepStrictEqual(labels(await children(x, nodes[0])), ['Edit Server…', 'Show Log']);
      assert.deepStrictEqual(log.requests.filter((n) => n === 'Remote plain'), [], 'no request was made');
    } finally { log.restore(); }
  });
});

suite('Trust: proxies are VS Code\'s business', function () {
  this.timeout(60000);
  let s: SimulatorExt;
  let x: ApiExt;
  const restore: (() => Promise<void>)[] = [];

  suiteSetup(async () => {
    // VS Code's proxy agent never proxies localhost/127.0.0.1/::1 (hard-coded DIRECT), so this
    // simulator listens on another loopback address.
    s = await startSimulator({ host: '127.0.0.2' });
    x = (await api()) as ApiExt;
  });
  teardown(async () => { while (restore.length) { await restore.pop()!(); } });
  suiteTeardown(async () => { await setServers([]); await s?.close(); });

  const pinned = () => vb365('Behind proxy', s.vb365.url, { trustedCertificate: s.certificate.fingerprint256 });

  test('with http.proxy set (and http.noProxy empty) the tree loads through the proxy; HTTPS_PROXY is not used by axios', async () => {
    const proxy = await connectProxy();
    const envProxy = await connectProxy();
    restore.push(() => proxy.close(), () => envProxy.close());
    restore.push(await setGlobal('http', 'proxySupport', 'override'));
    restore.push(await setGlobal('http', 'noProxy', []));
    restore.push(await setGlobal('http', 'proxy', proxy.url));
    const env = { HTTPS_PROXY: process.env.HTTPS_PROXY, HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    restore.push(async () => { Object.assign(process.env, env); });
    Object.assign(process.env, { HTTPS_PROXY: envProxy.url, HTTP_PROXY: envProxy.url, NO_PROXY: '' });
    const { nodes } = await only(x, [pinned()], s.credentials.password);
    assert.deepStrictEqual(labels(nodes), TOP);
    assert.ok(proxy.connects.length > 0, 'CONNECTs through http.proxy');
    assert.ok(proxy.connects.every((t) => t === `127.0.0.2:${s.vb365.port}`), JSON.stringify(proxy.connects));
    assert.deepStrictEqual(envProxy.connects, [], 'the HTTPS_PROXY environment variable was not used');
  });

  test('the harness\'s HTTPS_PROXY (a closed port) is ignored when VS Code does not proxy', async () => {
    assert.strictEqual(process.env.HTTPS_PROXY, 'http://127.0.0.1:9', 'the harness sets HTTPS_PROXY for the extension host');
    assert.ok(!/127\.0\.0\.2/.test(process.env.NO_PROXY ?? ''), '127.0.0.2 is not exempt by NO_PROXY');
    restore.push(await setGlobal('http', 'proxySupport', 'off'));
    const { nodes } = await only(x, [pinned()], s.credentials.password);
    assert.deepStrictEqual(labels(nodes), TOP, 'loaded directly: axios did not send it to 127.0.0.1:9');
    assert.ok(s.stats.requests > 0);
  });

  // For a host that is not 127.0.0.1/localhost, VS Code's proxy support replaces the transport's
  // agent (no TLS session cache) with https.globalAgent, whose cached TLS sessions would be resumed
  // without a peer certificate to check the pin against; requestTlsOptions opts out per request.
  test('direct to a non-loopback host VS Code swaps in https.globalAgent; a pinned server still loads', async () => {
    restore.push(await setGlobal('http', 'proxySupport', 'override'));
    restore.push(await setGlobal('http', 'noProxy', ['127.0.0.2']));
    type Create = (this: unknown, ...a: unknown[]) => unknown;
    const agent = https.globalAgent as unknown as { createConnection: Create };
    const orig = agent.createConnection;
    let viaGlobal = 0;
    agent.createConnection = function (this: unknown, ...a: unknown[]) { viaGlobal++; return orig.apply(this, a); };
    restore.push(async () => { agent.createConnection = orig; });
    const first = await only(x, [pinned()], s.credentials.password);
    assert.deepStrictEqual(labels(first.nodes), TOP);
    assert.ok(viaGlobal > 0, 'VS Code replaced the transport\'s own agent by https.globalAgent');
    const old = s.certificate.fingerprint256;
    await s.rotateCertificate();
    await x.connections.forget(first.key);
    s.resetStats();
    x.tree.refresh();
    const nodes = await children(x, (await children(x))[0]);
    assert.strictEqual(nodes[0].label, 'Certificate changed — connection refused', `pinned ${old}`);
    assert.strictEqual(s.stats.requests, 0);
  });
});
