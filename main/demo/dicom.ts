// DICOM encoding of the synthetic trial's images with dcmjs: MR Image Storage,
// Explicit VR Little Endian, every Type 1 and Type 2 attribute of the modules
// present (Patient, Patient Study, General Study, General Series, Frame of
// Reference, General Equipment, General Image, Image Plane, Image Pixel, MR
// Image, VOI LUT, SOP Common), with our own UIDs, Pixel Data marked OW and
// no Laterality; main/dicom/write.ts handles the other traps of dcmjs.
import dcmjs from 'dcmjs';
import type { ParticipantDesign, StudyDesign } from '../../shared/synthetic/design';
import {
  accessionNumber,
  frameOfReferenceUid,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  instanceUid,
  MR_IMAGE_STORAGE,
  seriesUid,
  studyUid,
} from '../../shared/synthetic/naming';
import { sliceNormal, type SeriesProtocol } from '../../shared/synthetic/series';
import { dot } from '../../shared/vector';
import { assertEncodable, fileMeta, formatDecimal, writePart10 } from '../dicom/write';

const IMPLEMENTATION = { classUid: IMPLEMENTATION_CLASS_UID, versionName: IMPLEMENTATION_VERSION_NAME };

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

function clockPlus(time: string, seconds: number): string {
  const start = Number(time.slice(0, 2)) * 3600 + Number(time.slice(2, 4)) * 60 + Number(time.slice(4, 6));
  const total = (start + seconds) % 86400;
  return [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60].map((part) => String(part).padStart(2, '0')).join('');
}

function ageAt(birthDate: string, date: string): string {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (date.slice(4) < birthDate.slice(4) ? 1 : 0);
  return `${String(years).padStart(3, '0')}Y`;
}

/** Attributes shared by every instance of one series. */
export function seriesAttributes(seed: string, participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol): Record<string, unknown> {
  const seriesTime = clockPlus(study.time, (protocol.seriesNumber - 1) * 240);
  const attributes: Record<string, unknown> = {
    // SOP Common
    SOPClassUID: MR_IMAGE_STORAGE,
    InstanceCreationDate: study.date,
    InstanceCreationTime: seriesTime,
    // Patient (synthetic identity: the values exist so that PHI-leak tests have something to look for)
    PatientName: participant.patientName,
    PatientID: participant.patientId,
    PatientBirthDate: participant.birthDate,
    PatientSex: participant.sex,
    // Patient Study
    PatientAge: ageAt(participant.birthDate, study.date),
    // General Study
    StudyInstanceUID: studyUid(seed, participant, study),
    StudyDate: study.date,
    StudyTime: study.time,
    ReferringPhysicianName: '',
    StudyID: `${participant.subject}${study.visit}`,
    AccessionNumber: accessionNumber(participant, study),
    StudyDescription: 'MR BRAIN C-T SPINE ORBITS',
    // General Series
    Modality: 'MR',
    SeriesInstanceUID: seriesUid(seed, participant, study, protocol),
    SeriesNumber: protocol.seriesNumber,
    SeriesDate: study.date,
    SeriesTime: seriesTime,
    SeriesDescription: protocol.description,
    ProtocolName: protocol.protocolName,
    BodyPartExamined: protocol.bodyPart,
    PatientPosition: 'HFS',
    // Frame of Reference
    FrameOfReferenceUID: frameOfReferenceUid(seed, participant, study),
    PositionReferenceIndicator: '',
    // General Equipment
    Manufacturer: 'LesionTrack',
    InstitutionName: 'Synthetic Imaging Centre',
    StationName: 'SYNTH01',
    ManufacturerModelName: 'Synthetic phantom',
    SoftwareVersions: 'lesiontrack-demo 1',
    // General Image
    AcquisitionNumber: 1,
    AcquisitionDate: study.date,
    BurnedInAnnotation: 'NO',
    ImageComments: 'SYNTHETIC IMAGE from an analytic phantom (LesionTrack demo trial); not a patient',
    // Image Plane
    PixelSpacing: [formatDecimal(protocol.pixelSpacing[0]), formatDecimal(protocol.pixelSpacing[1])],
    SliceThickness: formatDecimal(protocol.sliceThickness),
    // Image Pixel
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: protocol.rows,
    Columns: protocol.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    // MR Image
    ImageType: [...protocol.imageType],
    ScanningSequence: [...protocol.scanningSequence],
    SequenceVariant: [...protocol.sequenceVariant],
    ScanOptions: protocol.scanOptions.length > 0 ? [...protocol.scanOptions] : '',
    MRAcquisitionType: protocol.acquisitionType,
    RepetitionTime: formatDecimal(protocol.repetitionTime),
    EchoTime: formatDecimal(protocol.echoTime),
    EchoTrainLength: protocol.echoTrainLength,
    NumberOfAverages: '1',
    ImagingFrequency: '127.74',
    ImagedNucleus: '1H',
    MagneticFieldStrength: '3',
    FlipAngle: formatDecimal(protocol.flipAngle),
    SequenceName: protocol.role === 'localizer' ? 'SYN_GRE' : 'SYN_TSE',
    ReceiveCoilName: protocol.role === 'spine' ? 'SPINE' : 'HEAD',
    // VOI LUT
    WindowCenter: formatDecimal(protocol.window.centre),
    WindowWidth: formatDecimal(protocol.window.width),
  };
  if (protocol.inversionTime !== null) attributes.InversionTime = formatDecimal(protocol.inversionTime);
  if (protocol.spacingBetweenSlices > 0) attributes.SpacingBetweenSlices = formatDecimal(protocol.spacingBetweenSlices);
  return attributes;
}

/** Attributes of one instance (acquisition index `instanceIndex`). */
export function instanceAttributes(seed: string, participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol, instanceIndex: number): Record<string, unknown> {
  const slice = protocol.slices[instanceIndex]!;
  const seriesTime = clockPlus(study.time, (protocol.seriesNumber - 1) * 240);
  return {
    SOPInstanceUID: instanceUid(seed, participant, study, protocol, instanceIndex),
    InstanceNumber: instanceIndex + 1,
    ContentDate: study.date,
    ContentTime: clockPlus(seriesTime, instanceIndex * 2),
    AcquisitionTime: clockPlus(seriesTime, instanceIndex * 2),
    ImagePositionPatient: slice.position.map(formatDecimal),
    ImageOrientationPatient: [...slice.rowDirection, ...slice.columnDirection].map(formatDecimal),
    SliceLocation: formatDecimal(dot(slice.position, sliceNormal(slice))),
  };
}

/** A series' attributes denaturalised once, for many instances. */
export interface PreparedSeries {
  tags: Record<string, unknown>;
}

export function prepareSeries(attributes: Record<string, unknown>): PreparedSeries {
  assertEncodable(attributes);
  return { tags: DicomMetaDictionary.denaturalizeDataset(attributes) };
}

/** A complete Part 10 file (preamble, file meta, dataset) for one instance. */
export function encodeInstance(series: PreparedSeries, instance: Record<string, unknown>, pixels: Uint16Array): Uint8Array {
  assertEncodable(instance);
  const meta = fileMeta(MR_IMAGE_STORAGE, String(instance.SOPInstanceUID), IMPLEMENTATION);
  const pixelBuffer = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength ? pixels.buffer : pixels.slice().buffer;
  const dataset = { ...series.tags, ...DicomMetaDictionary.denaturalizeDataset({ ...instance, PixelData: pixelBuffer, _vrMap: { PixelData: 'OW' } }) };
  return writePart10(meta, dataset, pixelBuffer.byteLength + 64 * 1024);
}

/** The same file through dcmjs's own DicomDict.write (slower; kept to check that writePart10 matches it). */
export function encodeInstanceWithDicomDict(series: PreparedSeries, instance: Record<string, unknown>, pixels: Uint16Array): Uint8Array {
  const meta = fileMeta(MR_IMAGE_STORAGE, String(instance.SOPInstanceUID), IMPLEMENTATION);
  const dict = new DicomDict(meta);
  dict.dict = { ...series.tags, ...DicomMetaDictionary.denaturalizeDataset({ ...instance, PixelData: pixels.slice().buffer, _vrMap: { PixelData: 'OW' } }) };
  return new Uint8Array(dict.write());
}
