import tseslint from 'typescript-eslint';

// Imports run one way: api ← services ← (tree | ui) ← commands ← tools ← extension.ts.
// src/api is pure TypeScript (no vscode, tested in plain Node); services hold state and talk to
// servers; tree and ui are views on the services and do not import each other; tools (chat) reuse
// the commands' code paths.
const layer = (files, forbidden, extraPaths = []) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: extraPaths,
      patterns: forbidden.map((f) => ({ group: [`**/${f}`, `**/${f}/**`], message: `${files[0].split('/')[1]} may not import ${f} (imports run api ← services ← tree|ui ← commands ← tools ← extension)` })),
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
  layer(['src/api/**/*.ts'], ['services', 'tree', 'ui', 'commands', 'tools', 'extension'],
    [{ name: 'vscode', message: 'src/api never imports vscode' }]),
  layer(['src/services/**/*.ts'], ['tree', 'ui', 'commands', 'tools', 'extension']),
  layer(['src/tree/**/*.ts'], ['ui', 'commands', 'tools', 'extension']),
  layer(['src/ui/**/*.ts'], ['tree', 'commands', 'tools', 'extension']),
  layer(['src/commands/**/*.ts'], ['tools', 'extension']),
  layer(['src/tools/**/*.ts'], ['extension']),
);
