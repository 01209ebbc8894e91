import tseslint from 'typescript-eslint';

// Imports run one way: api ← services ← (tree | ui | dashboard) ← commands ← tools ← extension.ts.
// src/api is pure TypeScript (no vscode, tested in plain Node); services hold state and talk to
// servers; tree and ui are views on the services and do not import each other; tools (chat) reuse
// the commands' code paths.
// A file d folders below src/<layer>/ reaches src/ through d + 1 '../': forbid exactly those paths
// (so a file of a kind named tree.ts inside src/api/vbr is not mistaken for src/tree).
const layer = (name, forbidden, extraPaths = []) => [0, 1, 2].map((d) => {
  const up = '../'.repeat(d + 1);
  return {
    files: [`src/${name}/${'*/'.repeat(d)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: extraPaths,
        patterns: forbidden.map((f) => ({
          group: [`${up}${f}`, `${up}${f}/*`, `${up}${f}/**`],
          message: `src/${name} may not import src/${f} (imports run api ← services ← tree|ui|dashboard ← commands ← tools ← extension)`,
        })),
      }],
    },
  };
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-harness/**', 'scripts/**', 'test/e2e/**', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  ...layer('api', ['services', 'tree', 'ui', 'commands', 'tools', 'extension'], [{ name: 'vscode', message: 'src/api never imports vscode' }]),
  ...layer('services', ['tree', 'ui', 'commands', 'tools', 'extension']),
  ...layer('tree', ['ui', 'commands', 'tools', 'extension']),
  ...layer('ui', ['tree', 'commands', 'tools', 'extension']),
  ...layer('commands', ['tools', 'extension']),
  ...layer('tools', ['extension']),
  // The overview is a view like tree and ui, and a bundle of its own (dist/dashboard.js, loaded on first use):
  // from services and from api's stateful parts it takes only types (the live objects are handed in; a class
  // imported here would be a second copy of the extension's).
  ...layer('dashboard', ['tree', 'ui', 'commands', 'tools', 'extension']),
  {
    files: ['src/dashboard/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['../services', '../services/*', '../api/kinds', '../api/errors', '../api/http/*', '../api/vb365/*', '../api/em/*', '../api/vbr/*'],
          allowTypeImports: true,
          message: 'src/dashboard is its own bundle: import only types from services and from the stateful parts of api (the objects are handed in).',
        }],
      }],
    },
  },
  // The webview script runs in the browser: it sees only the protocol, the aggregation's types and its own modules.
  {
    files: ['src/dashboard/webview/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the webview has no vscode module (it talks through postMessage)' }],
        patterns: ['api', 'services', 'tree', 'ui', 'commands', 'tools', 'extension'].map((f) => ({
          group: [`../../${f}`, `../../${f}/*`, `../../${f}/**`], message: `the webview may not import src/${f} (only ../protocol, ../aggregate's types and its own modules)`,
        })),
      }],
    },
  },
);
