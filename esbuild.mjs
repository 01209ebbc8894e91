// Bundles src/extension.ts into one CommonJS file for the extension host.
// `--production` minifies and drops source maps; `--metafile` prints what takes the space.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const result = await esbuild.build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  outfile: 'dist/extension.js',
  // './dashboard.js': the overview's own bundle (built below), required on first use.
  external: ['vscode', './dashboard.js'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // axios ships a browser and a node build; the extension host is Node.
  mainFields: ['module', 'main'],
  conditions: ['node'],
  // Stand-ins for parts of axios the extension never runs (see each shim's comment):
  // form-data drags in mime-db (130 KB) for multipart bodies; follow-redirects is unused with
  // maxRedirects 0; the xhr and fetch adapters are for browsers; debug only serves the unused proxy agent.
  alias: { 'form-data': './build/form-data-shim.cjs', 'follow-redirects': './build/follow-redirects-shim.cjs', debug: './build/debug-shim.cjs' },
  plugins: [{
    name: 'axios-node-only',
    setup(b) {
      b.onResolve({ filter: /^\.\/(xhr|fetch)\.js$/ }, (args) =>
        /axios[\\/]lib[\\/]adapters$/.test(args.resolveDir)
          ? { path: new URL('./build/axios-browser-adapter-shim.mjs', import.meta.url).pathname }
          : undefined);
    },
  }],
});
if (process.argv.includes('--metafile')) {
  console.log(await esbuild.analyzeMetafile(result.metafile));
}

// ---- The overview (src/dashboard): two more outputs, apart from the extension bundle above.
//  dist/dashboard.js   the panel's extension-side code, required on first use by src/commands/openDashboard.ts
//                      (`require('./dashboard.js')`, external above), so activation never loads or parses it;
//  media/dashboard.js  the webview's script (browser, no Node, no vscode): the only script the panel's CSP lets run.
await Promise.all([
  esbuild.build({
    entryPoints: ['src/dashboard/index.ts'], bundle: true, format: 'cjs', platform: 'node', target: 'node18',
    outfile: 'dist/dashboard.js', external: ['vscode'], minify: production, sourcemap: !production, sourcesContent: false,
    legalComments: 'none', logLevel: 'warning',
  }),
  esbuild.build({
    entryPoints: ['src/dashboard/webview/main.ts'], bundle: true, format: 'iife', platform: 'browser', target: 'es2022',
    outfile: 'media/dashboard.js', minify: production, sourcemap: false, legalComments: 'none', logLevel: 'warning',
  }),
]);
