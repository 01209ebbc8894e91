// Smoke test of the test pipeline itself: the extension under development is
// loaded by the real extension host and activates.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'veeam-explorer.veeam-explorer';

suite('smoke', () => {
  test('extension is present and activates', async () => {
    console.log(`vscode.version=${vscode.version} appName=${vscode.env.appName} uiKind=${vscode.env.uiKind} node=${process.version}`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });
});
