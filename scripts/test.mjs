// `npm test`: build what the tests drive (the CLI bundle and the renderer),
// type-check, make sure the native SQLite module matches Node, then run every
// test (unit, store, CLI, end-to-end in headless Chromium) with coverage.
// A full run (no arguments) then runs the end-to-end tests and the worker
// pool's once more with both cores kept busy: CI machines are shared, and a
// test that passes only on an idle machine is a failing test.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureNativeModuleFor } from './native-abi.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = 'node_modules/vitest/vitest.mjs';
const filters = process.argv.slice(2);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function runOrExit(command, args) {
  const status = run(command, args);
  if (status !== 0) process.exit(status);
}

/** Runs the tests most sensitive to timing while two processes spin on the CPU beside them. */
function runUnderLoad(paths) {
  const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    console.log(`\nUnder load (${busy.length} CPU-bound processes beside the tests): ${paths.join(' ')}`);
    return run(process.execPath, [vitest, 'run', ...paths]);
  } finally {
    for (const child of busy) child.kill('SIGKILL');
  }
}

ensureNativeModuleFor('node');
runOrExit(process.execPath, ['scripts/build.mjs']);
runOrExit(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
runOrExit(process.execPath, [vitest, 'run', '--coverage', ...filters]);
if (filters.length === 0) process.exit(runUnderLoad(['test/e2e', 'test/main/dicom/header-pool.test.ts']));
