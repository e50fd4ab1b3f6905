// An analytic phantom as a real DICOM series, for measuring in MPR: a bright
// rod (a cylinder with flat ends) of known length and radius, at a known
// double-oblique direction, in an otherwise dark volume of 1 mm isotropic
// voxels, itself acquired on a double-oblique stack by default. The rod's
// edges are partial-volumed over one voxel, so its ends sit at half height.
// Written with the demo trial's DICOM encoder (main/demo/dicom.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeInstance, prepareSeries } from '../../main/demo/dicom';
import { formatDecimal } from '../../main/dicom/write';
import { MR_IMAGE_STORAGE } from '../../shared/synthetic/naming';
import { uidFromName } from '../../shared/synthetic/random';
import { along, dicomPoint, dot, type PlaneName, stackGeometry, type StackGeometry, type Vec3 } from './stack-geometry';

export interface RodOptions {
  /** Plane of the acquired slices (default double-oblique). */
  plane?: PlaneName;
  /** Voxels: columns, rows, slices (default 96 x 96 x 80). */
  size?: [number, number, number];
  /** Centre of the volume and of the rod (mm, LPS). */
  centre?: Vec3;
  /** Direction of the rod (normalised here); default (1, 2, 2)/3, oblique to every patient and stack axis. */
  direction?: Vec3;
  lengthMm?: number;
  radiusMm?: number;
  /** Distinguishes series written into one folder (different UIDs). */
  name?: string;
}

export interface RodPhantom {
  folder: string;
  /** Files in acquisition order (instance number order). */
  files: string[];
  seriesInstanceUid: string;
  studyInstanceUid: string;
  geometry: StackGeometry;
  rod: { start: Vec3; end: Vec3; lengthMm: number; radiusMm: number; direction: Vec3 };
  /** Stored values inside the rod and outside it. */
  inside: number;
  outside: number;
}

const INSIDE = 1000;
const OUTSIDE = 20;

/** Fraction of a voxel at signed distance `depth` (mm, positive inside) that lies inside an edge: a one-voxel ramp. */
const cover = (depth: number) => Math.min(1, Math.max(0, depth + 0.5));

/** Writes the phantom's series into `folder` (a subfolder per series name) and says where its rod is. */
export function writeRodPhantom(folder: string, options: RodOptions = {}): RodPhantom {
  const { plane = 'doubleOblique', size = [96, 96, 80], centre = [4, -6, 10], lengthMm = 60, radiusMm = 3, name = 'ROD' } = options;
  const raw = options.direction ?? [1, 2, 2];
  const length = Math.hypot(...raw);
  const direction: Vec3 = [raw[0] / length, raw[1] / length, raw[2] / length];
  const start = along(centre, direction, -lengthMm / 2);
  const end = along(centre, direction, lengthMm / 2);
  const geometry = stackGeometry({ plane, centre, columns: size[0], rows: size[1], slices: size[2], pixelSpacing: [1, 1], spacing: 1 });

  const studyInstanceUid = uidFromName(`rod phantom|${name}|study`);
  const seriesInstanceUid = uidFromName(`rod phantom|${name}|series`);
  const prepared = prepareSeries({
    SOPClassUID: MR_IMAGE_STORAGE,
    PatientName: 'PHANTOM^ROD',
    PatientID: 'ROD-PHANTOM',
    PatientBirthDate: '',
    PatientSex: '',
    StudyInstanceUID: studyInstanceUid,
    StudyDate: '20260101',
    StudyTime: '090000',
    ReferringPhysicianName: '',
    StudyID: '1',
    AccessionNumber: '',
    StudyDescription: 'ROD PHANTOM',
    Modality: 'MR',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: 1,
    SeriesDescription: `${name} 3D PHANTOM`,
    FrameOfReferenceUID: uidFromName(`rod phantom|${name}|frame`),
    PositionReferenceIndicator: '',
    Manufacturer: 'LesionTrack',
    PixelSpacing: geometry.pixelSpacing.map(formatDecimal),
    SliceThickness: formatDecimal(geometry.spacing),
    SpacingBetweenSlices: formatDecimal(geometry.spacing),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: geometry.rows,
    Columns: geometry.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    ImageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
    ScanningSequence: ['GR'],
    SequenceVariant: ['SP'],
    ScanOptions: '',
    MRAcquisitionType: '3D',
    WindowCenter: formatDecimal(INSIDE / 2),
    WindowWidth: formatDecimal(INSIDE * 1.2),
  });

  const seriesFolder = join(folder, name);
  mkdirSync(seriesFolder, { recursive: true });
  const pixels = new Uint16Array(geometry.rows * geometry.columns);
  const files = geometry.positions.map((position, k) => {
    for (let j = 0; j < geometry.rows; j += 1) {
      for (let i = 0; i < geometry.columns; i += 1) {
        const offset = dicomPoint(geometry, i, j, k).map((value, axis) => value - start[axis]!) as Vec3;
        const t = dot(offset, direction);
        const radial = Math.hypot(offset[0] - t * direction[0], offset[1] - t * direction[1], offset[2] - t * direction[2]);
        const weight = cover(radiusMm - radial) * cover(Math.min(t, lengthMm - t));
        pixels[j * geometry.columns + i] = Math.round(OUTSIDE + (INSIDE - OUTSIDE) * weight);
      }
    }
    const file = join(seriesFolder, `IM${String(k + 1).padStart(4, '0')}.dcm`);
    writeFileSync(
      file,
      encodeInstance(prepared, {
        SOPInstanceUID: uidFromName(`rod phantom|${name}|instance ${k + 1}`),
        InstanceNumber: k + 1,
        ImagePositionPatient: position.map(formatDecimal),
        ImageOrientationPatient: geometry.orientation.map(formatDecimal),
      }, pixels),
    );
    return file;
  });
  return { folder: seriesFolder, files, seriesInstanceUid, studyInstanceUid, geometry, rod: { start, end, lengthMm, radiusMm, direction }, inside: INSIDE, outside: OUTSIDE };
}
