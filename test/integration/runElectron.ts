// Runs the integration suite in a desktop VS Code downloaded by @vscode/test-electron
// (`npm run test:electron`). Needs access to update.code.visualstudio.com, so it
// does not work on the offline CI machine: there, test/integration/run-in-code-server.mjs
// runs the same suite inside code-server's real extension host.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Compiled to out/test/integration/runElectron.js: the project root is three levels up.
  const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
  const extensionTestsPath = path.resolve(__dirname, './suite/index');
  const resultFile = process.env.VEEAM_TEST_RESULT_FILE;
  try {
    const code = await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: resultFile ? { VEEAM_TEST_RESULT_FILE: path.resolve(resultFile) } : undefined,
    });
    process.exit(code);
  } catch (err) {
    console.error('Failed to run the integration tests in VS Code (Electron):', err);
    process.exit(1);
  }
}

void main();
