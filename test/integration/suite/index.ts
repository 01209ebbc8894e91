// Entry point loaded by the VS Code extension host via extensionTestsPath
// (test/integration/run-in-code-server.mjs, or runElectron.ts on a desktop VS Code).
// Runs every *.test.js next to this file with mocha (tdd ui) and, when
// VEEAM_TEST_RESULT_FILE is set, leaves a machine-readable result there: the
// extension host's stdout is not visible to the runner in code-server. VEEAM_TEST_GREP (a mocha grep,
// passed with EXT_TEST_ENV) runs only the matching tests, for local loops.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  err?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30000, ...(process.env.VEEAM_TEST_GREP ? { grep: process.env.VEEAM_TEST_GREP } : {}) });
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) {
      mocha.addFile(path.join(dir, f));
    }
  }

  const tests: TestResult[] = [];
  let passes = 0;
  let failures = 0;
  const resultFile = process.env.VEEAM_TEST_RESULT_FILE;
  const write = (fatal?: unknown): void => {
    if (!resultFile) {
      return;
    }
    const body: Record<string, unknown> = { passes, failures, tests };
    if (fatal !== undefined) {
      body.error = fatal instanceof Error ? (fatal.stack ?? fatal.message) : String(fatal);
    }
    fs.writeFileSync(resultFile, JSON.stringify(body, null, 2));
  };

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failed) => {
        failures = Math.max(failures, failed);
        write();
        if (failed > 0) {
          reject(new Error(`${failed} tests failed.`));
        } else {
          resolve();
        }
      });
      runner.on('pass', (t: Mocha.Test) => {
        passes++;
        tests.push({ title: t.fullTitle(), state: 'passed' });
      });
      runner.on('fail', (t: Mocha.Runnable, err: Error) => {
        // Hook failures ("before all" hook …) count too: they hide their tests.
        failures++;
        tests.push({ title: t.fullTitle(), state: 'failed', err: err?.stack ?? String(err) });
      });
      runner.on('pending', (t: Mocha.Test) => {
        tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    } catch (e) {
      // A test file that throws while loading: report it as one failure.
      failures++;
      tests.push({ title: 'loading test files', state: 'failed', err: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      write(e);
      reject(e);
    }
  });
}
