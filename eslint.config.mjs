import tseslint from 'typescript-eslint';

// Imports run one way: api ← services ← (tree | ui | dashboard) ← commands ← extension.ts.
// src/api is pure TypeScript (no vscode, tested in plain Node); services hold state and talk to
// servers; tree and ui are views on the services and do not import each other.
const layer = (files, forbidden, extraPaths = []) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: extraPaths,
      patterns: forbidden.map((f) => ({ group: [`**/${f}`, `**/${f}/**`], message: `${files[0].split('/').slice(1, -1).filter((x) => x !== '**').join('/')} may not import ${f} (imports run api ← services ← tree|ui|dashboard ← commands ← extension)` })),
    }],
  },
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
  layer(['src/api/**/*.ts'], ['services', 'tree', 'ui', 'commands', 'extension'],
    [{ name: 'vscode', message: 'src/api never imports vscode' }]),
  layer(['src/services/**/*.ts'], ['tree', 'ui', 'commands', 'extension']),
  layer(['src/tree/**/*.ts'], ['ui', 'commands', 'extension']),
  layer(['src/ui/**/*.ts'], ['tree', 'commands', 'extension']),
  layer(['src/commands/**/*.ts'], ['extension']),
  // The overview is a view like tree and ui, and a bundle of its own (dist/dashboard.js, loaded on first use):
  // from services and from api's stateful parts it takes only types (the live objects are handed in; a class
  // imported here would be a second copy of the extension's).
  layer(['src/dashboard/**/*.ts'], ['tree', 'ui', 'commands', 'extension']),
  {
    files: ['src/dashboard/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/services/**', '**/services', '**/api/kinds', '**/api/errors', '**/api/http/**', '**/api/vb365/**', '**/api/em/**'], allowTypeImports: true,
          message: 'src/dashboard is its own bundle: import only types from services and from stateful parts of api (the objects are handed in).' }],
      }],
    },
  },
  // The webview script runs in the browser: it sees only the protocol, the aggregation's types and its own modules.
  layer(['src/dashboard/webview/**/*.ts'], ['api', 'services', 'tree', 'ui', 'commands', 'extension'],
    [{ name: 'vscode', message: 'the webview has no vscode module (it talks through postMessage)' }]),
);
