// The images of a subtraction result (the comparator resampled into the
// current series' grid, and the difference) as one file in a folder beside
// the store: `<store>.derived/<resultId>.bin`. Never in SQLite, never trial
// data: a missing or damaged file is simply computed again, so every read
// here answers null for anything it cannot vouch for.
//
// The file: "LTDERIV1", the header's length (uint32 LE), the header (JSON),
// then each image's slices as 16-bit signed integers (value = stored x
// slope; NaN stored as 0), comparator first. Each slice carries a digest,
// so that a slice served is checked without reading the whole file.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DerivedKind } from '../../shared/channels';

const MAGIC = 'LTDERIV1';
const PREFIX_BYTES = MAGIC.length + 4;
/** Both images, in the order the file holds them. */
export const DERIVED_KINDS = ['comparator', 'difference'] as const satisfies readonly DerivedKind[];

export interface DerivedImage {
  /** Real value = stored integer x slope. */
  slope: number;
  window: { centre: number; width: number };
  /** SHA-256 (hex) of each slice's bytes. */
  digests: string[];
}

export interface CacheHeader {
  resultId: string;
  columns: number;
  rows: number;
  slices: number;
  images: Record<DerivedKind, DerivedImage>;
}

export function cacheFolder(dbPath: string): string {
  return `${dbPath}.derived`;
}

export function cacheFile(dbPath: string, resultId: string): string {
  return join(cacheFolder(dbPath), `${resultId}.bin`);
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The values as 16-bit integers with one slope that keeps the largest
 * magnitude: the error is at most half a slope. The slope has six
 * significant digits, so that its decimal string in the DICOM file
 * (RescaleSlope) is exactly the number the values were divided by.
 */
function quantise(values: Float32Array): { stored: Int16Array; slope: number } {
  let largest = 0;
  for (const value of values) if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
  const slope = largest > 0 ? Number((largest / 32767).toPrecision(6)) : 1;
  const stored = new Int16Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index]!;
    stored[index] = Number.isFinite(value) ? Math.max(-32767, Math.min(32767, Math.round(value / slope))) : 0;
  }
  return { stored, slope };
}

function finiteRange(values: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

export interface DerivedVolumes {
  resultId: string;
  columns: number;
  rows: number;
  slices: number;
  comparator: Float32Array;
  difference: Float32Array;
  /** Of the difference: its window is ten of these wide, about zero. */
  noise: number;
}

/** Writes the file whole or not at all (a temporary file renamed into place). */
export function writeCache(file: string, volumes: DerivedVolumes): void {
  const { columns, rows, slices } = volumes;
  const sliceBytes = columns * rows * 2;
  const range = finiteRange(volumes.comparator);
  const windows: Record<DerivedKind, DerivedImage['window']> = {
    // The comparator as it was: its own range. The difference: no change is mid-grey, and noise barely shows.
    comparator: { centre: (range.min + range.max) / 2, width: Math.max(range.max - range.min, 1) },
    difference: { centre: 0, width: Math.max(10 * volumes.noise, 1) },
  };
  const parts = DERIVED_KINDS.map((kind) => {
    const { stored, slope } = quantise(volumes[kind]);
    const bytes = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
    const digests = Array.from({ length: slices }, (_, slice) => digest(bytes.subarray(slice * sliceBytes, (slice + 1) * sliceBytes)));
    return { kind, bytes, image: { slope, window: windows[kind], digests } };
  });
  const header: CacheHeader = { resultId: volumes.resultId, columns, rows, slices, images: Object.fromEntries(parts.map((part) => [part.kind, part.image])) as CacheHeader['images'] };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([prefix, json, ...parts.map((part) => part.bytes)]));
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

interface Opened {
  header: CacheHeader;
  /** Where the first image's first slice starts. */
  dataOffset: number;
}

/** The header of a file whose size agrees with it, for this result; null for a missing or damaged file. */
function openHeader(fd: number, resultId: string): Opened | null {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  if (readSync(fd, prefix, 0, PREFIX_BYTES, 0) !== PREFIX_BYTES || prefix.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  const length = prefix.readUInt32LE(MAGIC.length);
  const size = fstatSync(fd).size;
  if (length > size - PREFIX_BYTES) return null;
  const json = Buffer.alloc(length);
  readSync(fd, json, 0, length, PREFIX_BYTES);
  let header: CacheHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as CacheHeader;
  } catch {
    return null;
  }
  const { columns, rows, slices, images } = header;
  if (header.resultId !== resultId || ![columns, rows, slices].every((value) => Number.isInteger(value) && value > 0)) return null;
  if (!DERIVED_KINDS.every((kind) => images?.[kind]?.digests?.length === slices && images[kind].slope > 0)) return null;
  const dataOffset = PREFIX_BYTES + length;
  return size === dataOffset + DERIVED_KINDS.length * slices * columns * rows * 2 ? { header, dataOffset } : null;
}

function withFile<T>(file: string, use: (fd: number) => T | null): T | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether the file holds this result whole: its header, its size and every slice's digest. */
export function cacheIsWhole(file: string, resultId: string): boolean {
  const opened = withFile(file, (fd) => openHeader(fd, resultId));
  if (!opened) return false;
  const { header, dataOffset } = opened;
  const bytes = readFileSync(file);
  const sliceBytes = header.columns * header.rows * 2;
  return DERIVED_KINDS.every((kind, image) =>
    header.images[kind].digests.every((expected, slice) => {
      const start = dataOffset + (image * header.slices + slice) * sliceBytes;
      return digest(bytes.subarray(start, start + sliceBytes)) === expected;
    }),
  );
}

export interface CachedSlice {
  columns: number;
  rows: number;
  pixels: Int16Array;
  slope: number;
  window: DerivedImage['window'];
}

/** One slice of one image, checked against its digest; null when the file is missing or damaged, or has no such slice. */
export function readCachedSlice(file: string, resultId: string, kind: DerivedKind, slice: number): CachedSlice | null {
  return withFile(file, (fd) => {
    const opened = openHeader(fd, resultId);
    if (!opened || slice >= opened.header.slices) return null;
    const { header, dataOffset } = opened;
    const sliceBytes = header.columns * header.rows * 2;
    const bytes = Buffer.alloc(sliceBytes);
    readSync(fd, bytes, 0, sliceBytes, dataOffset + (DERIVED_KINDS.indexOf(kind) * header.slices + slice) * sliceBytes);
    const image = header.images[kind];
    if (digest(bytes) !== image.digests[slice]) return null;
    return { columns: header.columns, rows: header.rows, pixels: new Int16Array(bytes.buffer, bytes.byteOffset, header.columns * header.rows), slope: image.slope, window: image.window };
  });
}

export function removeCache(file: string): void {
  rmSync(file, { force: true });
}
