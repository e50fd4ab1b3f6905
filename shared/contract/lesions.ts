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

const ObservationFields = {
  visitCode,
  finding: FindingSchema,
  image: ImageRef.optional(),
  marks: Marks.optional(),
  /** Spinal cord lesions: the vertebral levels of the upper and lower end. */
  levels: z.strictObject({ upper: VertebralLevelSchema, lower: VertebralLevelSchema }).optional(),
  opticExtent: OpticExtent.optional(),
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
  alignment: { request: SeriesPair, response: Alignment.nullable() },
  saveAlignment: { changes: true, request: SeriesPair.extend({ transform: TransformSchema }), response: Alignment },
  autoAlign: { request: SeriesPair, response: Alignment },
} as const;
