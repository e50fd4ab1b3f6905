// `npm test`: build what the tests drive (the CLI bundle and the renderer),
// type-check, make sure the native SQLite module matches Node, then run every
// test (unit, store, CLI, end-to-end in headless Chromium) with coverage.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureNativeModuleFor } from './native-abi.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

ensureNativeModuleFor('node');
run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--coverage', ...process.argv.slice(2)]);
