// The files the built CLI finds beside itself in dist/main: the renderer the
// browser host serves and the worker scripts. Run from source (in tests) the
// workers are absent and the work runs on the main thread instead.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundleDir = dirname(fileURLToPath(import.meta.url));

export const rendererDir = join(bundleDir, '..', 'renderer');

function ifBuilt(file: string): string | undefined {
  return existsSync(file) ? file : undefined;
}

export const workerFiles = {
  headerWorkerFile: ifBuilt(join(bundleDir, 'header-worker.js')),
  demoWorkerFile: ifBuilt(join(bundleDir, 'demo-worker.js')),
  alignmentWorkerFile: ifBuilt(join(bundleDir, 'alignment-worker.js')),
};
