// Bundles the extension for the extension host: a small core plus one file per lazily loaded part.
//   dist/extension.js   the core: src/extension.ts and everything it imports (tree, commands, UI, settings)
//   dist/<path>.js      one file per module the core (or another part) loads with a relative `require()`
//                       call, e.g. kinds.ts's `require('./vb365')` → dist/api/vb365.js, loaded on first use
//   dist/shared.js      modules that two or more lazy parts import (the HTTP transport, axios, fast-xml-parser),
//                       loaded once by the first part that needs them
// No build change is needed when a part is added: a new `require('./vbr')` in kinds.ts (or a lazily
// required dashboard) becomes its own file. `import` statements stay static; `require()` of a relative
// path in src/ is the split point.
// Every module is loaded once: a part that imports a module the core holds (errors.ts: `instanceof
// VeeamError` must hold across files) gets the core's instance through the core's `__shared` export,
// and likewise from dist/shared.js. The build fails if the core contains an HTTP or XML library.
// `--production` minifies and drops source maps; `--metafile` prints what takes the space in each file.
// The layout (files, their modules and sizes) is written to out/build/layout.json for `npm run bench`.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const OUT = path.join(ROOT, 'dist');
const CORE_ENTRY = 'src/extension.ts';
/** Never in the core (dist/extension.js): activation must not parse them. */
const NOT_IN_CORE = [/(^|\/)node_modules\/axios\//, /(^|\/)node_modules\/fast-xml-parser\//, /(^|\/)node_modules\/fast-xml-builder\//, /^src\/api\/http\/transport\.ts$/];

const production = process.argv.includes('--production');
const rel = (abs) => path.relative(ROOT, abs).split(path.sep).join('/');

const axiosNodeOnly = {
  name: 'axios-node-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/(xhr|fetch)\.js$/ }, (args) =>
      /axios[\\/]lib[\\/]adapters$/.test(args.resolveDir)
        ? { path: path.join(ROOT, 'build/axios-browser-adapter-shim.mjs') }
        : undefined);
    // axios's utils read the global FormData when they load (for isFormData's instanceof): in Node that
    // loads the fetch implementation (undici, ~12 ms CPU at a kind's first use). isFormData keeps its
    // duck-typed test, and this extension never sends FormData (build/form-data-shim.cjs).
    b.onLoad({ filter: /axios[\\/]lib[\\/]utils\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const line = "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";
      if (!text.includes(line)) { return { contents: text, loader: 'js', warnings: [{ text: 'axios/lib/utils.js changed: the global FormData is read at load again (see esbuild.mjs)' }] }; }
      return { contents: text.replace(line, 'const FormDataCtor = undefined; // esbuild.mjs: not read at load'), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: ROOT,
  // axios ships a browser and a node build; the extension host is Node.
  mainFields: ['module', 'main'],
  conditions: ['node'],
  // Stand-ins for parts of axios the extension never runs (see each shim's comment):
  // form-data drags in mime-db (130 KB) for multipart bodies; follow-redirects is unused with
  // maxRedirects 0; the xhr and fetch adapters are for browsers; debug only serves the unused proxy agent.
  // http2 is loaded on first use only (build/http2-shim.cjs).
  alias: { 'form-data': './build/form-data-shim.cjs', 'follow-redirects': './build/follow-redirects-shim.cjs', debug: './build/debug-shim.cjs', http2: './build/http2-shim.cjs' },
};

/** A lazily required module's output name: src/api/vb365/index.ts → api/vb365. */
function partName(key) {
  return key.replace(/^src\//, '').replace(/\/index\.[cm]?[jt]s$/, '').replace(/\.[cm]?[jt]s$/, '');
}

/** `import` path from the output file `from` (a part name or 'extension') to the output file `to`. */
function outRequire(from, to) {
  const r = path.posix.relative(path.posix.dirname(from), to);
  return `${r.startsWith('.') ? '' : './'}${r}.js`;
}

/**
 * Resolves every import once itself (so it knows the module's key) and then:
 *  - a relative require() call in src/ → external require of that part's file (split point);
 *  - a module another file provides (the core's or shared.js's) → that file's instance;
 *  - anything else → bundled here.
 */
function splitter({ self, lazy, provided, exported }) {
  return {
    name: 'veeam-split',
    setup(b) {
      b.onResolve({ filter: /^veeam-out:/ }, (args) => ({ path: args.path.slice('veeam-out:'.length), external: true }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.veeamSplit || args.namespace === 'veeam-from' || args.kind === 'entry-point') { return undefined; }
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { veeamSplit: true } });
        if (r.errors.length || r.external || !r.path || r.namespace !== 'file') { return r.errors.length ? { errors: r.errors } : r.external ? { path: r.path, external: true } : undefined; }
        const key = rel(r.path);
        const fromSrc = args.importer && rel(args.importer).startsWith('src/');
        if (args.kind === 'require-call' && fromSrc && args.path.startsWith('.')) {
          lazy.add(key);
          return { path: outRequire(self, partName(key)), external: true };
        }
        const owner = provided?.get(key);
        if (owner && owner !== self) { return { path: key, namespace: 'veeam-from', pluginData: { owner } }; }
        return { path: r.path, sideEffects: r.sideEffects };
      });
      b.onLoad({ filter: /.*/, namespace: 'veeam-from' }, (args) => {
        const file = outRequire(self, args.pluginData.owner);
        const head = `const m = require(${JSON.stringify(`veeam-out:${file}`)}).__shared?.[${JSON.stringify(args.path)}];\n`
          + `if (!m) { throw new Error(${JSON.stringify(`${args.path} is missing from ${args.pluginData.owner}.js (load ${self}.js only through dist/extension.js)`)}); }\n`;
        // Named imports become plain constants, read once when this file loads (after the file that provides
        // them ran; src/ exports no \`let\`): a call such as stampAt() then costs no getter per call, where
        // \`module.exports = m\` made esbuild wrap m in a namespace of getters (__toESM), called per session.
        const names = exported?.get(args.pluginData.owner)?.get(args.path);
        if (names && !names.has('*')) {
          return {
            loader: 'js',
            contents: head + [...names].sort().map((n) => (n === 'default' ? 'export default m.default;' : `export const ${n} = m.${n};`)).join('\n') + '\n',
          };
        }
        return { loader: 'js', contents: `${head}module.exports = m;\n` };
      });
    },
  };
}

/**
 * An entry that also exports `__shared`: for each module the other files import from this one, the
 * names they import (live bindings, `__esModule` so a default import across files gets the default
 * export as it would within one file). Only those names are kept, so tree shaking still applies.
 */
function withShared(entry, modules) {
  const lines = [];
  if (entry) { lines.push(`export * from ${JSON.stringify(path.join(ROOT, entry))};`); }
  const entries = [];
  [...modules].sort(([a], [b]) => a.localeCompare(b)).forEach(([m, names], i) => {
    const spec = JSON.stringify(path.join(ROOT, m));
    if (names.has('*')) {
      lines.push(`import * as m${i} from ${spec};`);
      entries.push(`${JSON.stringify(m)}: esm(m${i})`);
      return;
    }
    const list = [...names].sort();
    lines.push(list.length ? `import { ${list.map((n, j) => `${n} as m${i}_${j}`).join(', ')} } from ${spec};` : `import ${spec};`);
    entries.push(`${JSON.stringify(m)}: { __esModule: true${list.map((n, j) => `, get ${n}() { return m${i}_${j}; }`).join('')} }`);
  });
  lines.push('const esm = (ns) => { const o = { __esModule: true }; for (const k of Object.keys(ns)) { Object.defineProperty(o, k, { enumerable: true, get: () => ns[k] }); } return o; };');
  lines.push(`export const __shared = { ${entries.join(', ')} };`);
  return { contents: lines.join('\n'), resolveDir: ROOT, sourcefile: entry ? `${entry} (+__shared)` : 'shared', loader: 'ts' };
}

/**
 * The names code imports from modules that `outside` says live in another file: an unminified ESM
 * build with those modules external, whose import statements (types and unused names already
 * dropped by esbuild) are read back. Returns key → names ('*' for a namespace, require or export *).
 */
async function importedNames(build, outside) {
  const result = await esbuild.build({
    ...common, ...build, format: 'esm', minify: false, sourcemap: false, write: false, metafile: false, outfile: path.join(OUT, 'analysis.mjs'),
    plugins: [{
      name: 'veeam-outside',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.pluginData?.veeamOutside || args.kind === 'entry-point') { return undefined; }
          const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { veeamOutside: true } });
          if (r.errors.length || r.external || r.namespace !== 'file') { return r.errors.length ? { errors: r.errors } : r.external ? { path: r.path, external: true } : undefined; }
          if (args.kind === 'require-call' && args.path.startsWith('.') && rel(args.importer).startsWith('src/')) { return { path: `lazy:${rel(r.path)}`, external: true }; }
          return outside(rel(r.path)) ? { path: `veeam-key:${rel(r.path)}`, external: true } : { path: r.path, sideEffects: r.sideEffects };
        });
      },
    }, axiosNodeOnly],
  });
  const code = result.outputFiles.find((o) => o.path.endsWith('.mjs')).text;
  const names = new Map();
  const add = (key, n) => { if (!names.has(key)) { names.set(key, new Set()); } if (n) { names.get(key).add(n); } };
  for (const m of code.matchAll(/^(import|export)\s*(?:type\s+)?([^;"]*?)\s*(?:from\s*)?"veeam-key:([^"]+)";/gms)) {
    const [, verb, clause, key] = m;
    add(key);
    if (verb === 'export' || /\*/.test(clause)) { add(key, '*'); continue; }
    const def = /^([\w$]+)/.exec(clause);
    if (def) { add(key, 'default'); }
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const spec of braces ? braces[1].split(',') : []) {
      const n = spec.trim().split(/\s+as\s+/)[0];
      if (n) { add(key, n); }
    }
  }
  for (const m of code.matchAll(/__require\("veeam-key:([^"]+)"\)/g)) { add(m[1], '*'); }
  return names;
}

async function analyze(name, entry) {
  const lazy = new Set();
  const result = await esbuild.build({ ...common, minify: false, sourcemap: false, write: false, entryPoints: [entry], outfile: path.join(OUT, `${name}.js`), plugins: [splitter({ self: name, lazy }), axiosNodeOnly] });
  const inputs = result.metafile.inputs;
  return { name, entry, lazy: [...lazy], modules: new Set(Object.keys(inputs)) };
}

// ---- 1. the module graph: the core, then every part it (or a part) requires lazily ------
const core = await analyze('extension', CORE_ENTRY);
const parts = [];
const queue = [...core.lazy];
const seen = new Set(queue);
while (queue.length) {
  const key = queue.shift();
  const part = await analyze(partName(key), key);
  parts.push(part);
  for (const k of part.lazy) { if (!seen.has(k)) { seen.add(k); queue.push(k); } }
}
for (const key of seen) {
  if (core.modules.has(key)) { throw new Error(`${key} is required lazily and also imported by the core: it would be loaded twice.`); }
}
const names = new Set();
for (const p of parts) {
  if (p.name === 'extension' || p.name === 'shared' || names.has(p.name)) { throw new Error(`two outputs named dist/${p.name}.js`); }
  names.add(p.name);
}
// Modules outside the core that two or more parts use go to shared.js.
const users = new Map();
for (const p of parts) { for (const m of p.modules) { if (!core.modules.has(m)) { users.set(m, (users.get(m) ?? 0) + 1); } } }
const shared = new Set([...users].filter(([, n]) => n > 1).map(([m]) => m));
for (const p of parts) {
  if (shared.has(p.entry)) { throw new Error(`${p.entry} is a lazy part and also imported by other parts.`); }
}
const owner = (m) => (core.modules.has(m) ? 'extension' : shared.has(m) ? 'shared' : undefined);
// What each providing file must export: the names the other files import from its modules.
const exportsOf = { extension: new Map(), shared: new Map() };
const merge = (names) => {
  for (const [key, ns] of names) {
    const o = owner(key);
    if (!o) { throw new Error(`${key} is imported across files but belongs to no shared file`); }
    if (!exportsOf[o].has(key)) { exportsOf[o].set(key, new Set()); }
    for (const n of ns) { exportsOf[o].get(key).add(n); }
  }
};
for (const p of parts) { merge(await importedNames({ entryPoints: [p.entry] }, (m) => owner(m) !== undefined)); }
if (shared.size) {
  const direct = [...exportsOf.shared.keys()];
  merge(await importedNames({ stdin: { contents: direct.map((m) => `export * from ${JSON.stringify(path.join(ROOT, m))};`).join('\n'), resolveDir: ROOT, loader: 'ts' } },
    (m) => owner(m) === 'extension'));
}
const provided = new Map([...core.modules].map((m) => [m, 'extension']));
for (const m of shared) { provided.set(m, 'shared'); }

// ---- 2. the files --------------------------------------------------------------------
for (const f of fs.existsSync(OUT) ? fs.readdirSync(OUT, { recursive: true }) : []) {
  if (/\.js(\.map)?$/.test(f)) { fs.rmSync(path.join(OUT, f)); }
}
const plan = [
  { name: 'extension', stdin: withShared(CORE_ENTRY, exportsOf.extension) },
  ...(shared.size ? [{ name: 'shared', stdin: withShared(undefined, exportsOf.shared) }] : []),
  ...parts.map((p) => ({ name: p.name, entry: p.entry })),
];
const layout = { production, files: [] };
for (const f of plan) {
  const result = await esbuild.build({
    ...common,
    ...(f.stdin ? { stdin: f.stdin } : { entryPoints: [f.entry] }),
    outfile: path.join(OUT, `${f.name}.js`),
    plugins: [splitter({ self: f.name, lazy: new Set(), provided, exported: new Map(Object.entries(exportsOf)) }), axiosNodeOnly],
  });
  const [outKey, out] = Object.entries(result.metafile.outputs).find(([k]) => k.endsWith('.js'));
  // Each `import * as vscode from 'vscode'` (and each import of a node: builtin) became __toESM(require(…)): a copy
  // of the whole module object (every namespace and class of the API, every function of node:fs), as getters, per
  // importing module and made at load — 33 of vscode in the core. Only members are read (no default import, which
  // the check keeps wrapped), so the module object itself serves: the same require, no copies.
  const file = path.join(ROOT, outKey);
  const text = fs.readFileSync(file, 'utf8');
  const once = text.replace(/([\w$]+)(\s*=\s*)[\w$]+\(require\("(vscode|node:[\w/]+)"\)\)/g,
    (all, name, eq, mod) => (new RegExp(`[^\\w$.]${name.replace(/\$/g, '\\$')}\\.default\\b`).test(text) ? all : `${name}${eq}require("${mod}")`));
  if (once !== text) { fs.writeFileSync(file, once); out.bytes = Buffer.byteLength(once); }
  const modules = Object.entries(out.inputs).filter(([k]) => !k.startsWith('veeam-from:') && !k.startsWith('<stdin>'))
    .map(([k, v]) => ({ path: k, bytes: v.bytesInOutput })).sort((a, b) => b.bytes - a.bytes);
  layout.files.push({ name: f.name, file: outKey, bytes: out.bytes, modules, exports: exportsOf[f.name] ? Object.fromEntries([...exportsOf[f.name]].map(([k, v]) => [k, [...v].sort()])) : undefined });
  if (process.argv.includes('--metafile')) { console.log(await esbuild.analyzeMetafile(result.metafile, { verbose: !!process.env.VERBOSE })); }
}
const bad = layout.files[0].modules.filter((m) => NOT_IN_CORE.some((re) => re.test(m.path)));
if (bad.length) {
  console.error(`FAIL: dist/extension.js (the core) contains ${bad.map((m) => m.path).join(', ')}`);
  process.exit(1);
}
fs.mkdirSync(path.join(ROOT, 'out/build'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'out/build/layout.json'), JSON.stringify(layout, null, 1));

// ---- The overview's webview script (browser, no Node, no vscode): the only script the panel's CSP
// lets run. Its extension side (src/dashboard) is a lazily required part like the kinds (dist/dashboard.js).
await esbuild.build({
  entryPoints: ['src/dashboard/webview/main.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022',
  outfile: 'media/dashboard.js', minify: production, sourcemap: false, legalComments: 'none', logLevel: 'warning', absWorkingDir: ROOT,
});
