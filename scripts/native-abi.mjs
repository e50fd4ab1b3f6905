// better-sqlite3 is a native module: Node and Electron need different builds
// (different NODE_MODULE_VERSION). Before a runtime uses it, load it in that
// very runtime; when the load fails, rebuild for that runtime and load again.
// A tool's "finished" proves nothing: only a successful load does.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const probe = "const D=require('better-sqlite3');new D(':memory:').prepare('select 1').get();process.stdout.write(String(process.versions.modules))";

/** The path of the downloaded Electron binary, or null where it was skipped. */
export function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

function tryLoad(runtime) {
  const command = runtime === 'node' ? process.execPath : electronBinary();
  const env = runtime === 'node' ? process.env : { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  const result = spawnSync(command, ['-e', probe], { cwd: root, env, encoding: 'utf8' });
  // A runtime that does not even start (a missing or broken binary) says why in result.error.
  return { ok: result.status === 0, abi: (result.stdout ?? '').trim(), error: (result.error ? String(result.error.message) : `${result.stderr ?? ''}`).trim() };
}

function rebuild(runtime) {
  const [command, args] =
    runtime === 'node'
      ? ['npm', ['rebuild', 'better-sqlite3']]
      : [process.execPath, ['node_modules/@electron/rebuild/lib/cli.js', '--force', '--only', 'better-sqlite3']];
  process.stderr.write(`Rebuilding better-sqlite3 for ${runtime}...\n`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;
}

/** Makes better-sqlite3 loadable in the runtime about to use it, or exits with the reason. */
export function ensureNativeModuleFor(runtime) {
  if (runtime === 'electron' && !electronBinary()) {
    process.stderr.write('The Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?), so there is nothing to build for.\n');
    process.exit(1);
  }
  const first = tryLoad(runtime);
  if (first.ok) return first.abi;
  const mismatch = /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(first.error);
  process.stderr.write(
    mismatch
      ? `better-sqlite3 was built for another runtime than ${runtime} (ABI mismatch).\n`
      : `better-sqlite3 does not load in ${runtime}: ${first.error.split('\n')[0]}\n`,
  );
  const second = rebuild(runtime) ? tryLoad(runtime) : { ok: false, error: 'the rebuild failed' };
  if (!second.ok) {
    process.stderr.write(
      `better-sqlite3 still does not load in ${runtime}: ${second.error.split('\n')[0]}\n` +
        (runtime === 'electron' ? 'Building for Electron needs its headers from the internet (see docs/TOOLCHAIN notes in the README).\n' : ''),
    );
    process.exit(1);
  }
  process.stderr.write(`better-sqlite3 now loads in ${runtime} (NODE_MODULE_VERSION ${second.abi}).\n`);
  return second.abi;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runtime = process.argv[2] === 'electron' ? 'electron' : 'node';
  process.stdout.write(`${ensureNativeModuleFor(runtime)}\n`);
}
