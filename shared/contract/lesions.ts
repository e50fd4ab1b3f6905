// The lesions area of the contract: lesions with one identity across visits,
// their observations, the statuses and counts derived from them, and the
// alignment of a comparator series to the current one.
import { z } from 'zod';
import {
  databaseId,
  FindingSchema,
  LesionStatusSchema,
  optionalReason,
  Point3,
  RegionSchema,
  SideSchema,
  TrackSchema,
  VertebralLevelSchema,
  visitCode,
} from './common';
import { ReadReadiness } from './reads';
import { CharterSchema } from './settings';

/** Where a lesion was marked: the image the reader looked at. */
const ImageRef = z.strictObject({ seriesId: databaseId, instanceId: databaseId, frame: z.number().int().positive() });
/** The clicked centre and the ends of the longest diameter, in patient coordinates (mm). */
const Marks = z.strictObject({ centre: Point3, diameter: z.tuple([Point3, Point3]).optional() });
/** Optic nerve lesions: extent along the nerve. */
const OpticExtent = z.strictObject({ beyondHalfLength: z.boolean(), involvesChiasm: z.boolean() });
const CordLevels = z.strictObject({ upper: VertebralLevelSchema, lower: VertebralLevelSchema });
/** Two points clicked on the image: a cord lesion's upper and lower end, or an optic lesion's start and end along the nerve (patient mm). */
const LesionEnds = z.tuple([Point3, Point3]);

/**
 * A cord or optic lesion's extent as measured on the image: the clicked ends,
 * what main computed from them with the series' vertebral ruler or the
 * nerve's trace, and whether the recorded levels (or flags) are these or the
 * reader's typed override. A cord lesion's levels typed without ends are
 * recorded here too (source "typed", nothing measured), for their reason.
 */
export const MeasuredExtent = z.strictObject({
  ends: LesionEnds.nullable(),
  /** Cord: the ruler the levels came from, and the length along the cord (mm). */
  rulerId: databaseId.nullable(),
  lengthMm: z.number().nullable(),
  measuredLevels: z.strictObject({ upper: z.string(), lower: z.string() }).nullable(),
  /** Optic: the trace, the fraction of the nerve's length covered, and the flags that follow. */
  traceId: databaseId.nullable(),
  fractionOfNerve: z.number().nullable(),
  measuredOptic: OpticExtent.nullable(),
  /** image: the recorded levels or flags are the measured ones; override: the reader's, for the reason given; typed: the reader's levels, no ends clicked, for the reason given. */
  source: z.enum(['image', 'override', 'typed']),
  overrideReason: z.string().nullable(),
});
export type MeasuredExtent = z.infer<typeof MeasuredExtent>;

const ObservationFields = {
  visitCode,
  finding: FindingSchema,
  image: ImageRef.optional(),
  marks: Marks.optional(),
  /** Spinal cord lesions: the vertebral levels of the upper and lower end, typed (from the list); with `ends`, an override of the measured ones. */
  levels: CordLevels.optional(),
  opticExtent: OpticExtent.optional(),
  /** Cord: the lesion's upper and lower ends, clicked on `image`'s series, whose vertebral ruler gives the levels. Optic: its stretch along the nerve's trace. */
  ends: LesionEnds.optional(),
  /** Why typed levels (or optic flags) override what the ends measure, or why a cord lesion's levels are typed with no ends clicked: required then, and audited. */
  extentReason: optionalReason,
};
/** What a reader records for a lesion at a visit. */
export const ObservationInput = z.strictObject(ObservationFields);
export type ObservationInput = z.infer<typeof ObservationInput>;

export const ObservationView = z.strictObject({
  visitCode: z.string(),
  finding: FindingSchema,
  image: ImageRef.nullable(),
  marks: Marks.nullable(),
  levels: z.strictObject({ upper: z.string(), lower: z.string(), segments: z.number().int().nullable(), longitudinallyExtensive: z.boolean() }).nullable(),
  opticExtent: OpticExtent.nullable(),
  /** Where the extent was measured on the image; null when the levels or flags were only typed. */
  extent: MeasuredExtent.nullable(),
  suggestion: z.strictObject({ status: LesionStatusSchema, counted: z.boolean(), comparatorVisit: z.string().nullable(), why: z.string() }).nullable(),
  override: z.strictObject({ status: LesionStatusSchema, reason: z.string() }).nullable(),
  finalStatus: LesionStatusSchema.nullable(),
  counted: z.boolean(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type ObservationView = z.infer<typeof ObservationView>;

const LesionLink = z.strictObject({ lesionId: databaseId, label: z.string(), atVisit: z.string() });

export const LesionView = z.strictObject({
  id: databaseId,
  participantId: databaseId,
  label: z.string(),
  /** DICOM SR Tracking Unique Identifier: the same for this lesion at every visit and in every export. */
  trackingUid: z.string(),
  /** Whose reading this lesion belongs to: one reader's B1 is not the other's. */
  track: TrackSchema,
  region: RegionSchema,
  side: SideSchema.nullable(),
  splitFrom: LesionLink.nullable(),
  mergedFrom: z.array(LesionLink),
  observations: z.array(ObservationView),
});
export type LesionView = z.infer<typeof LesionView>;

export const CountCell = z.strictObject({
  visitCode: z.string(),
  region: RegionSchema,
  new: z.number().int().nonnegative(),
  enlarging: z.number().int().nonnegative(),
  newOrEnlarging: z.number().int().nonnegative(),
  comparatorVisit: z.string().nullable(),
});
export type CountCell = z.infer<typeof CountCell>;
export const CountsReport = z.strictObject({
  charter: CharterSchema,
  participants: z.array(z.strictObject({ participantId: databaseId, subjectCode: z.string(), cells: z.array(CountCell), endpointTotal: z.number().int().nonnegative() })),
  trialTotal: z.number().int().nonnegative(),
});
export type CountsReport = z.infer<typeof CountsReport>;

/** A rigid transform: rotation (degrees about x, y, z) about a centre, then a translation. */
const within = (limit: number) => z.number().min(-limit).max(limit);
export const TransformSchema = z.strictObject({
  rotationDeg: z.tuple([within(45), within(45), within(45)]),
  translationMm: z.tuple([within(500), within(500), within(500)]),
  centreMm: z.tuple([within(5000), within(5000), within(5000)]),
});
export type Transform = z.infer<typeof TransformSchema>;

/** Found from the images, or set by a reader. */
export const AlignmentSourceSchema = z.enum(['automatic', 'manual']);

/** How the comparator series lines up with the current one: comparator(T(p)) shows current(p). */
export const Alignment = z.strictObject({
  currentSeriesId: databaseId,
  comparatorSeriesId: databaseId,
  transform: TransformSchema,
  source: AlignmentSourceSchema,
  /** Image similarity at the result (-1 to 1) for an automatic alignment. */
  score: z.number().nullable(),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type Alignment = z.infer<typeof Alignment>;

/** The nerves a reader traces: one per side (the chiasm is where both end). */
export const TracedSideSchema = SideSchema.exclude(['chiasm']);

/** A vertebral body the reader clicked on a sagittal cord series, with its label. */
export const RulerAnchor = z.strictObject({ level: VertebralLevelSchema, point: Point3 });
/** The vertebral ruler of one series in one track: the anchors every cord level of that series is placed from. */
export const VertebralRuler = z.strictObject({
  id: databaseId,
  participantId: databaseId,
  seriesId: databaseId,
  track: TrackSchema,
  anchors: z.array(RulerAnchor),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type VertebralRuler = z.infer<typeof VertebralRuler>;
/** The optic nerve of one side traced at one visit, in one track: globe to chiasm, in patient mm. */
export const NerveTrace = z.strictObject({
  id: databaseId,
  participantId: databaseId,
  visitCode: z.string(),
  side: TracedSideSchema,
  seriesId: databaseId,
  track: TrackSchema,
  points: z.array(Point3),
  lengthMm: z.number(),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type NerveTrace = z.infer<typeof NerveTrace>;

/** An ordered pair of series: the current one and its comparator. */
export const SeriesPair = z.strictObject({ currentSeriesId: databaseId, comparatorSeriesId: databaseId });
export type SeriesPair = z.infer<typeof SeriesPair>;

/**
 * What a change to a lesion answers with: the lesion, and everything the
 * reading room redraws from after it (every lesion of the participant, as a
 * merge or split changes others too; the participant's counts; the changed
 * read's readiness to be signed), so that one request is enough.
 */
export const LesionChange = z.strictObject({ lesion: LesionView, lesions: z.array(LesionView), counts: CountsReport, readiness: ReadReadiness });
export type LesionChange = z.infer<typeof LesionChange>;

export const lesionRequests = {
  /** track: an adjudicator's look at a reader's track (once both are signed); without it, the track this session reads. */
  listLesions: { request: z.strictObject({ participantId: databaseId, track: TrackSchema.optional() }), response: z.array(LesionView) },
  createLesion: { changes: true,
    request: z.strictObject({
      participantId: databaseId,
      region: RegionSchema,
      side: SideSchema.optional(),
      /** Recorded as split from this lesion at the observation's visit. */
      splitFromLesionId: databaseId.optional(),
      observation: ObservationInput,
    }),
    response: LesionChange,
  },
  recordObservation: { changes: true, request: z.strictObject({ lesionId: databaseId, ...ObservationFields, reason: optionalReason }), response: LesionChange },
  overrideStatus: { changes: true,
    request: z
      .strictObject({ lesionId: databaseId, visitCode, status: LesionStatusSchema.nullable(), reason: optionalReason })
      .refine((request) => request.status === null || (request.reason ?? '').length > 0, { message: 'An override needs a reason: it goes into the audit trail.', path: ['reason'] }),
    response: LesionChange,
  },
  counts: { request: z.strictObject({ participantId: databaseId.optional(), track: TrackSchema.optional() }), response: CountsReport },
  /** The vertebral ruler of a series in this session's track, null before one is set. */
  vertebralRuler: { request: z.strictObject({ seriesId: databaseId }), response: VertebralRuler.nullable() },
  /** Sets or changes it; unsigned observations measured with it are measured again, signed ones stay as recorded. */
  saveVertebralRuler: { changes: true,
    request: z.strictObject({ seriesId: databaseId, anchors: z.array(RulerAnchor).min(2).max(20), reason: optionalReason }),
    response: z.strictObject({ ruler: VertebralRuler, remeasured: z.number().int().nonnegative(), keptSigned: z.number().int().nonnegative() }),
  },
  /** The optic nerve traces of a participant at a visit in this session's track. */
  nerveTraces: { request: z.strictObject({ participantId: databaseId, visitCode }), response: z.array(NerveTrace) },
  saveNerveTrace: { changes: true,
    request: z.strictObject({ participantId: databaseId, visitCode, side: TracedSideSchema, seriesId: databaseId, points: z.array(Point3).min(2).max(64), reason: optionalReason }),
    response: z.strictObject({ trace: NerveTrace, remeasured: z.number().int().nonnegative(), keptSigned: z.number().int().nonnegative() }),
  },
  alignment: { request: SeriesPair, response: Alignment.nullable() },
  saveAlignment: { changes: true, request: SeriesPair.extend({ transform: TransformSchema }), response: Alignment },
  autoAlign: { request: SeriesPair, response: Alignment },
} as const;
