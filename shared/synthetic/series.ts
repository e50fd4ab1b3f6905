// The scanning protocol of every synthetic study: which series, their DICOM
// descriptions and sequence parameters, and their geometry (where each
// slice lies in the scanner's patient coordinates, mm, DICOM LPS).
import type { ContrastName } from './anatomy';
import { cross, dot, type Vec3 } from '../vector';

export type Region = 'brain' | 'spinal_cord' | 'optic_nerve';
export const REGIONS: readonly Region[] = ['brain', 'spinal_cord', 'optic_nerve'];

export type SeriesRole = 'localizer' | 'brain' | 'orbits' | 'spine' | 'brain3d';
export const SERIES_ROLES: readonly SeriesRole[] = ['localizer', 'brain', 'orbits', 'spine', 'brain3d'];

export interface SliceGeometry {
  /** ImagePositionPatient: the centre of the first (top left) pixel. */
  position: Vec3;
  /** ImageOrientationPatient, first triplet: direction of increasing column index. */
  rowDirection: Vec3;
  /** ImageOrientationPatient, second triplet: direction of increasing row index. */
  columnDirection: Vec3;
}

export interface SeriesProtocol {
  role: SeriesRole;
  /** The region read on this series (null for the localizer, which is never read). */
  region: Region | null;
  seriesNumber: number;
  description: string;
  protocolName: string;
  bodyPart: string;
  imageType: readonly string[];
  contrast: ContrastName;
  /** Which rigid motion of the visit moves the anatomy seen here. */
  moves: 'head' | 'spine';
  rows: number;
  columns: number;
  /** PixelSpacing: [between rows, between columns] (mm). */
  pixelSpacing: readonly [number, number];
  sliceThickness: number;
  spacingBetweenSlices: number;
  /** Slices in acquisition order (InstanceNumber 1, 2, ...). */
  slices: readonly SliceGeometry[];
  scanningSequence: readonly string[];
  sequenceVariant: readonly string[];
  scanOptions: readonly string[];
  acquisitionType: '2D' | '3D';
  repetitionTime: number;
  echoTime: number;
  inversionTime: number | null;
  echoTrainLength: number;
  flipAngle: number;
  /** Noise standard deviation, relative to a signal of 1. */
  noise: number;
  /** Stored value of a signal of 1. */
  gain: number;
  /** Coil shading: signal x (1 + gradient . (p - centre) + curvature * |p - centre|^2), p in scanner coordinates. */
  shading: { centre: Vec3; gradient: Vec3; curvature: number };
  window: { centre: number; width: number };
}

interface StackSpec {
  centre: Vec3;
  rowDirection: Vec3;
  columnDirection: Vec3;
  rows: number;
  columns: number;
  pixelSpacing: readonly [number, number];
  count: number;
  spacing: number;
  /** Acquisition order against the slice normal (row x column): ascending or descending. */
  order: 'ascending' | 'descending';
}

/** A stack of parallel slices centred on a point, in acquisition order. */
function stack(spec: StackSpec): SliceGeometry[] {
  const normal = cross(spec.rowDirection, spec.columnDirection);
  const slices: SliceGeometry[] = [];
  for (let k = 0; k < spec.count; k += 1) {
    const offset = (k - (spec.count - 1) / 2) * spec.spacing;
    slices.push({ position: topLeft(spec, add3(spec.centre, normal, offset)), rowDirection: spec.rowDirection, columnDirection: spec.columnDirection });
  }
  return spec.order === 'ascending' ? slices : slices.reverse();
}

function add3(point: Vec3, direction: Vec3, amount: number): Vec3 {
  return [point[0] + direction[0] * amount, point[1] + direction[1] * amount, point[2] + direction[2] * amount];
}

/** The top-left pixel centre of a slice whose centre is `centre`. */
function topLeft(spec: Pick<StackSpec, 'rowDirection' | 'columnDirection' | 'rows' | 'columns' | 'pixelSpacing'>, centre: Vec3): Vec3 {
  const across = ((spec.columns - 1) / 2) * spec.pixelSpacing[1];
  const down = ((spec.rows - 1) / 2) * spec.pixelSpacing[0];
  return add3(add3(centre, spec.rowDirection, -across), spec.columnDirection, -down);
}

const AXIAL = { rowDirection: [1, 0, 0] as Vec3, columnDirection: [0, 1, 0] as Vec3 };
const CORONAL = { rowDirection: [1, 0, 0] as Vec3, columnDirection: [0, 0, -1] as Vec3 };
const SAGITTAL = { rowDirection: [0, 1, 0] as Vec3, columnDirection: [0, 0, -1] as Vec3 };

/** Where the scanner's spine field of view is centred (also the centre of the spine's motion between visits). */
export const SPINE_FIELD_CENTRE: Vec3 = [0, 12, -276];
/** The centre of the head's motion between visits. */
export const HEAD_CENTRE: Vec3 = [0, 0, 0];

function localizer(): SeriesProtocol {
  const size = { rows: 128, columns: 128, pixelSpacing: [2, 2] as const };
  const slices = [
    { ...AXIAL, centre: [0, 4, 0] as Vec3 },
    { ...SAGITTAL, centre: [0, 4, -20] as Vec3 },
    { ...CORONAL, centre: [0, 0, -20] as Vec3 },
  ].map((plane) => ({ position: topLeft({ ...plane, ...size }, plane.centre), rowDirection: plane.rowDirection, columnDirection: plane.columnDirection }));
  return {
    role: 'localizer', region: null, seriesNumber: 1, description: 'LOCALIZER', protocolName: 'NMO 3-PLANE LOCALIZER', bodyPart: 'BRAIN',
    imageType: ['DERIVED', 'PRIMARY', 'OTHER', 'LOCALIZER'], contrast: 'T1', moves: 'head', ...size, sliceThickness: 8, spacingBetweenSlices: 0, slices,
    scanningSequence: ['GR'], sequenceVariant: ['SP'], scanOptions: [], acquisitionType: '2D', repetitionTime: 8.6, echoTime: 4, inversionTime: null, echoTrainLength: 1, flipAngle: 20,
    noise: 0.03, gain: 1400, shading: { centre: [0, 0, 0], gradient: [0, 0, 0], curvature: 1.5e-5 }, window: { centre: 600, width: 1200 },
  };
}

function brain(): SeriesProtocol {
  const spec: StackSpec = { ...AXIAL, centre: [0, 4, 8], rows: 256, columns: 256, pixelSpacing: [0.9375, 0.9375], count: 36, spacing: 4, order: 'ascending' };
  return {
    role: 'brain', region: 'brain', seriesNumber: 2, description: 'AX T2 FLAIR', protocolName: 'NMO BRAIN AX T2 FLAIR', bodyPart: 'BRAIN',
    imageType: ['DERIVED', 'PRIMARY', 'OTHER', 'SYNTHETIC'], contrast: 'FLAIR', moves: 'head', rows: spec.rows, columns: spec.columns, pixelSpacing: spec.pixelSpacing,
    sliceThickness: 4, spacingBetweenSlices: spec.spacing, slices: stack(spec),
    scanningSequence: ['SE', 'IR'], sequenceVariant: ['SK', 'SP', 'MP'], scanOptions: [], acquisitionType: '2D', repetitionTime: 9000, echoTime: 85, inversionTime: 2500, echoTrainLength: 16, flipAngle: 150,
    noise: 0.022, gain: 1600, shading: { centre: [0, 0, 0], gradient: [0, 0.0004, 0.0003], curvature: 1.6e-5 }, window: { centre: 700, width: 1400 },
  };
}

function orbits(): SeriesProtocol {
  const spec: StackSpec = { ...CORONAL, centre: [0, -42, -36], rows: 192, columns: 192, pixelSpacing: [0.8, 0.8], count: 20, spacing: 3, order: 'ascending' };
  return {
    role: 'orbits', region: 'optic_nerve', seriesNumber: 3, description: 'COR STIR ORBITS', protocolName: 'NMO ORBITS COR STIR FS', bodyPart: 'HEAD',
    imageType: ['DERIVED', 'PRIMARY', 'OTHER', 'SYNTHETIC'], contrast: 'STIR', moves: 'head', rows: spec.rows, columns: spec.columns, pixelSpacing: spec.pixelSpacing,
    sliceThickness: 2.5, spacingBetweenSlices: spec.spacing, slices: stack(spec),
    scanningSequence: ['SE', 'IR'], sequenceVariant: ['SK', 'SP', 'MP'], scanOptions: [], acquisitionType: '2D', repetitionTime: 4000, echoTime: 60, inversionTime: 160, echoTrainLength: 12, flipAngle: 150,
    noise: 0.024, gain: 1500, shading: { centre: [0, -60, -36], gradient: [0, -0.0012, 0], curvature: 2.5e-5 }, window: { centre: 650, width: 1300 },
  };
}

function spine(): SeriesProtocol {
  const spec: StackSpec = { ...SAGITTAL, centre: SPINE_FIELD_CENTRE, rows: 360, columns: 176, pixelSpacing: [1.25, 1.25], count: 15, spacing: 3, order: 'descending' };
  return {
    role: 'spine', region: 'spinal_cord', seriesNumber: 4, description: 'SAG T2 C-T SPINE', protocolName: 'NMO SPINE SAG T2 C-T', bodyPart: 'SPINE',
    imageType: ['DERIVED', 'PRIMARY', 'OTHER', 'SYNTHETIC'], contrast: 'T2', moves: 'spine', rows: spec.rows, columns: spec.columns, pixelSpacing: spec.pixelSpacing,
    sliceThickness: 3, spacingBetweenSlices: spec.spacing, slices: stack(spec),
    scanningSequence: ['SE'], sequenceVariant: ['SK', 'SP'], scanOptions: ['SP'], acquisitionType: '2D', repetitionTime: 3500, echoTime: 100, inversionTime: null, echoTrainLength: 17, flipAngle: 150,
    // Posterior (spine) coil elements: the signal fades towards the front.
    noise: 0.02, gain: 1500, shading: { centre: [0, 12, -276], gradient: [0, 0.0028, 0], curvature: 0 }, window: { centre: 650, width: 1300 },
  };
}

/**
 * Sagittal 3D FLAIR of the whole head at 1 mm isotropic, the core brain
 * sequence of the MAGNIMS-CMSC-NAIMS 2021 protocol, for reading in three
 * planes. 160 x 192 x 192 voxels (5.9 M): 160 mm from side to side, 192 mm
 * front to back and head to foot, centred on the head. Acquired last, so
 * the 2D series keep their numbers.
 */
function brain3d(): SeriesProtocol {
  const spec: StackSpec = { ...SAGITTAL, centre: [0, 4, -4], rows: 192, columns: 192, pixelSpacing: [1, 1], count: 160, spacing: 1, order: 'ascending' };
  // The 2D FLAIR's contrast, coil and window; a variable-flip-angle turbo spin echo (SPACE, CUBE, VISTA) with inversion recovery.
  return {
    ...brain(), role: 'brain3d', seriesNumber: 5, description: 'SAG 3D FLAIR', protocolName: 'NMO BRAIN SAG 3D FLAIR',
    rows: spec.rows, columns: spec.columns, pixelSpacing: spec.pixelSpacing, sliceThickness: 1, spacingBetweenSlices: spec.spacing, slices: stack(spec),
    acquisitionType: '3D', repetitionTime: 5000, echoTime: 390, inversionTime: 1800, echoTrainLength: 220, flipAngle: 120, noise: 0.026,
  };
}

/** The series of every study, in series-number order. */
export const STUDY_PROTOCOL: readonly SeriesProtocol[] = [localizer(), brain(), orbits(), spine(), brain3d()];

export function protocolFor(role: SeriesRole): SeriesProtocol {
  const protocol = STUDY_PROTOCOL.find((entry) => entry.role === role);
  if (!protocol) throw new Error(`no series ${role}`);
  return protocol;
}

export function sliceNormal(slice: SliceGeometry): Vec3 {
  return cross(slice.rowDirection, slice.columnDirection);
}

/**
 * Slices in position order: sorted by distance along the slice normal, as a
 * reader (and shared/geometry.ts) orders them. Returns instance indices.
 */
export function positionOrder(protocol: SeriesProtocol): number[] {
  const normal = sliceNormal(protocol.slices[0]!);
  return protocol.slices.map((slice, index) => ({ index, distance: dot(slice.position, normal) })).sort((a, b) => a.distance - b.distance || a.index - b.index).map((entry) => entry.index);
}

export interface PixelLocation {
  /** Index of the nearest slice in position order (0-based). */
  sliceIndex: number;
  /** Index of that slice in acquisition order (InstanceNumber - 1). */
  instanceIndex: number;
  column: number;
  row: number;
  /** Continuous [column, row, slice-in-position-order] indices before rounding. */
  continuous: [number, number, number];
  /** True when the point lies within the imaged volume (inside the matrix and within half a spacing of the outer slices). */
  inside: boolean;
}

/** Where a scanner-space point lands in a regular stack (not the localizer). */
export function locate(protocol: SeriesProtocol, point: Vec3): PixelLocation {
  const order = positionOrder(protocol);
  const first = protocol.slices[order[0]!]!;
  const normal = sliceNormal(first);
  const relative: Vec3 = [point[0] - first.position[0], point[1] - first.position[1], point[2] - first.position[2]];
  const slice = dot(relative, normal) / protocol.spacingBetweenSlices;
  const column = dot(relative, first.rowDirection) / protocol.pixelSpacing[1];
  const row = dot(relative, first.columnDirection) / protocol.pixelSpacing[0];
  const sliceIndex = Math.round(slice);
  const inside = slice > -0.5 && slice < order.length - 0.5 && column > -0.5 && column < protocol.columns - 0.5 && row > -0.5 && row < protocol.rows - 0.5;
  const clamped = Math.max(0, Math.min(order.length - 1, sliceIndex));
  return { sliceIndex: clamped, instanceIndex: order[clamped]!, column: Math.round(column), row: Math.round(row), continuous: [column, row, slice], inside };
}
