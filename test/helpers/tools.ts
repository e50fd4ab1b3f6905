// The one policy for system tools the tests need (dciodvfy, dcmdump, dsrdump,
// Chromium, and the Python modules and R packages that check our statistics):
// a test that needs a missing tool fails, naming the Debian package to
// install, rather than skipping and passing on a machine that checks
// nothing. scripts/install-system-deps.sh installs them all.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Debian's own interpreters, where its python3-* and r-cran-* packages install (a pyenv python on PATH has none of them). */
const SYSTEM_PYTHON = '/usr/bin/python3';
const SYSTEM_RSCRIPT = '/usr/bin/Rscript';

/** The path of `command` (a name looked up on PATH, or an absolute path); throws naming `debianPackage` when it is missing. */
export function requireTool(command: string, debianPackage: string): string {
  const candidates = isAbsolute(command) ? [command] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, command));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw missing(command, debianPackage);
  return found;
}

/** The system's python3 once it imports `module`; throws naming `debianPackage` when it cannot. */
export function requirePythonModule(module: string, debianPackage: string): string {
  const python = requireTool(SYSTEM_PYTHON, 'python3');
  if (spawnSync(python, ['-c', `import ${module}`]).status !== 0) throw missing(`the Python module ${module}`, debianPackage);
  return python;
}

/** The system's Rscript once it loads the package `name`; throws naming `debianPackage` when it cannot. */
export function requireRPackage(name: string, debianPackage: string): string {
  const rscript = requireTool(SYSTEM_RSCRIPT, 'r-base-core');
  if (spawnSync(rscript, ['-e', `library(${name})`]).status !== 0) throw missing(`the R package ${name}`, debianPackage);
  return rscript;
}

function missing(what: string, debianPackage: string): Error {
  return new Error(`${what} is missing: install the Debian package ${debianPackage} (scripts/install-system-deps.sh installs every tool the tests use).`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
