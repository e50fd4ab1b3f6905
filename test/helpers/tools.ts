// The one policy for system tools the tests need (dciodvfy, dcmdump, dsrdump,
// Chromium): a test that needs a missing tool fails, naming the Debian
// package to install, rather than skipping and passing on a machine that
// checks nothing. scripts/install-system-deps.sh installs them all.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The path of `command` (a name looked up on PATH, or an absolute path); throws naming `debianPackage` when it is missing. */
export function requireTool(command: string, debianPackage: string): string {
  const candidates = isAbsolute(command) ? [command] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, command));
  const found = candidates.find(isExecutable);
  if (found === undefined) {
    throw new Error(`${command} is missing: install the Debian package ${debianPackage} (scripts/install-system-deps.sh installs every tool the tests use).`);
  }
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
