// `npm test`: build what the tests drive (the CLI bundle and the renderer),
// type-check, make sure the native SQLite module matches Node, then run every
// test (unit, store, CLI, end-to-end in headless Chromium) with coverage.
// A full run (no arguments) runs the end-to-end tests and the worker pool's
// with both cores kept busy beside them: CI machines are shared, and a test
// that passes only on an idle machine is a failing test. Each test runs once;
// the two passes' coverage is merged into one report.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNativeModuleFor } from './native-abi.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = 'node_modules/vitest/vitest.mjs';
const filters = process.argv.slice(2);
const UNDER_LOAD = ['test/e2e', 'test/main/dicom/header-pool.test.ts'];
const REPORTS = 'test-artifacts/vitest-reports';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function runOrExit(command, args) {
  const status = run(command, args);
  if (status !== 0) process.exit(status);
}

/** Runs vitest while two processes spin on the CPU beside it. */
function runUnderLoad(args) {
  const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    console.log(`\nUnder load (${busy.length} CPU-bound processes beside the tests): ${UNDER_LOAD.join(' ')}`);
    return run(process.execPath, args);
  } finally {
    for (const child of busy) child.kill('SIGKILL');
  }
}

/** One pass's arguments: its results and coverage go to a blob for the merged report. */
const pass = (name) => [vitest, 'run', '--coverage', '--coverage.reporter=none', '--reporter=default', '--reporter=blob', `--outputFile.blob=${REPORTS}/${name}.json`];

ensureNativeModuleFor('node');
runOrExit(process.execPath, ['scripts/build.mjs']);
runOrExit(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
// Synthetic trials are generated once for the run and linked into each test's folder (test/helpers/trial-cache.ts).
const trialCache = join(tmpdir(), `lesiontrack-trial-cache-${process.pid}`);
process.env.LESIONTRACK_TRIAL_CACHE = trialCache;
process.on('exit', () => rmSync(trialCache, { recursive: true, force: true }));
if (filters.length > 0) process.exit(run(process.execPath, [vitest, 'run', '--coverage', ...filters]));

rmSync(`${root}${REPORTS}`, { recursive: true, force: true });
const steady = run(process.execPath, [...pass('steady'), ...UNDER_LOAD.flatMap((path) => ['--exclude', path.endsWith('.ts') ? path : `${path}/**`])]);
const loaded = runUnderLoad([...pass('loaded'), ...UNDER_LOAD]);
const merged = run(process.execPath, [vitest, 'run', '--merge-reports', REPORTS, '--coverage', '--reporter=dot']);
process.exit(steady || loaded || merged);
