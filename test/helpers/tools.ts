// The command-line tools some tests run (dcmtk, dicom3tools, sqlite3,
// Chromium): a missing one fails the test with the Debian package to
// install, never a silent skip. scripts/install-system-deps.sh installs them.
import { spawnSync } from 'node:child_process';

/** The tool's path; throws naming the package when it is not installed. */
export function requireTool(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`${command} is not installed: install the Debian package ${debianPackage} (scripts/install-system-deps.sh does).`);
  return found.stdout.trim();
}
