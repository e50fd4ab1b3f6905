// Writing DICOM Part 10 files with dcmjs, for the synthetic trial's images
// and for the DICOM SR export. The traps TOOLCHAIN.md lists are handled
// here: decimal strings formatted to at most 16 characters, and every keyword
// and value length checked before dcmjs can drop or cut it silently.
import { endianness } from 'node:os';
import dcmjs from 'dcmjs';

const { DicomMetaDictionary } = dcmjs.data;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

if (endianness() !== 'LE') throw new Error('the DICOM writer needs a little-endian machine');

/** A decimal string (VR DS) of at most 16 characters, without exponent, trailing zeros or "-0". */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  for (let digits = 6; digits >= 0; digits -= 1) {
    let text = value.toFixed(digits);
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
    if (text === '-0') text = '0';
    if (text.length <= 16) return text;
  }
  throw new RangeError(`${value} does not fit a 16-character decimal string`);
}

const MAX_LENGTH: Readonly<Record<string, number>> = { AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, IS: 12, LO: 64, PN: 64, SH: 16, TM: 16, UI: 64, LT: 10240, ST: 1024 };

/**
 * Checks a natural dataset before dcmjs sees it: every keyword must be in
 * dcmjs's dictionary (a misspelt one would be dropped without a word) and every
 * string value must fit its VR (a long one would be cut).
 */
export function assertEncodable(dataset: Record<string, unknown>): void {
  const nameMap = DicomMetaDictionary.nameMap;
  for (const [keyword, value] of Object.entries(dataset)) {
    if (keyword === '_vrMap' || keyword === '_meta') continue;
    const entry = nameMap[keyword];
    if (!entry) throw new Error(`unknown DICOM keyword ${keyword}`);
    const limit = MAX_LENGTH[entry.vr];
    if (limit === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string' && typeof item !== 'number') continue;
      const text = String(item);
      if (text.length > limit) throw new Error(`${keyword} (${entry.vr}) value "${text}" is longer than ${limit} characters`);
      if (entry.vr === 'UI' && text !== '' && !/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(text)) throw new Error(`${keyword} is not a valid UID: ${text}`);
    }
  }
}

const FILE_META_VERSION = new Uint8Array([0, 1]).buffer;

/** Who wrote a file: Implementation Class UID and Version Name of the file meta. */
export interface Implementation {
  classUid: string;
  versionName: string;
}

/** The file meta group (tag-keyed, as DicomMessage.write wants it) of a file in the transfer syntax given (Explicit VR Little Endian unless told). */
export function fileMeta(sopClassUid: string, sopInstanceUid: string, implementation: Implementation, transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN): Record<string, unknown> {
  return DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: FILE_META_VERSION,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: implementation.classUid,
    ImplementationVersionName: implementation.versionName,
  });
}

/**
 * What dcmjs's DicomDict.write does (preamble, "DICM", file meta group with
 * its length, dataset), with the output stream sized for the whole file up
 * front: DicomDict.write grows its stream 4 KB at a time, which makes a
 * 130 KB image cost dozens of buffers and copies.
 */
export function writePart10(meta: Record<string, unknown>, dataset: Record<string, unknown>, expectedBytes: number): Uint8Array {
  const file = new dcmjs.data.WriteBufferStream(expectedBytes, true);
  writeHead(file, meta);
  dcmjs.data.DicomMessage.write(dataset, file, EXPLICIT_VR_LITTLE_ENDIAN, {});
  return new Uint8Array(file.getBuffer());
}

/** The start of a Part 10 file (preamble, "DICM", file meta group): what goes before a data set received in the meta's transfer syntax. */
export function part10Head(meta: Record<string, unknown>): Uint8Array {
  const file = new dcmjs.data.WriteBufferStream(1024, true);
  writeHead(file, meta);
  return new Uint8Array(file.getBuffer());
}

/** The file meta group is Explicit VR Little Endian whatever the data set's transfer syntax. */
function writeHead(file: InstanceType<typeof dcmjs.data.WriteBufferStream>, meta: Record<string, unknown>): void {
  const { WriteBufferStream, DicomMessage } = dcmjs.data;
  file.writeUint8Repeat(0, 128);
  file.writeAsciiString('DICM');
  const metaStream = new WriteBufferStream(1024, true);
  DicomMessage.write(meta, metaStream, EXPLICIT_VR_LITTLE_ENDIAN, {});
  DicomMessage.writeTagObject(file, '00020000', 'UL', metaStream.size, EXPLICIT_VR_LITTLE_ENDIAN, {});
  file.concat(metaStream);
}

