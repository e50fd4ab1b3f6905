// The ground truth of a synthetic trial (truth.json): every lesion with its
// identity across visits, size and status per visit under both comparator
// settings, where it lands in the written images, and the expected counts per
// participant x visit x region and the endpoint, from the independent oracle.
import { cordPoint, LEVELS, nervePath, nervePoint, spineModel, vertebralBodyCentre, type SpineModel } from './anatomy';
import { type CharterRules, type Comparator, COMPARATORS, DEFAULT_CHARTER_RULES } from './charter';
import { cordFacts, designParticipant, designSeedOf, type Difficulty, opticFacts, VISITS, type CordFacts, type LesionShape, type OpticFacts, type ParticipantDesign, type Scenario, type StudyDesign } from './design';
import { accessionNumber, frameOfReferenceUid, instanceFile, instanceUid, seriesFolder, seriesUid, studyFolder, studyUid } from './naming';
import { countLesions, statusesOf, type CountRow, type LesionStatus } from './oracle';
import { locate, protocolFor, REGIONS, STUDY_PROTOCOL, type Region, type SeriesProtocol, type SeriesRole } from './series';
import { roundPoint, roundTo } from '../rounding';
import { applyMotion, type RigidMotion, type Vec3 } from '../vector';

export const TRUTH_SCHEMA = 'lesiontrack-synthetic-truth';
export const TRUTH_VERSION = 3;

/** The series each region is read on. */
export const READING_SERIES: Readonly<Record<Region, SeriesRole>> = { brain: 'brain', spinal_cord: 'spine', optic_nerve: 'orbits' };

export interface LesionLocation {
  seriesRole: SeriesRole;
  seriesInstanceUid: string;
  /** The lesion centre in this study's patient coordinates (mm, LPS), after the visit's head or body position. */
  patientMm: Vec3;
  /** Nearest slice, 0-based, with slices sorted by position along the slice normal. */
  sliceIndex: number;
  instanceNumber: number;
  sopInstanceUid: string;
  /** Path of that slice's file, relative to the output folder. */
  file: string;
  column: number;
  row: number;
  /** [column, row, slice index] before rounding. */
  continuous: [number, number, number];
  /** Whether the centre lies inside the imaged volume. */
  inside: boolean;
}

export interface LesionVisitTruth {
  visit: string;
  week: number;
  present: boolean;
  /** Longest diameter (mm), 0 when absent. Cord: along the cord; optic nerve: along the nerve. */
  longestDiameterMm: number;
  status: Record<Comparator, LesionStatus>;
  /** Centre in the participant's anatomy frame (mm, LPS): the patient coordinates of a head and body at rest. */
  centreMm: Vec3;
  shape: LesionShape;
  brain?: { semiAxesMm: Vec3 };
  cord?: CordFacts;
  optic?: OpticFacts;
  /** Cord: the lesion's upper and lower end on the cord; optic: its front and back end along the nerve; in this study's patient coordinates (mm). */
  endsMm?: [Vec3, Vec3];
  location: LesionLocation;
  /** Brain lesions: the same centre on the sagittal 3D FLAIR of the visit (READING_SERIES' 2D series stays the one read by default). */
  location3d?: LesionLocation;
}

export interface LesionTruth {
  id: string;
  region: Region;
  number: number;
  label: string;
  scenario: Scenario;
  story: string;
  visits: LesionVisitTruth[];
}

export interface SeriesTruth {
  role: SeriesRole;
  region: Region | null;
  /** The localizer is never read: readers and importers should ignore it. */
  ignore: boolean;
  seriesNumber: number;
  description: string;
  seriesInstanceUid: string;
  folder: string;
  instances: number;
  rows: number;
  columns: number;
  /** [between rows, between columns] (mm). */
  pixelSpacing: readonly [number, number];
  sliceThickness: number;
  /** 0 for the localizer, whose three slices are in three planes. */
  spacingBetweenSlices: number;
}

export interface StudyTruth {
  visit: string;
  week: number;
  dayOffset: number;
  studyDate: string;
  studyTime: string;
  studyInstanceUid: string;
  accessionNumber: string;
  frameOfReferenceUid: string;
  folder: string;
  headMotion: RigidMotion;
  spineMotion: RigidMotion;
  series: SeriesTruth[];
  landmarks: StudyLandmarks;
}

/** What a reader clicks to measure extents on this study's images, in its patient coordinates (mm, after the visit's motion). */
export interface StudyLandmarks {
  /** The centre of every vertebral body C1-T12 on the spine series (C1: its anterior arch, where the phantom draws a small body). */
  vertebralBodies: { level: string; patientMm: Vec3 }[];
  /** Each optic nerve from the back of the globe through the orbital apex to the chiasm centre (the orbits series). */
  opticNerves: Record<'right' | 'left', { globe: Vec3; apex: Vec3; chiasm: Vec3 }>;
}

export interface ParticipantTruth {
  subject: string;
  patientId: string;
  patientName: string;
  birthDate: string;
  sex: 'F' | 'M';
  anatomy: { headScale: Vec3; spineLengthScale: number };
  studies: StudyTruth[];
  lesions: LesionTruth[];
  counts: Record<Comparator, CountRow<Region>[]>;
  endpoint: Record<Comparator, number>;
}

export interface TrialTruth {
  schema: typeof TRUTH_SCHEMA;
  version: typeof TRUTH_VERSION;
  generator: string;
  seed: string;
  /** How hard the set is to read (shared/synthetic/design.ts); absent in files written before it could be chosen: standard. */
  difficulty?: Difficulty;
  subjects: number;
  charter: CharterRules;
  visits: { code: string; week: number }[];
  regions: readonly Region[];
  coordinates: string;
  participants: ParticipantTruth[];
  totals: {
    endpoint: Record<Comparator, number>;
    byVisitAndRegion: Record<Comparator, CountRow<Region>[]>;
  };
  /** What the scripted second reader of `lesiontrack demo --read --double` does differently: written by that demo only. */
  secondReader?: SecondReaderScript;
}

/** A scripted reader who misses some truth lesions and adds false ones: the double-read demo's second reader (shared/synthetic/second-reader.ts), or the qualification demo's reader (shared/synthetic/qualification-reader.ts). */
export interface SecondReaderScript {
  /** Truth lesions (ids) the second reader never marks. */
  missed: { subject: string; lesionId: string }[];
  /** Truth lesions the reader does not see at the first visit they are there, and marks from the next (as new there). */
  missedAtFirstSight?: { subject: string; lesionId: string }[];
  /** Lesions that are not there: marked new at `visit` on the image of a truth lesion's location there, `offsetMm` along the image rows, and seen the same at every later visit. */
  added: { subject: string; region: Region; visit: string; onImageOfLesion: string; offsetMm: number; longestDiameterMm: number }[];
}

export function participantTruth(seed: string, participant: ParticipantDesign, rules: CharterRules = DEFAULT_CHARTER_RULES): ParticipantTruth {
  const model = spineModel(participant.spine);
  const studies: StudyTruth[] = participant.studies.map((study) => ({
    visit: study.visit,
    week: study.week,
    dayOffset: study.dayOffset,
    studyDate: study.date,
    studyTime: study.time,
    studyInstanceUid: studyUid(seed, participant, study),
    accessionNumber: accessionNumber(participant, study),
    frameOfReferenceUid: frameOfReferenceUid(seed, participant, study),
    folder: studyFolder(participant, study),
    headMotion: study.headMotion,
    spineMotion: study.spineMotion,
    landmarks: studyLandmarks(participant, model, study),
    series: STUDY_PROTOCOL.map((protocol) => ({
      role: protocol.role,
      region: protocol.region,
      ignore: protocol.region === null,
      seriesNumber: protocol.seriesNumber,
      description: protocol.description,
      seriesInstanceUid: seriesUid(seed, participant, study, protocol),
      folder: seriesFolder(participant, study, protocol),
      instances: protocol.slices.length,
      rows: protocol.rows,
      columns: protocol.columns,
      pixelSpacing: protocol.pixelSpacing,
      sliceThickness: protocol.sliceThickness,
      spacingBetweenSlices: protocol.spacingBetweenSlices,
    })),
  }));

  const lesions: LesionTruth[] = participant.lesions.map((lesion) => {
    const sizes = lesion.visits.map((visit) => visit.longestDiameterMm);
    const statuses = Object.fromEntries(COMPARATORS.map((comparator) => [comparator, statusesOf(sizes, comparator, rules)])) as Record<Comparator, LesionStatus[]>;
    const role = READING_SERIES[lesion.region];
    const protocol = protocolFor(role);
    return {
      id: lesion.id,
      region: lesion.region,
      number: lesion.number,
      label: lesion.label,
      scenario: lesion.scenario,
      story: lesion.story,
      visits: lesion.visits.map((visit, visitIndex): LesionVisitTruth => {
        const study = participant.studies[visitIndex]!;
        const patientMm = roundPoint(applyMotion(protocol.moves === 'head' ? study.headMotion : study.spineMotion, visit.centre), 3);
        const shape = visit.shape;
        const facts =
          shape.kind === 'ellipsoid' ? { brain: { semiAxesMm: shape.semiAxes } } : shape.kind === 'cord' ? { cord: cordFacts(model, shape) } : { optic: opticFacts(participant.head, shape) };
        return {
          visit: study.visit,
          week: study.week,
          present: visit.present,
          longestDiameterMm: visit.longestDiameterMm,
          status: { previous: statuses.previous[visitIndex]!, baseline: statuses.baseline[visitIndex]! },
          centreMm: visit.centre,
          shape,
          ...facts,
          ...lesionEnds(participant, model, study, shape),
          location: lesionLocation(seed, participant, study, protocol, patientMm),
          ...volumeLocation(seed, participant, study, lesion.region, patientMm),
        };
      }),
    };
  });

  const counted = participant.lesions.map((lesion) => ({ region: lesion.region, sizes: lesion.visits.map((visit) => visit.longestDiameterMm) }));
  const previous = countLesions(counted, VISITS, REGIONS, 'previous', rules);
  const baseline = countLesions(counted, VISITS, REGIONS, 'baseline', rules);
  return {
    subject: participant.subject,
    patientId: participant.patientId,
    patientName: participant.patientName,
    birthDate: participant.birthDate,
    sex: participant.sex,
    anatomy: { headScale: participant.head.scale, spineLengthScale: participant.spine.lengthScale },
    studies,
    lesions,
    counts: { previous: previous.rows, baseline: baseline.rows },
    endpoint: { previous: previous.endpoint, baseline: baseline.endpoint },
  };
}

/** Where a point of a study's patient coordinates lands in one of its series, with the names of the slice it is on. */
function lesionLocation(seed: string, participant: ParticipantDesign, study: StudyDesign, protocol: SeriesProtocol, patientMm: Vec3): LesionLocation {
  const where = locate(protocol, patientMm);
  return {
    seriesRole: protocol.role,
    seriesInstanceUid: seriesUid(seed, participant, study, protocol),
    patientMm,
    sliceIndex: where.sliceIndex,
    instanceNumber: where.instanceIndex + 1,
    sopInstanceUid: instanceUid(seed, participant, study, protocol, where.instanceIndex),
    file: instanceFile(participant, study, protocol, where.instanceIndex),
    column: where.column,
    row: where.row,
    continuous: [roundTo(where.continuous[0], 3), roundTo(where.continuous[1], 3), roundTo(where.continuous[2], 3)],
    inside: where.inside,
  };
}

/** A brain lesion's location on the visit's 3D FLAIR, which the head's motion moves as it moves the 2D brain series. */
function volumeLocation(seed: string, participant: ParticipantDesign, study: StudyDesign, region: Region, patientMm: Vec3): { location3d: LesionLocation } | Record<string, never> {
  return region === 'brain' ? { location3d: lesionLocation(seed, participant, study, protocolFor('brain3d'), patientMm) } : {};
}

function studyLandmarks(participant: ParticipantDesign, model: SpineModel, study: ParticipantDesign['studies'][number]): StudyLandmarks {
  const nerve = (side: 'right' | 'left') => {
    const [globe, apex, chiasm] = nervePath(participant.head, side).map((point) => roundPoint(applyMotion(study.headMotion, point), 3));
    return { globe: globe!, apex: apex!, chiasm: chiasm! };
  };
  return {
    vertebralBodies: LEVELS.map((level, index) => ({ level, patientMm: roundPoint(applyMotion(study.spineMotion, vertebralBodyCentre(model, index)), 3) })),
    opticNerves: { right: nerve('right'), left: nerve('left') },
  };
}

/** A cord or optic lesion's two ends at a visit, in that study's patient coordinates. */
function lesionEnds(participant: ParticipantDesign, model: SpineModel, study: ParticipantDesign['studies'][number], shape: LesionShape): { endsMm?: [Vec3, Vec3] } {
  if (shape.kind === 'cord') return { endsMm: [roundPoint(applyMotion(study.spineMotion, cordPoint(model, shape.uTop)), 3), roundPoint(applyMotion(study.spineMotion, cordPoint(model, shape.uBottom)), 3)] };
  if (shape.kind === 'optic') {
    const at = (t: number) => roundPoint(applyMotion(study.headMotion, nervePoint(participant.head, shape.side, t)), 3);
    return { endsMm: [at(shape.t0), at(shape.t1)] };
  }
  return {};
}

/** The truth of every participant of a set, designed again from its seed and difficulty exactly as generateTrial writes it. */
export function participantTruths(seed: string, difficulty: Difficulty, participants: number): ParticipantTruth[] {
  const designSeed = designSeedOf(seed, difficulty);
  return Array.from({ length: participants }, (_, index) => participantTruth(designSeed, designParticipant(designSeed, index, difficulty)));
}

/** Assembles the whole truth file from participants' truths (in subject order). */
export function trialTruth(seed: string, participants: ParticipantTruth[], rules: CharterRules = DEFAULT_CHARTER_RULES): TrialTruth {
  const totals = Object.fromEntries(
    COMPARATORS.map((comparator) => {
      const rows = new Map<string, CountRow<Region>>();
      for (const participant of participants) {
        for (const row of participant.counts[comparator]) {
          const key = `${row.visit}|${row.region}`;
          const sum = rows.get(key) ?? { ...row, new: 0, enlarging: 0, newOrEnlarging: 0 };
          sum.new += row.new;
          sum.enlarging += row.enlarging;
          sum.newOrEnlarging += row.newOrEnlarging;
          rows.set(key, sum);
        }
      }
      return [comparator, [...rows.values()]];
    }),
  ) as Record<Comparator, CountRow<Region>[]>;
  return {
    schema: TRUTH_SCHEMA,
    version: TRUTH_VERSION,
    generator: 'lesiontrack demo',
    seed,
    subjects: participants.length,
    charter: rules,
    visits: VISITS.map((visit) => ({ code: visit.code, week: visit.week })),
    regions: REGIONS,
    coordinates:
      'All positions are DICOM patient coordinates (LPS, mm). centreMm is in the participant\'s anatomy frame (head and body at rest); location.patientMm is the same point in that study\'s scanner frame, after the visit\'s head or body position (headMotion/spineMotion: rotation in degrees about x, y, z applied as Rz*Ry*Rx about centreMm, then translation). sliceIndex counts slices sorted by position along the slice normal; column and row are pixel indices. Brain lesions also have location3d: the same point on the visit\'s sagittal 3D FLAIR.',
    participants,
    totals: {
      endpoint: { previous: sum(participants.map((p) => p.endpoint.previous)), baseline: sum(participants.map((p) => p.endpoint.baseline)) },
      byVisitAndRegion: totals,
    },
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}


