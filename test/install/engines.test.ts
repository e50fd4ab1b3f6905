// npm prints an EBADENGINE warning for every installed package whose
// `engines` leaves out the Node it runs on. The README lists the ones an
// install on our oldest Node prints, and why each is harmless; this test keeps
// that list and the lock file in step, so no new warning goes unexplained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/paths';

interface LockedPackage {
  version?: string;
  engines?: { node?: string };
}

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');

/** The README's section on install warnings, up to the next heading of its level. */
function warningsSection(): string {
  const start = readme.indexOf('## Node version and install warnings');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('install warnings on our Node version', () => {
  it('asks for Node 20.19 or later, and the README names the Node the tests run on', () => {
    expect(manifest.engines.node).toBe('>=20.19');
    expect(warningsSection()).toMatch(/The tests run on Node 20\.20/);
  });

  it('lists in the README exactly the packages whose engines leave out that Node', () => {
    const oldestNode = semver.minVersion(manifest.engines.node)!.version;
    const warned = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines?.node !== undefined && !semver.satisfies(oldestNode, entry.engines.node))
      .map(([path, entry]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`);
    const tableRows = warningsSection()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const documented = tableRows.map((row) => /^\| `([^`]+)`/.exec(row)![1]!);
    expect(oldestNode).toBe('20.19.0');
    expect([...new Set(warned)].sort()).toEqual(documented.sort());
  });
});
