// Builds everything that runs: the CLI and services (Node, ESM), the Electron
// shell and its preload (CommonJS, as Electron's sandboxed preload requires),
// the benchmark harness, and the renderer (Vite).
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
  esbuild({ ...node, entryPoints: { cli: 'main/cli/entry.ts', 'header-worker': 'main/dicom/header-worker.ts', 'demo-worker': 'main/demo/worker.ts' }, outdir: 'dist/main', format: 'esm' }),
  esbuild({ ...node, entryPoints: { run: 'bench/run.ts' }, outdir: 'dist/bench', format: 'esm' }),
]);
if (only !== 'node') {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
}
