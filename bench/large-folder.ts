// A large folder of real-looking MR files for indexing benchmarks: copies of
// the fixture slices, each with its own SOP Instance UID (and a series UID per
// hundred files), written byte for byte so every file stays valid DICOM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uidTemplate, withNewUids } from '../test/helpers/uid-rewrite';

export function makeLargeFolder(folder: string, count: number, templatePaths: readonly string[]): void {
  const templates = templatePaths.map(uidTemplate);
  for (let index = 0; index < count; index += 1) {
    const subfolder = join(folder, `SE${String(Math.floor(index / 100)).padStart(4, '0')}`);
    if (index % 100 === 0) mkdirSync(subfolder, { recursive: true });
    writeFileSync(join(subfolder, `IM${String(index).padStart(6, '0')}`), withNewUids(templates[index % templates.length]!, index, Math.floor(index / 100)));
  }
}
