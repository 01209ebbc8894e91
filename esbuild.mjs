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
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // axios ships a browser and a node build; the extension host is Node.
  mainFields: ['module', 'main'],
  conditions: ['node'],
  // form-data drags in mime-db (130 KB); axios needs it only for multipart bodies, never sent here.
  alias: { 'form-data': './build/form-data-shim.cjs' },
});
if (process.argv.includes('--metafile')) {
  console.log(await esbuild.analyzeMetafile(result.metafile));
}
