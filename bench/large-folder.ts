// A large folder of real-looking MR files for indexing benchmarks: copies of
// the fixture slices, each with its own SOP Instance UID (and a series UID per
// hundred files), written byte for byte so every file stays valid DICOM.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInstanceHeader } from '../main/dicom/header';

function replaceAll(bytes: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from, 'latin1');
  const replacement = Buffer.from(to, 'latin1');
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) replacement.copy(bytes, at);
}

/** Same length, different last digits: the file's element lengths stay as they are. */
function renumber(uid: string, number: number, digits: number): string {
  return uid.slice(0, uid.length - digits) + String(number).padStart(digits, '0').slice(-digits);
}

export function makeLargeFolder(folder: string, count: number, templatePaths: readonly string[]): void {
  const templates = templatePaths.map((path) => {
    const read = readInstanceHeader(path);
    if (read.kind !== 'instance') throw new Error(`template ${path} is not an instance`);
    return { bytes: readFileSync(path), sop: read.header.sopInstanceUid, series: read.header.seriesUid };
  });
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length]!;
    const bytes = Buffer.from(template.bytes);
    replaceAll(bytes, template.sop, renumber(template.sop, index, 7));
    replaceAll(bytes, template.series, renumber(template.series, Math.floor(index / 100), 5));
    const subfolder = join(folder, `SE${String(Math.floor(index / 100)).padStart(4, '0')}`);
    if (index % 100 === 0) mkdirSync(subfolder, { recursive: true });
    writeFileSync(join(subfolder, `IM${String(index).padStart(6, '0')}`), bytes);
  }
}
