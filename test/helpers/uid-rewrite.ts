// Gives a copy of a real DICOM file new UIDs by rewriting their last digits in
// place: same lengths, so every element stays valid. Used to make many distinct
// instances from few fixtures (benchmarks) and to give same-UID fixtures their own series (tests).
import { readFileSync } from 'node:fs';
import { readInstanceHeader } from '../../main/dicom/header';

function replaceAll(bytes: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from, 'latin1');
  const replacement = Buffer.from(to, 'latin1');
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) replacement.copy(bytes, at);
}

/** Same length, different last digits. */
export function renumberUid(uid: string, number: number, digits: number): string {
  return uid.slice(0, uid.length - digits) + String(number).padStart(digits, '0').slice(-digits);
}

export interface UidTemplate {
  bytes: Buffer;
  sopInstanceUid: string;
  seriesUid: string;
  studyUid: string;
}

export function uidTemplate(path: string): UidTemplate {
  const read = readInstanceHeader(path);
  if (read.kind !== 'instance') throw new Error(`${path} is not an instance`);
  return { bytes: readFileSync(path), sopInstanceUid: read.header.sopInstanceUid, seriesUid: read.header.seriesUid, studyUid: read.header.studyUid };
}

/** A copy with instance number `instance` and series number `series` (and a study number, when given) written into the UIDs' last digits. */
export function withNewUids(template: UidTemplate, instance: number, series: number, study?: number): Buffer {
  const bytes = Buffer.from(template.bytes);
  if (study !== undefined) replaceAll(bytes, template.studyUid, renumberUid(template.studyUid, study, 4));
  replaceAll(bytes, template.sopInstanceUid, renumberUid(template.sopInstanceUid, instance, 7));
  replaceAll(bytes, template.seriesUid, renumberUid(template.seriesUid, series, 5));
  return bytes;
}
