// Reads a series' pixels into a volume in patient coordinates, for
// alignment and subtraction. Uncompressed little-endian images only (what
// scanners and the demo trial write for MR); anything else is refused with a
// reason, and the reader aligns by hand and reads without the subtraction.
import { readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';
import type { Volume } from '../../shared/registration';
import { sub, norm, scale, type Vec3 } from '../../shared/vector';

export interface SliceFile {
  filePath: string;
  /** 1-based frame inside the file. */
  frame: number;
}

const UNCOMPRESSED_LITTLE_ENDIAN = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

export class VolumeError extends Error {
  override name = 'VolumeError';
}

function numbers(dataSet: dicomParser.DataSet, tag: string, count: number): number[] | null {
  const values: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const value = dataSet.floatString(tag, index);
    if (value === undefined || !Number.isFinite(value)) return null;
    values.push(value);
  }
  return values;
}

export interface SliceData {
  pixels: Float32Array;
  rows: number;
  columns: number;
  position: Vec3;
  orientation: number[];
  spacing: [number, number];
}

export function readSlice(file: SliceFile): SliceData {
  const dataSet = dicomParser.parseDicom(new Uint8Array(readFileSync(file.filePath)));
  const syntax = dataSet.string('x00020010')?.trim() ?? '1.2.840.10008.1.2';
  if (!UNCOMPRESSED_LITTLE_ENDIAN.has(syntax)) throw new VolumeError('Automatic alignment and subtraction read uncompressed images only.');
  if (file.frame !== 1 || (dataSet.intString('x00280008') ?? 1) > 1) throw new VolumeError('Automatic alignment and subtraction read single-frame images only.');
  const rows = dataSet.uint16('x00280010');
  const columns = dataSet.uint16('x00280011');
  const bits = dataSet.uint16('x00280100');
  const signed = dataSet.uint16('x00280103') === 1;
  const position = numbers(dataSet, 'x00200032', 3);
  const orientation = numbers(dataSet, 'x00200037', 6);
  const spacing = numbers(dataSet, 'x00280030', 2);
  const element = dataSet.elements.x7fe00010;
  if (!rows || !columns || !position || !orientation || !spacing || !element) throw new VolumeError('An image lacks its size, position, orientation or pixel spacing.');
  if (bits !== 16) throw new VolumeError('Automatic alignment and subtraction read 16-bit images only.');
  if (element.length < rows * columns * 2) throw new VolumeError('An image has less pixel data than its size says.');
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  const view = new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset + element.dataOffset, rows * columns * 2);
  const pixels = new Float32Array(rows * columns);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (signed ? view.getInt16(index * 2, true) : view.getUint16(index * 2, true)) * slope + intercept;
  return { pixels, rows, columns, position: position as unknown as Vec3, orientation, spacing: [spacing[0]!, spacing[1]!] };
}

/** Slices in reading order (sorted along the normal) become one volume. */
export function readVolume(files: readonly SliceFile[]): Volume {
  if (files.length < 3) throw new VolumeError('A series needs at least 3 slices for automatic alignment and subtraction.');
  const slices = files.map(readSlice);
  const first = slices[0]!;
  if (slices.some((slice) => slice.rows !== first.rows || slice.columns !== first.columns)) throw new VolumeError('The slices of this series differ in size.');
  const last = slices.at(-1)!;
  const across = sub(last.position, first.position);
  const length = norm(across);
  if (length < 1e-3) throw new VolumeError('The slices of this series share one position.');
  const data = new Float32Array(first.rows * first.columns * slices.length);
  slices.forEach((slice, index) => data.set(slice.pixels, index * first.rows * first.columns));
  const [o0, o1, o2, o3, o4, o5] = first.orientation as [number, number, number, number, number, number];
  return {
    dims: [first.columns, first.rows, slices.length],
    data,
    origin: first.position,
    axes: [[o0, o1, o2], [o3, o4, o5], scale(across, 1 / length)],
    // PixelSpacing is [between rows, between columns].
    spacing: [first.spacing[1], first.spacing[0], length / (slices.length - 1)],
  };
}
