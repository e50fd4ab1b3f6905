// Folders the reader chose, compared by real path.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChosenFolders, isInsideFolder } from '../../main/folder-policy';
import { tempFolder } from '../helpers/fixtures';

function tree() {
  const base = tempFolder();
  for (const folder of ['chosen/cd/DICOM', 'chosen-other', 'outside']) mkdirSync(join(base, folder), { recursive: true });
  symlinkSync(join(base, 'outside'), join(base, 'chosen', 'link-out'));
  return base;
}

describe('isInsideFolder', () => {
  it('accepts the folder itself and what lies below it', () => {
    const base = tree();
    expect(isInsideFolder(join(base, 'chosen'), join(base, 'chosen'))).toBe(true);
    expect(isInsideFolder(join(base, 'chosen', 'cd', 'DICOM'), join(base, 'chosen'))).toBe(true);
    expect(isInsideFolder(join(base, 'chosen', 'cd', '..', 'cd'), join(base, 'chosen'))).toBe(true);
  });

  it('refuses neighbours, parents, escapes by .. or by symlink, and paths that do not exist', () => {
    const base = tree();
    const root = join(base, 'chosen');
    expect(isInsideFolder(join(base, 'chosen-other'), root)).toBe(false);
    expect(isInsideFolder(base, root)).toBe(false);
    expect(isInsideFolder(join(root, '..', 'outside'), root)).toBe(false);
    expect(isInsideFolder(join(root, 'link-out'), root)).toBe(false);
    expect(isInsideFolder(join(root, 'missing'), root)).toBe(false);
    expect(isInsideFolder('/', root)).toBe(false);
  });
});

describe('chosen folders', () => {
  it('allow only what was picked, and nothing before a pick', () => {
    const base = tree();
    const chosen = createChosenFolders();
    expect(chosen.allows(join(base, 'chosen'))).toBe(false);
    chosen.remember(join(base, 'chosen'));
    expect(chosen.allows(join(base, 'chosen', 'cd'))).toBe(true);
    expect(chosen.allows(join(base, 'outside'))).toBe(false);
    expect(chosen.allows(join(base, 'chosen', 'link-out'))).toBe(false);
  });
});
