// `npm start`: build, then run the desktop app in Electron. Where the Electron
// binary could not be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, offline build
// machines), serve the same app to a browser on 127.0.0.1 instead.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electronBinary, ensureNativeModuleFor } from './native-abi.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

const electron = electronBinary();
ensureNativeModuleFor(electron ? 'electron' : 'node');
if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const child = electron
  ? spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit' })
  : (process.stderr.write('Electron is not installed here: serving LesionTrack to your browser instead. Open the link below.\n'),
    spawn(process.execPath, ['bin/lesiontrack.mjs', 'host', ...args], { cwd: root, stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
