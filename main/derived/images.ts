// One slice of a derived image as a DICOM Part 10 file, for the viewer's
// wadouri loader (the legacy dicom-parser metadata): MR Image Storage,
// DERIVED\SECONDARY, placed exactly as the current series' image at the same
// index (its position, orientation, spacing, thickness and frame of
// reference, copied from that image's own header), 16-bit signed with a
// rescale slope, and nothing of the patient or the visit: no name, ID, date
// or description, so a blinded reader gets the same file as anyone.
import { readFile } from 'node:fs/promises';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import type { DerivedKind } from '../../shared/channels';
import { assertEncodable, fileMeta, formatDecimal, writePart10 } from '../dicom/write';
import { instanceFile, seriesImages, verifySourceFile } from '../store/catalog';
import type { Db } from '../store/database';
import { derivedUid, storeIdentity, uidFromText } from '../store/identity';
import { cacheFile, readCachedSlice, removeCache } from './cache';
import { subtractionResult } from './results';

const { DicomMetaDictionary } = dcmjs.data;

const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const IMPLEMENTATION = { classUid: uidFromText('LesionTrack derived images'), versionName: 'LESIONTRACK_1' };
/** What Image Type's third value says each image is. */
const IMAGE_TYPE: Readonly<Record<DerivedKind, string>> = { comparator: 'RESAMPLED', difference: 'SUBTRACTION' };
const SERIES_NUMBER: Readonly<Record<DerivedKind, number>> = { comparator: 9001, difference: 9002 };

export type DerivedSliceFile = { ok: true; bytes: Uint8Array } | { ok: false; status: 404 | 409; message: string };

/** The placement of the current series' image, as its header writes it (decimal strings kept to the letter). */
function placement(dataSet: dicomParser.DataSet): Record<string, unknown> | null {
  const values = (tag: string) => dataSet.string(tag)?.split('\\').map((value) => value.trim());
  const position = values('x00200032');
  const orientation = values('x00200037');
  const spacing = values('x00280030');
  const frameOfReference = dataSet.string('x00200052');
  if (position?.length !== 3 || orientation?.length !== 6 || spacing?.length !== 2 || !frameOfReference) return null;
  const optional = (keyword: string, tag: string) => {
    const value = dataSet.string(tag);
    return value ? { [keyword]: value } : {};
  };
  return {
    FrameOfReferenceUID: frameOfReference,
    ImagePositionPatient: position,
    ImageOrientationPatient: orientation,
    PixelSpacing: spacing,
    ...optional('SliceThickness', 'x00180050'),
    ...optional('SpacingBetweenSlices', 'x00180088'),
    ...optional('SliceLocation', 'x00201041'),
  };
}

/** The file of one slice of a ready result; a 404 for a result, slice or cache file that is not there (the subtraction request computes it again). */
export async function derivedSliceFile(db: Db, resultId: string, kind: DerivedKind, slice: number): Promise<DerivedSliceFile> {
  const result = subtractionResult(db, resultId);
  if (result?.state !== 'ready') return { ok: false, status: 404, message: 'This derived image is not in the store: ask for the subtraction again.' };
  const images = seriesImages(db, result.current_series_ref) ?? [];
  // Images imported into the series since make this result an old one: its slices no longer match the listing.
  if (images.length !== result.slices) return { ok: false, status: 404, message: 'This derived image is out of date: ask for the subtraction again.' };
  const image = images[slice];
  if (!image) return { ok: false, status: 404, message: `This derived image has no slice ${slice}.` };
  const stored = instanceFile(db, image.instanceId)!;
  const problem = await verifySourceFile(stored);
  if (problem !== null) return { ok: false, status: 409, message: problem };
  const file = cacheFile(db.name, resultId);
  const cached = readCachedSlice(file, resultId, kind, slice);
  if (!cached) {
    // Missing or damaged: gone, so that the next subtraction request computes it again.
    removeCache(file);
    return { ok: false, status: 404, message: 'This derived image is being computed again: ask for the subtraction.' };
  }
  const source = dicomParser.parseDicom(new Uint8Array(await readFile(stored.filePath)), { untilTag: 'x7fe00010' });
  const placed = placement(source);
  if (!placed || source.uint16('x00280010') !== cached.rows || source.uint16('x00280011') !== cached.columns) {
    return { ok: false, status: 409, message: 'The image this slice lies on has no usable position or size.' };
  }
  const store = storeIdentity(db);
  const sopInstanceUid = derivedUid(store, `derived ${resultId} ${kind} ${slice}`);
  const attributes: Record<string, unknown> = {
    SOPClassUID: MR_IMAGE_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    // Patient, study and equipment: the attributes the image must have, left empty.
    PatientName: '',
    PatientID: '',
    PatientBirthDate: '',
    PatientSex: '',
    StudyInstanceUID: derivedUid(store, `derived ${resultId}`),
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
    Modality: 'MR',
    SeriesInstanceUID: derivedUid(store, `derived ${resultId} ${kind}`),
    SeriesNumber: SERIES_NUMBER[kind],
    PositionReferenceIndicator: '',
    Manufacturer: 'LesionTrack',
    InstanceNumber: slice + 1,
    BurnedInAnnotation: 'NO',
    ImageType: ['DERIVED', 'SECONDARY', IMAGE_TYPE[kind]],
    ...placed,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: cached.rows,
    Columns: cached.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    RescaleIntercept: '0',
    // Six significant digits: exactly the slope the values were stored with (cache.ts).
    RescaleSlope: String(cached.slope),
    WindowCenter: formatDecimal(cached.window.centre),
    WindowWidth: formatDecimal(cached.window.width),
    ScanningSequence: 'RM',
    SequenceVariant: 'NONE',
    ScanOptions: '',
    MRAcquisitionType: '',
  };
  assertEncodable(attributes);
  const pixels = cached.pixels.byteOffset === 0 && cached.pixels.buffer.byteLength === cached.pixels.byteLength ? cached.pixels.buffer : cached.pixels.slice().buffer;
  const dataset = DicomMetaDictionary.denaturalizeDataset({ ...attributes, PixelData: pixels, _vrMap: { PixelData: 'OW' } });
  return { ok: true, bytes: writePart10(fileMeta(MR_IMAGE_STORAGE, sopInstanceUid, IMPLEMENTATION), dataset, pixels.byteLength + 64 * 1024) };
}
