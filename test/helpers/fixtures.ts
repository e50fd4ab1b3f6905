// Paths to the committed fixtures and throwaway folders for each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { projectRoot } from './paths';

export { projectRoot };
export const fixtures = join(projectRoot, 'test', 'fixtures', 'dicom');
export const geSeries = join(fixtures, 'ge-signa-pd-axial-brain-orbits');
export const malformed = join(fixtures, 'malformed');
export const transferSyntaxes = join(fixtures, 'transfer-syntax');
export const dicomdirTree = join(fixtures, 'dicomdir-tree');

const made: string[] = [];
afterEach(() => {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder removed after the current test. */
export function tempFolder(prefix = 'lesiontrack-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}
