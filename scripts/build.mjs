// Builds everything that runs: the CLI and services (Node, ESM), the Electron
// shell and its preload (CommonJS, as Electron's sandboxed preload requires),
// the benchmark harness (with its worker and the script its browser case
// evaluates in the page), and the renderer (Vite).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv[2]; // "node" builds everything but the renderer
process.chdir(root);
rmSync('dist/main', { recursive: true, force: true });
rmSync('dist/shell', { recursive: true, force: true });
rmSync('dist/bench', { recursive: true, force: true });

const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };
await Promise.all([
  esbuild({ ...node, entryPoints: { cli: 'main/cli/entry.ts' }, outdir: 'dist/main', format: 'esm' }),
  // Workers carry their dependencies: in an installer they sit unpacked beside
  // the asar archive, where node_modules is out of reach.
  // Bundled CommonJS (dicom-parser's zlib, dcmjs) still calls require: give the ES module one.
  esbuild({ ...node, packages: undefined, banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" }, entryPoints: { 'header-worker': 'main/dicom/header-worker.ts', 'demo-worker': 'main/demo/worker.ts', 'alignment-worker': 'main/alignment/worker.ts' }, outdir: 'dist/main', format: 'esm' }),
  esbuild({ ...node, entryPoints: { main: 'main/electron/main.ts' }, outdir: 'dist/shell', outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['electron'] }),
  // The sandboxed preload can require nothing but electron: bundle the rest.
  esbuild({ ...node, packages: undefined, entryPoints: { preload: 'main/electron/preload.ts' }, outdir: 'dist/shell', outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['electron'] }),
  esbuild({ ...node, entryPoints: { run: 'bench/run.ts', 'raw-read-worker': 'bench/raw-read-worker.ts' }, outdir: 'dist/bench', format: 'esm' }),
  // Evaluated in the reading-room bench's page: one self-contained script.
  esbuild({ bundle: true, platform: 'browser', target: 'chrome120', logLevel: 'warning', entryPoints: { 'reading-floor': 'bench/reading-floor.ts' }, outdir: 'dist/bench', format: 'iife' }),
]);
if (only !== 'node') {
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
