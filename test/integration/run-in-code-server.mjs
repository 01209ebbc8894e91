// Runs the integration suite (out/test/integration/suite/index.js, mocha) inside the
// REAL remote extension host of code-server: the equivalent of VS Code's
// --extensionDevelopmentPath/--extensionTestsPath, using the hooks VS Code's own
// browser integration tests use (see /work/shared/docs/real-vscode.md §4):
//  - code-server runs with --vscode-option enable-smoke-test-driver, so the workbench
//    honours the `payload` query parameter (dev options);
//  - when the suite settles the workbench calls window.codeAutomationExit(code).
// The suite writes {passes, failures, tests} to VEEAM_TEST_RESULT_FILE; this prints
// mocha's lines, then exactly one line `integration: N passed, N failed`.
// Usage: node test/integration/run-in-code-server.mjs <baseUrl> [workspaceFolder]
// Env: EXT_TEST_ENV='{"K":"V"}' extra env for the extension host;
//      EXT_TEST_TIMEOUT_MS (default 300000); VEEAM_TEST_RESULT_FILE (default: a temp file);
//      INTEGRATION_VERBOSE=1 to print the workbench noise too.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [base = 'http://127.0.0.1:8765', wsArg] = process.argv.slice(2);
const ws = path.resolve(wsArg ?? path.join(ROOT, '.vscode-harness/run/ws'));
fs.mkdirSync(ws, { recursive: true });
const testsPath = path.join(ROOT, 'out/test/integration/suite/index');
if (!fs.existsSync(`${testsPath}.js`)) {
  console.error(`missing ${testsPath}.js: run \`npm run compile\` first`);
  console.log('integration: 0 passed, 1 failed');
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-integration-'));
const resultFile = path.resolve(process.env.VEEAM_TEST_RESULT_FILE ?? path.join(tmp, 'result.json'));
fs.rmSync(resultFile, { force: true });
let extraEnv = {};
if (process.env.EXT_TEST_ENV) {
  try { extraEnv = JSON.parse(process.env.EXT_TEST_ENV); } catch (e) {
    console.error(`EXT_TEST_ENV is not JSON: ${e.message}`);
    process.exit(2);
  }
}
const extensionEnvironment = { NODE_EXTRA_CA_CERTS: path.join(ROOT, 'test/fixtures/test-ca.pem'), ...extraEnv, VEEAM_TEST_RESULT_FILE: resultFile };

const authority = new URL(base).host; // code-server uses the request's host as remote authority
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(ROOT)],
  ['extensionTestsPath', remote(testsPath)],
  ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
  ['skipWelcome', 'true'],
];
const url = `${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const timeoutMs = Number(process.env.EXT_TEST_TIMEOUT_MS ?? 300000);

// Harmless workbench noise (real-vscode.md §4): cancelled requests, the closed proxy
// port the hardening points everything at, the missing GitHub auth provider, ...
const NOISE = [
  /^Canceled\b/m,
  /\bCanceled: Canceled\b/,
  /127\.0\.0\.1:9\b/,
  /Timed out waiting for authentication provider/,
  /\[blocked\]/,
  /^\s*at\s/,                      // stray stack frames
  /Ignoring the error while validating workspace folder/,
  /No such file or directory.*\.vscode\/(extensions|settings)\.json/,
  /Extension host \(Remote\) is unresponsive/,
  /Failed to load resource/,
  // workbench start-up chatter
  /^Resolving connection token|^Resolved connection token|^Creating a socket|^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache|^\[Service Worker\]|^\[AgentHost|^\[AccountPolicyGate\]/,
  /^Started local extension host|^Extension host \(.*\) (started|exited)/,
];
const verbose = process.env.INTEGRATION_VERBOSE === '1';
const show = (text) => {
  if (!verbose && NOISE.some((re) => re.test(text))) return;
  process.stdout.write(`${text.replace(/\s+$/, '')}\n`);
};

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
let ctx;
let code = 'error';
const t0 = Date.now();
try {
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Nothing the page asks for may leave loopback.
  await ctx.route((u) => !['127.0.0.1', 'localhost'].includes(u.hostname) && /^(https?|wss?):$/.test(u.protocol),
    (r) => { if (verbose) console.log(`[blocked] ${r.request().url()}`); return r.abort(); });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  let done;
  const finished = new Promise((r) => { done = r; });
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    // Mocha logs with format strings ('%d passing (%s)', n, t): apply them.
    show(util.format(...(args ?? [])));
  });
  await page.exposeFunction('codeAutomationExit', (c) => done(c));
  page.on('pageerror', (e) => show(`pageerror: ${e.message}`));
  await page.goto(url);
  let timer;
  code = await Promise.race([finished, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
} catch (e) {
  console.error(`integration runner error: ${e?.stack ?? e}`);
} finally {
  console.log(`extension tests finished with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  await ctx?.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}

let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  passed = r.passes ?? 0;
  failed = r.failures ?? 0;
  for (const t of r.tests ?? []) {
    if (t.state === 'failed') console.log(`FAILED: ${t.title}: ${(t.err ?? '').split('\n').slice(0, 4).join('\n    ')}`);
  }
  if (r.error) console.log(`suite error: ${r.error}`);
  const pending = (r.tests ?? []).filter((t) => t.state === 'pending').length;
  if (pending) console.log(`integration pending (skipped): ${pending}`);
} catch {
  console.log(`no result file (${resultFile}): the suite did not run to the end (${code})`);
  failed = Math.max(failed, 1);
}
if (code === 'timeout') {
  console.log(`timed out after ${timeoutMs} ms`);
  failed = Math.max(failed, 1);
} else if (code !== 0 && failed === 0) {
  failed = 1; // the workbench reported failure but the suite did not count one
}
if (!process.env.VEEAM_TEST_RESULT_FILE) fs.rmSync(tmp, { recursive: true, force: true });
console.log(`integration: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
