// Reads the header of one DICOM file: everything up to the Pixel Data
// element, never the pixels. Files are recognised by content, not by name.
// Every failure becomes a plain reason; nothing here throws for bad input.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import dicomParser, { type DataSet } from 'dicom-parser';
import { TransferSyntax, guessRawTransferSyntax, isEncapsulated } from '../../shared/transfer-syntax';

const PIXEL_DATA = 'x7fe00010';
const FIRST_READ = 64 * 1024;
/** Headers beyond this are refused: real ones (even enhanced multi-frame) stay far below. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** A deflated data set must be read whole; refuse anything bigger than this. */
const MAX_DEFLATED_BYTES = 256 * 1024 * 1024;

export const MEDIA_DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';

export interface InstanceHeader {
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntax: string;
  studyUid: string;
  seriesUid: string;
  patientId: string;
  issuerOfPatientId: string;
  patientName: string;
  birthDate: string;
  sex: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  accessionNumber: string;
  modality: string;
  seriesDescription: string;
  seriesNumber: number | null;
  bodyPart: string;
  protocolName: string;
  imageType: string;
  instanceNumber: number | null;
  frames: number;
  rows: number | null;
  columns: number | null;
  bitsAllocated: number | null;
  samplesPerPixel: number | null;
  imagePosition: number[] | null;
  imageOrientation: number[] | null;
  pixelSpacing: number[] | null;
  sliceThickness: number | null;
  /** Per-frame ImagePositionPatient of a multi-frame (enhanced) image, one per frame; null otherwise. */
  framePositions: number[][] | null;
  hasPixelData: boolean;
  fileSize: number;
  /** SHA-256 of the bytes before the pixel values: detects a changed or swapped file. */
  headerSha256: string;
  headerLength: number;
}

export type HeaderRead =
  | { kind: 'instance'; header: InstanceHeader; bytesRead: number }
  | { kind: 'directory'; bytesRead: number }
  | { kind: 'rejected'; reason: string; bytesRead: number };

interface Parsed {
  dataSet: DataSet;
  /** Offset of dataSet positions within the file (non-zero when the meta header was parsed apart). */
  base: number;
  transferSyntax: string;
}

export function readInstanceHeader(path: string): HeaderRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { kind: 'rejected', reason: `cannot be opened (${systemReason(error)})`, bytesRead: 0 };
  }
  try {
    return readOpenFile(fd);
  } catch (error) {
    // Whatever a damaged file does to the parser, it ends as a reason, never as a crash.
    return { kind: 'rejected', reason: `unreadable (${parserReason(error)})`, bytesRead: 0 };
  } finally {
    closeSync(fd);
  }
}

function readOpenFile(fd: number): HeaderRead {
  const size = fstatSync(fd).size;
  if (size === 0) return { kind: 'rejected', reason: 'empty file', bytesRead: 0 };

  let want = Math.min(size, FIRST_READ);
  for (;;) {
    const bytes = readPrefix(fd, want);
    const attempt = parseHeader(bytes, size);
    const wholeFile = bytes.length >= size;
    if (attempt.kind === 'done') return { ...attempt.result, bytesRead: bytes.length };
    if (attempt.kind === 'needs-more' && !wholeFile) {
      const limit = attempt.deflated ? MAX_DEFLATED_BYTES : MAX_HEADER_BYTES;
      if (bytes.length >= limit) {
        return { kind: 'rejected', reason: `header larger than ${limit / (1024 * 1024)} MB; refused`, bytesRead: bytes.length };
      }
      want = attempt.deflated ? Math.min(size, limit) : Math.min(size, limit, Math.max(attempt.atLeast, bytes.length * 4));
      continue;
    }
    return { kind: 'rejected', reason: attempt.reason, bytesRead: bytes.length };
  }
}

/** One parse of the bytes read so far: a verdict, or a request to read further. */
type Attempt = { kind: 'done'; result: HeaderRead } | { kind: 'needs-more'; atLeast: number; deflated: boolean; reason: string };

function parseHeader(bytes: Uint8Array, fileSize: number): Attempt {
  const isPart10 = bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  let parsed: Parsed;
  try {
    parsed = isPart10 ? parsePart10(bytes) : parseRaw(bytes);
  } catch (error) {
    const reason = parserReason(error);
    if (reason === NOT_DICOM) return { kind: 'done', result: { kind: 'rejected', reason, bytesRead: 0 } };
    // A damaged directory record must not make a DICOMDIR look like a broken image.
    if (isPart10 && isMediaDirectory(bytes)) return { kind: 'done', result: { kind: 'directory', bytesRead: 0 } };
    return { kind: 'needs-more', atLeast: bytes.length * 2, deflated: false, reason };
  }
  const { dataSet, base, transferSyntax } = parsed;
  const deflated = transferSyntax === TransferSyntax.DeflatedExplicitLittle;
  const pixelData = dataSet.elements[PIXEL_DATA];
  if (deflated && bytes.length < fileSize) {
    return { kind: 'needs-more', atLeast: fileSize, deflated, reason: 'deflated data set could not be read whole' };
  }
  // Offsets in a deflated data set point into the inflated stream, not the file.
  const pixelValueStart = pixelData && !deflated ? base + pixelData.dataOffset : null;

  // An element whose value runs past what we read means: read more, or the file is cut short.
  const overrun = deflated ? null : findOverrun(dataSet, base, bytes.length);
  if (overrun !== null) {
    const reason = `truncated: element ${formatTag(overrun.tag)} runs past the end of the file`;
    return { kind: 'needs-more', atLeast: overrun.end, deflated, reason };
  }
  if (!pixelData && bytes.length < fileSize) {
    // Objects without pixels (SR, presentation states) are read whole.
    return { kind: 'needs-more', atLeast: bytes.length * 2, deflated, reason: 'no pixel data found' };
  }

  if (dataSet.string('x00020002') === MEDIA_DIRECTORY_SOP_CLASS || dataSet.elements.x00041220) {
    return { kind: 'done', result: { kind: 'directory', bytesRead: bytes.length } };
  }
  const headerLength = pixelValueStart ?? Math.min(bytes.length, fileSize);
  const built = buildHeader(dataSet, transferSyntax, fileSize, bytes.subarray(0, headerLength));
  if (typeof built === 'string') return { kind: 'done', result: { kind: 'rejected', reason: built, bytesRead: 0 } };

  if (pixelData && pixelValueStart !== null) {
    const problem = checkPixelData(built, pixelData.length, pixelData.hadUndefinedLength === true, pixelValueStart, fileSize);
    if (problem) return { kind: 'done', result: { kind: 'rejected', reason: problem, bytesRead: 0 } };
  }
  return { kind: 'done', result: { kind: 'instance', header: built, bytesRead: 0 } };
}

const NOT_DICOM = 'not a DICOM file (no DICM marker and no recognisable data set)';

function parsePart10(bytes: Uint8Array): Parsed {
  const options = { untilTag: PIXEL_DATA };
  try {
    const dataSet = dicomParser.parseDicom(bytes, options);
    return { dataSet, base: 0, transferSyntax: dataSet.string('x00020010') ?? '' };
  } catch (error) {
    if (!parserReason(error).includes('0002,0010')) throw error;
  }
  // The meta header lacks a transfer syntax: parse the data set after it on its own, from its bytes.
  const meta = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
  const rest = bytes.subarray(meta.position);
  if (rest.length === 0) throw new Error('the file meta has no transfer syntax and no readable data set follows');
  const guessed = guessRawTransferSyntax(rest);
  if (!guessed) throw new Error('the file meta has no transfer syntax and the data set encoding is not recognisable');
  const dataSet = dicomParser.parseDicom(rest, { ...options, TransferSyntaxUID: guessed } as never);
  return { dataSet, base: meta.position, transferSyntax: guessed };
}

function parseRaw(bytes: Uint8Array): Parsed {
  const guessed = guessRawTransferSyntax(bytes);
  if (!guessed) throw NOT_DICOM;
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA, TransferSyntaxUID: guessed } as never);
  // A handful of bytes that happen to look like a tag is not a data set.
  if (!dataSet.string('x00080018') && !dataSet.string('x0020000e')) throw NOT_DICOM;
  return { dataSet, base: 0, transferSyntax: guessed };
}

function isMediaDirectory(bytes: Uint8Array): boolean {
  try {
    return dicomParser.readPart10Header(bytes).string('x00020002') === MEDIA_DIRECTORY_SOP_CLASS;
  } catch {
    return false;
  }
}

function findOverrun(dataSet: DataSet, base: number, available: number): { tag: string; end: number } | null {
  const elements = dataSet.elements;
  for (const tag in elements) {
    if (tag === PIXEL_DATA) continue;
    const element = elements[tag]!;
    const end = base + element.dataOffset + (element.length > 0 ? element.length : 0);
    if (end > available) return { tag, end };
  }
  return null;
}

function buildHeader(dataSet: DataSet, transferSyntax: string, fileSize: number, headerBytes: Uint8Array): InstanceHeader | string {
  const text = (tag: string) => (dataSet.string(tag) ?? '').trim();
  const sopInstanceUid = text('x00080018') || text('x00020003');
  const seriesUid = text('x0020000e');
  const studyUid = text('x0020000d');
  if (!sopInstanceUid) return 'missing SOP Instance UID (0008,0018)';
  if (!seriesUid) return 'missing Series Instance UID (0020,000E)';
  if (!studyUid) return 'missing Study Instance UID (0020,000D)';
  const rows = integer(dataSet, 'x00280010', 'US');
  const columns = integer(dataSet, 'x00280011', 'US');
  const enhanced = functionalGroupGeometry(dataSet);
  return {
    sopInstanceUid,
    sopClassUid: text('x00080016') || text('x00020002'),
    transferSyntax,
    studyUid,
    seriesUid,
    patientId: text('x00100020'),
    issuerOfPatientId: text('x00100021'),
    patientName: text('x00100010'),
    birthDate: text('x00100030'),
    sex: text('x00100040'),
    studyDate: text('x00080020'),
    studyTime: text('x00080030'),
    studyDescription: text('x00081030'),
    accessionNumber: text('x00080050'),
    modality: text('x00080060'),
    seriesDescription: text('x0008103e'),
    seriesNumber: integer(dataSet, 'x00200011', 'IS'),
    bodyPart: text('x00180015'),
    protocolName: text('x00181030'),
    imageType: text('x00080008'),
    instanceNumber: integer(dataSet, 'x00200013', 'IS'),
    frames: Math.max(1, integer(dataSet, 'x00280008', 'IS') ?? 1),
    rows,
    columns,
    bitsAllocated: integer(dataSet, 'x00280100', 'US'),
    samplesPerPixel: integer(dataSet, 'x00280002', 'US'),
    imagePosition: decimals(dataSet, 'x00200032', 3) ?? enhanced.framePositions?.[0] ?? null,
    imageOrientation: decimals(dataSet, 'x00200037', 6) ?? enhanced.orientation,
    pixelSpacing: decimals(dataSet, 'x00280030', 2) ?? enhanced.pixelSpacing,
    sliceThickness: decimals(dataSet, 'x00180050', 1)?.[0] ?? enhanced.sliceThickness,
    framePositions: enhanced.framePositions,
    hasPixelData: dataSet.elements[PIXEL_DATA] !== undefined,
    fileSize,
    headerSha256: createHash('sha256').update(headerBytes).digest('hex'),
    headerLength: headerBytes.length,
  };
}

const SHARED_GROUPS = 'x52009229';
const PER_FRAME_GROUPS = 'x52009230';
const PLANE_POSITION = 'x00209113';
const PLANE_ORIENTATION = 'x00209116';
const PIXEL_MEASURES = 'x00289110';

function firstItem(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

/**
 * Enhanced (multi-frame) images keep their geometry in functional groups:
 * shared by all frames, or per frame. Frames become slices, each at its own position.
 */
function functionalGroupGeometry(dataSet: DataSet) {
  const shared = firstItem(dataSet, SHARED_GROUPS);
  const perFrame = dataSet.elements[PER_FRAME_GROUPS]?.items?.map((item) => item.dataSet) ?? [];
  const fromGroups = <T>(read: (group: DataSet) => T | null): T | null => {
    const first = perFrame[0];
    return (first ? read(first) : null) ?? (shared ? read(shared) : null);
  };
  const positions = perFrame.map((frame) => {
    const plane = firstItem(frame, PLANE_POSITION);
    return plane ? decimals(plane, 'x00200032', 3) : null;
  });
  const measures = (group: DataSet) => firstItem(group, PIXEL_MEASURES);
  return {
    framePositions: positions.length > 0 && positions.every((position) => position !== null) ? (positions as number[][]) : null,
    orientation: fromGroups((group) => {
      const plane = firstItem(group, PLANE_ORIENTATION);
      return plane ? decimals(plane, 'x00200037', 6) : null;
    }),
    pixelSpacing: fromGroups((group) => {
      const pixel = measures(group);
      return pixel ? decimals(pixel, 'x00280030', 2) : null;
    }),
    sliceThickness: fromGroups((group) => {
      const pixel = measures(group);
      return pixel ? (decimals(pixel, 'x00180050', 1)?.[0] ?? null) : null;
    }),
  };
}

function checkPixelData(header: InstanceHeader, length: number, undefinedLength: boolean, valueStart: number, fileSize: number): string | null {
  if (undefinedLength || isEncapsulated(header.transferSyntax)) return null;
  if (valueStart + length > fileSize) {
    return `truncated inside the pixel data (${fileSize - valueStart} of ${length} bytes present)`;
  }
  const expected = expectedPixelBytes(header);
  if (expected !== null && length < expected) {
    return `pixel data holds ${length} bytes but rows x columns x frames need ${expected}`;
  }
  return null;
}

function expectedPixelBytes(header: InstanceHeader): number | null {
  if (header.rows === null || header.columns === null || header.bitsAllocated === null) return null;
  const bits = header.rows * header.columns * header.frames * (header.samplesPerPixel ?? 1) * header.bitsAllocated;
  return Math.ceil(bits / 8);
}

/** Implicit VR files carry no VR, so each numeric tag read here names the one the dictionary gives it. */
function integer(dataSet: DataSet, tag: string, dictionaryVr: 'US' | 'IS'): number | null {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0) return null;
  const vr = element.vr ?? dictionaryVr;
  const value = vr === 'US' ? dataSet.uint16(tag) : Number.parseInt(dataSet.string(tag) ?? '', 10);
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function decimals(dataSet: DataSet | undefined, tag: string, count: number): number[] | null {
  if (!dataSet) return null;
  const raw = dataSet.string(tag);
  if (!raw) return null;
  const values = raw.split('\\').map((part) => Number.parseFloat(part));
  if (values.length < count || values.slice(0, count).some((value) => !Number.isFinite(value))) return null;
  return values.slice(0, count);
}

/** The first read of every file goes into one reused buffer: the parse never keeps the bytes. */
let scratch = Buffer.allocUnsafe(FIRST_READ);

function readPrefix(fd: number, length: number): Uint8Array {
  if (length > scratch.length) scratch = Buffer.allocUnsafe(length <= FIRST_READ * 16 ? FIRST_READ * 16 : length);
  const buffer = length <= FIRST_READ * 16 ? scratch : Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, filled);
    if (got === 0) break;
    filled += got;
  }
  return buffer.subarray(0, filled);
}

export function formatTag(tag: string): string {
  const hex = tag.replace(/^x/, '').toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4, 8)})`;
}

/** dicomParser throws strings, {exception} objects or Errors: make one plain sentence of any. */
export function parserReason(error: unknown): string {
  const raw =
    typeof error === 'string'
      ? error
      : error instanceof RangeError
        ? 'nested too deeply to parse'
        : error instanceof Error
          ? error.message
          : typeof error === 'object' && error !== null && 'exception' in error
            ? String((error as { exception: unknown }).exception)
            : 'unreadable';
  const plain = raw.replace(/^dicomParser[.:]?[A-Za-z0-9]*:\s*/, '');
  if (/buffer overrun|read past end of buffer/.test(plain)) return 'truncated: the file ends inside its header';
  return plain.slice(0, 300);
}

function systemReason(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown error';
}

/**
 * Whether an encapsulated Pixel Data value is whole: its items run to the
 * sequence delimiter inside the file. Read by seeking item to item from
 * where the header ends, never the pixels. (A native value cut short is
 * already refused by the header read.) A folder import leaves this to the
 * viewer; a received instance is checked before it is acknowledged.
 */
export function encapsulatedPixelDataIsWhole(path: string, header: Pick<InstanceHeader, 'hasPixelData' | 'headerLength' | 'fileSize' | 'transferSyntax'>): boolean {
  if (!header.hasPixelData || !isEncapsulated(header.transferSyntax)) return true;
  const fd = openSync(path, 'r');
  try {
    const item = Buffer.alloc(8);
    // Items (FFFE,E000) until the sequence delimiter (FFFE,E0DD), always little endian; the first is the offset table.
    for (let at = header.headerLength; at + 8 <= header.fileSize; at += 8 + item.readUInt32LE(4)) {
      if (readSync(fd, item, 0, 8, at) !== 8 || item.readUInt16LE(0) !== 0xfffe) return false;
      if (item.readUInt16LE(2) === 0xe0dd) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}
