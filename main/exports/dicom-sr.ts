// DICOM SR export: one TID 1500 Imaging Measurement Report per read
// (participant x visit x region), built with dcmjs's SR templates. Each lesion
// seen at that visit is one measurement group (TID 1501) whose Tracking
// Identifier is its label (B3) and whose Tracking Unique Identifier is the
// lesion's own (LesionView.trackingUid): the same at every visit, where dcmjs
// would make a fresh random one at every export. The longest diameter is a
// Long Axis measurement inferred from a two-point polyline on the image it was
// drawn on. The document carries the subject code in place of the patient's
// identity, no dates of the patient's scans, and references the images read.
import { randomBytes } from 'node:crypto';
import dcmjs, { type ContentItem } from 'dcmjs';
import type { LesionView, ObservationView, SeriesImage, SignatureView } from '../../shared/contract';
import type { Region } from '../../shared/protocol';
import { bitsFromBytes, uidFromBits } from '../../shared/uid';
import { pixelIndexOf } from '../../shared/slice-sync';
import type { Vec3 } from '../../shared/vector';
import { assertEncodable, fileMeta, formatDecimal, writePart10 } from '../dicom/write';
import { ServiceError } from '../services/dispatch';
import { derivedUid, uidFromText } from '../store/identity';
import { endsText, type ExtentResult, extentResults, SOURCE_TEXT } from './extent-results';
import { type ExportData, type ImagingData, imageKey, readKey, visitLabel } from './gather';

const { CodedConcept } = dcmjs.sr.coding;
const { CodeContentItem, ContainerContentItem, GraphicTypes, ImageContentItem, NumContentItem, RelationshipTypes, ScoordContentItem, TextContentItem } = dcmjs.sr.valueTypes;
const { FindingSite } = dcmjs.sr.contentItems;
const templates = dcmjs.sr.templates;
const { DicomMetaDictionary } = dcmjs.data;

const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';
const IMPLEMENTATION = { classUid: uidFromText('LesionTrack DICOM SR writer'), versionName: 'LESIONTRACK_1' };
const SR_SERIES_NUMBER = 9500;
const LOCAL_SCHEME = '99LTRACK';

const code = (value: string, schemeDesignator: string, meaning: string) => new CodedConcept({ value, schemeDesignator, meaning });
const local = (value: string, meaning: string) => code(value, LOCAL_SCHEME, meaning);

const FINDING_SITE: Readonly<Record<Region, InstanceType<typeof CodedConcept>>> = {
  brain: code('12738006', 'SCT', 'Brain'),
  spinal_cord: code('2748008', 'SCT', 'Spinal cord'),
  optic_nerve: code('18234004', 'SCT', 'Optic nerve'),
};
const LATERALITY = {
  left: code('7771000', 'SCT', 'Left'),
  right: code('24028007', 'SCT', 'Right'),
  // A chiasm lesion involves both nerves.
  chiasm: code('51440002', 'SCT', 'Right and left'),
} as const;
const LESION = code('52988006', 'SCT', 'Lesion');
const LONG_AXIS = code('103339001', 'SCT', 'Long Axis');
const MILLIMETRE = code('mm', 'UCUM', 'millimeter');
const NO_UNITS = code('1', 'UCUM', 'no units');
const MRI = code('113091000', 'SCT', 'Magnetic resonance imaging');
const PERSON = code('121006', 'DCM', 'Person');

/** One SR file: its name in the export and its bytes. */
export interface SrFile {
  name: string;
  bytes: Uint8Array;
}

export interface SrOptions {
  /** The store's identity: SR UIDs of signed reads derive from it, so they are the same at every export. */
  storeIdentity: string;
  now: Date;
}

/** One SR per read of the data: buildExport gives it the signed reads only, unless the export is preliminary. */
export function dicomSr(data: ExportData, options: SrOptions): SrFile[] {
  const imaging = data.imaging;
  if (!imaging) throw new Error('the DICOM SR export needs the imaging data (gatherExportData with imaging)');
  const files: SrFile[] = [];
  for (const participant of data.counts.participants) {
    const lesions = data.lesions.get(participant.participantId) ?? [];
    for (const cell of participant.cells) {
      const key = readKey(participant.participantId, cell.visitCode, cell.region);
      const signature = data.signatures.get(key) ?? null;
      const seen = lesions.flatMap((lesion) => {
        const observation = lesion.observations.find((item) => item.visitCode === cell.visitCode);
        return lesion.region === cell.region && observation ? [{ lesion, observation }] : [];
      });
      files.push(
        srFile(
          { subjectCode: participant.subjectCode, visitCode: cell.visitCode, visit: visitLabel(data.schedule, cell.visitCode), region: cell.region, comparatorVisit: cell.comparatorVisit },
          seen,
          lesions,
          signature,
          data.superseded.get(key) ?? [],
          imaging.readSeries.get(key) ?? [],
          imaging,
          { ...options, studyId: data.studyId },
        ),
      );
    }
  }
  return files;
}

interface ReadDescription {
  subjectCode: string;
  visitCode: string;
  visit: string;
  region: Region;
  comparatorVisit: string | null;
}

interface Seen {
  lesion: LesionView;
  observation: ObservationView;
}

/** An image reference: which instance, and where in the store's catalogue. */
interface Evidence {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
}

function srFile(read: ReadDescription, seen: readonly Seen[], allLesions: readonly LesionView[], signature: SignatureView | null, earlier: readonly SignatureView[], seriesIds: readonly number[], imaging: ImagingData, options: SrOptions & { studyId: string }): SrFile {
  const evidence = new Map<string, Evidence>();
  const addSeries = (seriesId: number) => {
    const series = imaging.series.get(seriesId);
    if (!series) return;
    for (const instance of series.instances) {
      evidence.set(instance.sopInstanceUid, { studyInstanceUid: series.studyInstanceUid, seriesInstanceUid: series.seriesInstanceUid, sopClassUid: instance.sopClassUid, sopInstanceUid: instance.sopInstanceUid });
    }
  };
  for (const seriesId of seriesIds) addSeries(seriesId);
  for (const { observation } of seen) if (observation.image) addSeries(observation.image.seriesId);
  const references = [...evidence.values()];
  if (references.length === 0) {
    throw new ServiceError('conflict', `${read.subjectCode} ${read.visitCode} ${read.region.replace('_', ' ')}: no series is assigned to this read and no lesion of it was marked on an image, so its SR would reference no image. Assign its series (Assignments), then export.`);
  }

  const labels = new Map(allLesions.map((lesion) => [lesion.id, lesion.label]));
  const groups = seen.map((item) => measurementGroup(item, read, labels, imaging));
  const observer = signature?.reader ?? latestRecorder(seen) ?? 'unknown';
  const report = new templates.MeasurementReport({
    languageOfContentItemAndDescendants: new templates.LanguageOfContentItemAndDescendants({}),
    observationContext: new templates.ObservationContext({
      observerPersonContext: new templates.ObserverContext({ observerType: PERSON, observerIdentifyingAttributes: new templates.PersonObserverIdentifyingAttributes({ name: personName(observer) }) }),
    }),
    procedureReported: MRI,
    ...(groups.length > 0 ? { imagingMeasurements: groups } : {}),
  });

  // The SR lives in the study of the images read (the first, if a read spans studies).
  const studyInstanceUid = references[0]!.studyInstanceUid;
  const srUidOf = (signed: SignatureView) => derivedUid(options.storeIdentity, `sr of signature ${signed.id}`);
  const sopInstanceUid = signature ? srUidOf(signature) : uidFromBits(bitsFromBytes(randomBytes(16)));
  const seriesInstanceUid = derivedUid(options.storeIdentity, `sr series of study ${studyInstanceUid}`);
  const when = signature ? new Date(signature.signedAt) : options.now;
  const document = new dcmjs.sr.documents.Comprehensive3DSR({
    // dcmjs copies the patient and study attributes from the first evidence item: give it only the subject code.
    evidence: [{ StudyInstanceUID: studyInstanceUid, SeriesInstanceUID: references[0]!.seriesInstanceUid, SOPClassUID: references[0]!.sopClassUid, SOPInstanceUID: references[0]!.sopInstanceUid }],
    content: report[0],
    seriesInstanceUID: seriesInstanceUid,
    seriesNumber: SR_SERIES_NUMBER,
    seriesDescription: 'LesionTrack T2 lesion reads',
    sopInstanceUID: sopInstanceUid,
    instanceNumber: signature?.id ?? 1,
    manufacturer: 'LesionTrack',
    isComplete: signature !== null,
    isVerified: false,
    isFinal: signature !== null,
  });
  const dataset: Record<string, unknown> = {
    ...document,
    // Patient: the subject code only (as Patient ID; the name is left empty).
    PatientName: '',
    PatientID: read.subjectCode,
    PatientBirthDate: '',
    PatientSex: '',
    // General Study: the study of the images, without its date, accession number or physician.
    StudyInstanceUID: studyInstanceUid,
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
    // Enhanced General Equipment
    ManufacturerModelName: 'LesionTrack',
    DeviceSerialNumber: options.storeIdentity.slice(0, 16),
    SoftwareVersions: IMPLEMENTATION.versionName,
    InstanceCreationDate: dicomDate(options.now),
    InstanceCreationTime: dicomTime(options.now),
    ContentDate: dicomDate(when),
    ContentTime: dicomTime(when),
    TimezoneOffsetFromUTC: '+0000',
    SpecificCharacterSet: 'ISO_IR 192',
    PertinentOtherEvidenceSequence: evidenceSequence(references),
    CodingSchemeIdentificationSequence: [{ CodingSchemeDesignator: LOCAL_SCHEME, CodingSchemeName: 'LesionTrack local codes', CodingSchemeResponsibleOrganization: 'LesionTrack' }],
  };
  if (earlier.length > 0) {
    // The SRs of the earlier signed versions of this read (unlocked since), as this export would have written them.
    dataset.PredecessorDocumentsSequence = [
      {
        StudyInstanceUID: studyInstanceUid,
        ReferencedSeriesSequence: [{ SeriesInstanceUID: seriesInstanceUid, ReferencedSOPSequence: earlier.map((signed) => ({ ReferencedSOPClassUID: COMPREHENSIVE_3D_SR, ReferencedSOPInstanceUID: srUidOf(signed) })) }],
      },
    ];
  }
  if (signature) {
    dataset.VerificationFlag = 'VERIFIED';
    dataset.VerifyingObserverSequence = [
      { VerifyingObserverName: personName(signature.reader), VerifyingOrganization: `Central reading, ${options.studyId}`, VerificationDateTime: dicomDateTime(when), VerifyingObserverIdentificationCodeSequence: [] },
    ];
  }
  pruneEmptySequences(dataset);
  assertEncodable(dataset);
  const bytes = writePart10(fileMeta(COMPREHENSIVE_3D_SR, sopInstanceUid, IMPLEMENTATION), DicomMetaDictionary.denaturalizeDataset(dataset), 64 * 1024);
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '_');
  return { name: `${safe(read.subjectCode)}_${safe(read.visitCode)}_${read.region}.dcm`, bytes };
}

/** dcmjs leaves an empty ContentSequence on some items (a finding site without laterality): a Type 1C attribute must not be empty. */
function pruneEmptySequences(item: ContentItem): void {
  if (!item.ContentSequence) return;
  if (item.ContentSequence.length === 0) delete item.ContentSequence;
  else for (const child of item.ContentSequence) pruneEmptySequences(child);
}

/** Referenced instances grouped by study, then series, as the SR Document General module wants them. */
function evidenceSequence(references: readonly Evidence[]) {
  const studies = new Map<string, Map<string, Evidence[]>>();
  for (const reference of references) {
    const series = studies.get(reference.studyInstanceUid) ?? new Map<string, Evidence[]>();
    studies.set(reference.studyInstanceUid, series);
    const instances = series.get(reference.seriesInstanceUid) ?? [];
    series.set(reference.seriesInstanceUid, instances);
    instances.push(reference);
  }
  return [...studies].map(([studyInstanceUid, series]) => ({
    StudyInstanceUID: studyInstanceUid,
    ReferencedSeriesSequence: [...series].map(([seriesInstanceUid, instances]) => ({
      SeriesInstanceUID: seriesInstanceUid,
      ReferencedSOPSequence: instances.map((instance) => ({ ReferencedSOPClassUID: instance.sopClassUid, ReferencedSOPInstanceUID: instance.sopInstanceUid })),
    })),
  }));
}

function measurementGroup({ lesion, observation }: Seen, read: ReadDescription, labels: ReadonlyMap<number, string>, imaging: ImagingData) {
  const text = (value: string, meaning: string, text: string) => new TextContentItem({ name: local(value, meaning), value: text, relationshipType: RelationshipTypes.CONTAINS });
  const evaluations = [text('STATUS', 'Lesion status at this visit', observation.finalStatus ?? 'not assessed'), text('COUNTED', 'Counted as new or enlarging', observation.counted ? 'yes' : 'no')];
  if (read.comparatorVisit) evaluations.push(text('COMPARATOR', 'Comparator visit', read.comparatorVisit));
  if (observation.override) evaluations.push(text('OVERRIDE', 'Status set by the reader, with reason', `${observation.override.status}: ${observation.override.reason}`));
  if (observation.finding.kind === 'merged') evaluations.push(text('MERGEDINTO', 'Merged into lesion', labels.get(observation.finding.intoLesionId) ?? String(observation.finding.intoLesionId)));
  const extents = extentResults(observation).map(extentItem);

  // TID 1501, put together here: dcmjs 0.51's group template cannot take its own TrackingIdentifier
  // (it filters the template, and Array.prototype.filter re-runs the template's constructor).
  const group = new ContainerContentItem({ name: code('125007', 'DCM', 'Measurement Group'), relationshipType: RelationshipTypes.CONTAINS });
  const measurement = longAxis(observation, imaging);
  group.ContentSequence = [
    ...new templates.TrackingIdentifier({ uid: lesion.trackingUid, identifier: lesion.label }),
    ...new templates.TimePointContext({ timePoint: read.visit }),
    new CodeContentItem({ name: code('121071', 'DCM', 'Finding'), value: LESION, relationshipType: RelationshipTypes.CONTAINS }),
    new FindingSite({ anatomicLocation: FINDING_SITE[lesion.region], ...(lesion.side ? { laterality: LATERALITY[lesion.side] } : {}) }),
    ...(measurement ? [measurement] : []),
    ...extents,
    ...evaluations,
  ];
  return group;
}

/**
 * A cord or optic extent result: a number (the length along the cord in mm, the fraction of the nerve) or text
 * (levels, Y/N flags), with its source as a property, and for an override the reader's reason and what the image
 * measured; a measured number also carries the two ends it was measured between (patient coordinates).
 */
function extentItem(result: ExtentResult): ContentItem {
  const name = local(result.code, result.name);
  const item =
    typeof result.value === 'number'
      ? new NumContentItem({ name, value: Number(formatDecimal(result.value)), unit: result.unit === 'mm' ? MILLIMETRE : NO_UNITS, relationshipType: RelationshipTypes.CONTAINS })
      : new TextContentItem({ name, value: result.value, relationshipType: RelationshipTypes.CONTAINS });
  const property = (value: string, meaning: string, text: string) => new TextContentItem({ name: local(value, meaning), value: text, relationshipType: RelationshipTypes.HAS_PROPERTIES });
  item.ContentSequence = [
    property('EXTSRC', 'Source of the value', SOURCE_TEXT[result.source]),
    ...(result.reason ? [property('EXTRSN', 'Reason for the override', result.reason)] : []),
    ...(result.measured ? [property('EXTMEAS', 'Value measured on the image', result.measured)] : []),
    ...(result.ends ? [property('EXTENDS', 'Clicked ends (patient coordinates, mm)', endsText(result.ends))] : []),
  ];
  return item;
}

/** The longest diameter (mm, as recorded), inferred from the two points drawn on the image, when it was drawn. */
function longAxis(observation: ObservationView, imaging: ImagingData) {
  if (observation.finding.kind !== 'measured') return null;
  const value = Number(formatDecimal(observation.finding.longestDiameterMm));
  const item = new NumContentItem({ name: LONG_AXIS, value, unit: MILLIMETRE, relationshipType: RelationshipTypes.CONTAINS });
  const inferredFrom = imageReference(observation, imaging);
  if (inferredFrom) item.ContentSequence = [inferredFrom];
  return item;
}

/**
 * Where a measurement was made (TID 320): the two ends drawn across the
 * lesion, else its centre, as image coordinates on the image they were drawn
 * on; else that image alone; null when no image was recorded.
 */
function imageReference(observation: ObservationView, imaging: ImagingData) {
  const marked = observation.image;
  if (!marked) return null;
  const instance = imaging.series.get(marked.seriesId)?.instances.find((candidate) => candidate.instanceId === marked.instanceId);
  if (!instance) return null;
  const reference = (relationshipType: string) =>
    new ImageContentItem({
      name: LONG_AXIS,
      referencedSOPClassUID: instance.sopClassUid,
      referencedSOPInstanceUID: instance.sopInstanceUid,
      ...(marked.frame > 1 ? { referencedFrameNumbers: [marked.frame] } : {}),
      relationshipType,
    });
  const image = imaging.images.get(imageKey(marked.instanceId, marked.frame));
  const points = observation.marks?.diameter ?? (observation.marks ? [observation.marks.centre] : []);
  const placed = image ? points.map((point) => scoordPoint(point, image)) : [];
  if (placed.length === 0 || placed.includes(null)) return withoutConceptName(reference(RelationshipTypes.INFERRED_FROM));
  const graphicData = placed.flatMap((point) => point!);
  const scoord = new ScoordContentItem({ name: LONG_AXIS, graphicType: points.length === 2 ? GraphicTypes.POLYLINE : GraphicTypes.POINT, graphicData, relationshipType: RelationshipTypes.INFERRED_FROM });
  scoord.ContentSequence = [withoutConceptName(reference(RelationshipTypes.SELECTED_FROM))];
  return withoutConceptName(scoord);
}

/** Concept names are optional on SCOORD and IMAGE items (PS3.3 C.17.3) and dcmjs insists on one: leave it out, as Cornerstone's adapters do. */
function withoutConceptName(item: ContentItem): ContentItem {
  delete item.ConceptNameCodeSequence;
  return item;
}

/** A point in patient coordinates (mm) as SCOORD image coordinates: 0\\0 is the top left corner of the top left pixel, so a pixel's centre is at its index + 0.5. */
function scoordPoint(point: Vec3, image: SeriesImage): [number, number] | null {
  const index = pixelIndexOf(image, point);
  return index && [Number(formatDecimal(index[0] + 0.5)), Number(formatDecimal(index[1] + 0.5))];
}

/** A reader's name as DICOM PN: the whole name as given, in the family name component. */
function personName(name: string): string {
  return name.includes('^') ? name : `${name}^`;
}

function latestRecorder(seen: readonly Seen[]): string | null {
  return seen.map((item) => item.observation).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))[0]?.recordedBy ?? null;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const dicomDate = (when: Date) => `${when.getUTCFullYear()}${pad(when.getUTCMonth() + 1)}${pad(when.getUTCDate())}`;
const dicomTime = (when: Date) => `${pad(when.getUTCHours())}${pad(when.getUTCMinutes())}${pad(when.getUTCSeconds())}`;
const dicomDateTime = (when: Date) => `${dicomDate(when)}${dicomTime(when)}+0000`;
