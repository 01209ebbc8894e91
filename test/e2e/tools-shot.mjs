// Screenshot of the chat tools as VS Code lists them, in code-server without the smoke driver and with
// the packaged .vsix installed: the chat's tool picker (Chat view → Configure Tools… → "veeam", the
// "Veeam Explorer" group expanded), which needs the chat UI (start code-server with
// EXTRA_SETTINGS='{"chat.disableAIFeatures": false}'; no model or sign-in is needed to list tools);
// with the test profile's chat.disableAIFeatures=true there is no chat view, and the script shows the
// Extensions view's Features → Language Model Tools page instead. Checks that all eight tools are listed.
// Usage: node test/e2e/tools-shot.mjs <baseUrl> <workspaceFolder> [out.png]   (default media/chat-tools.png)
// e.g.  RUN_DIR=/tmp/shot bash scripts/vscode/install-extension.sh .vscode-harness dist/veeam-explorer.vsix
//       RUN_DIR=/tmp/shot SMOKE_DRIVER=0 EXTRA_SETTINGS='{"chat.disableAIFeatures": false}' \
//         bash scripts/vscode/start-code-server.sh .vscode-harness 8799 /tmp/shot/ws
//       node test/e2e/tools-shot.mjs http://127.0.0.1:8799 /tmp/shot/ws
//       bash scripts/vscode/stop-code-server.sh /tmp/shot
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [base = 'http://127.0.0.1:8765', ws = path.join(ROOT, '.vscode-harness/run/ws'), out = path.join(ROOT, 'media/chat-tools.png')] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-shot-'));
let code = 1;
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, viewport: { width: 1360, height: 860 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // Nothing the page asks for may leave loopback.
  await ctx.route((u) => !['127.0.0.1', 'localhost'].includes(u.hostname) && /^(https?|wss?):$/.test(u.protocol), (r) => r.abort());
  const page = ctx.pages()[0] ?? await ctx.newPage();
  await page.goto(`${base}/?folder=${encodeURIComponent(path.resolve(ws))}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.waitForTimeout(3000);
  const listed = (await chatToolPicker(page)) ?? (await featuresPage(page));
  console.log(`tools listed: ${listed.join(', ')}`);
  console.log(`screenshot: ${path.relative(process.cwd(), out)}`);
  code = listed.length === 8 ? 0 : 1;
} catch (e) {
  console.error(`tools-shot: ${e?.stack ?? e}`);
} finally {
  await ctx.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(code);

async function settle(page) {
  await page.mouse.move(5, 5);
  await page.waitForTimeout(600);
  await page.screenshot({ path: out });
}

/** Chat view → Configure Tools… filtered to "veeam", the extension's group expanded; undefined without a chat UI. */
async function chatToolPicker(page) {
  await page.keyboard.press('F1');
  await page.keyboard.type('>Chat: Open Chat');
  const cmd = page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Chat: Open Chat(Ctrl|$)/ }).first();
  if (!(await cmd.waitFor({ timeout: 5000 }).then(() => true, () => false))) { await page.keyboard.press('Escape'); return undefined; }
  await cmd.click();
  const configure = page.locator('.action-label[aria-label^="Configure Tools"]').first();
  if (!(await configure.waitFor({ timeout: 15000 }).then(() => true, () => false))) { return undefined; }
  await configure.click();
  await page.locator('.quick-input-widget').waitFor({ timeout: 10000 });
  await page.keyboard.type('veeam');
  const group = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Veeam Explorer' }).first();
  await group.waitFor({ timeout: 10000 });
  await group.locator('.monaco-tl-twistie').first().click();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'veeamSessions' }).first().waitFor({ timeout: 10000 });
  await settle(page);
  const names = await page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents();
  return [...new Set(names.map((t) => t.trim()).filter((t) => /^veeam[A-Z]\w*$/.test(t)))];
}

/** Extensions view → Veeam Explorer → Features → Language Model Tools. */
async function featuresPage(page) {
  await page.keyboard.press('Control+Shift+X');
  await page.locator('.extensions-viewlet').waitFor({ timeout: 15000 });
  await page.keyboard.type('@installed veeam');
  const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Veeam Explorer' }).first();
  await item.waitFor({ timeout: 15000 });
  await item.click();
  await page.locator('.extension-editor .navbar .action-label', { hasText: 'Features' }).first().click();
  await page.locator('.extension-editor .monaco-list-row', { hasText: 'Language Model Tools' }).first().click();
  const table = page.locator('.extension-editor .extension-feature-content');
  await table.getByText('veeam_findSessions').first().waitFor({ timeout: 15000 });
  await settle(page);
  return [...new Set((await table.innerText()).match(/veeam_\w+/g) ?? [])];
}
