// The extension promises VS Code 1.95 or later (engines.vscode). Desktop VS Code cannot be installed on this
// machine (no build in any registry it reaches), so what the promise rests on is checked here: the sources are
// type-checked against @types/vscode 1.95 (npm run compile), no proposed API is enabled, every `vscode.<ns>.<member>`
// the sources name — also where a cast would hide it from the compiler — is declared in 1.95's vscode.d.ts, and the
// contribution points are ones 1.95 reads. The .vsix itself is installed and driven in code-server (tier 3).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { vscode: string }; devDependencies: Record<string, string>; enabledApiProposals?: string[]; contributes: Record<string, unknown>;
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : /\.ts$/.test(d.name) ? [p] : [];
  });
}

/** The members of each top-level namespace of a vscode.d.ts (functions, consts, lets). */
function namespaces(dts: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const re = /^\t(?:export )?namespace (\w+) \{$([\s\S]*?)^\t\}$/gm;
  for (let m = re.exec(dts); m; m = re.exec(dts)) {
    const members = out.get(m[1]) ?? new Set<string>();
    for (const f of m[2].matchAll(/^\t\t(?:export )?(?:function|const|let|var) (\w+)/gm)) { members.add(f[1]); }
    out.set(m[1], members);
  }
  return out;
}

test('engines.vscode is ^1.95.0 and the sources are type-checked against @types/vscode 1.95', () => {
  assert.equal(pkg.engines.vscode, '^1.95.0');
  assert.match(pkg.devDependencies['@types/vscode'], /^~1\.95\./);
  const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string };
  assert.match(installed.version, /^1\.95\./);
  assert.equal(pkg.enabledApiProposals, undefined, 'no proposed API');
});

test('every vscode.<namespace>.<member> in src/ is declared in VS Code 1.95', () => {
  const dts = fs.readFileSync(path.join(ROOT, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  const ns = namespaces(dts);
  for (const n of ['window', 'workspace', 'commands', 'lm', 'env']) { assert.ok(ns.get(n)?.size, `namespace ${n} read from the d.ts`); }
  assert.ok(ns.get('lm')!.has('registerTool') && ns.get('lm')!.has('invokeTool'), '1.95 has the language-model tool API');
  const used = new Map<string, string>();
  for (const f of sources(path.join(ROOT, 'src'))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bvscode\.([a-z]\w*)\.([A-Za-z_]\w*)/g)) { used.set(`${m[1]}.${m[2]}`, path.relative(ROOT, f)); }
  }
  assert.ok(used.size >= 20, `found ${used.size} uses`);
  const missing = [...used].filter(([k]) => { const [n, mem] = k.split('.'); return !ns.get(n)?.has(mem); });
  assert.deepEqual(missing, [], 'used but not in VS Code 1.95');
  // The scan can fail: a member 1.95 lacks (chat participants' newer API) is not found.
  assert.equal(ns.get('lm')!.has('registerMcpServerDefinitionProvider'), false);
});

test('the contribution points are ones VS Code 1.95 reads', () => {
  const known = new Set(['viewsContainers', 'views', 'viewsWelcome', 'commands', 'languageModelTools', 'menus', 'configuration', 'walkthroughs',
    'keybindings', 'colors', 'icons']);
  assert.deepEqual(Object.keys(pkg.contributes).filter((k) => !known.has(k)), []);
});
