// The derived-images area of the contract: aligned subtractions of a current
// series and its comparator, computed in the background from the stored
// alignment, and the candidate new or enlarging lesions found in them, which
// a reader confirms (a lesion is recorded, as if drawn) or dismisses. A
// candidate is never a trial record by itself: counts, exports and
// agreement see only the lesions readers confirm.
import { z } from 'zod';
import { databaseId, Point3, RegionSchema, visitCode } from './common';
import { LesionChange } from './lesions';

/** A series pair as the derived requests name it (the same as the alignment's). */
const Pair = { currentSeriesId: databaseId, comparatorSeriesId: databaseId };

export const SubtractionView = z.strictObject({
  ...Pair,
  /** ready: images and candidates are there; pending: queued or being computed; failed: see message (the reader reads without it). */
  state: z.enum(['ready', 'pending', 'failed']),
  message: z.string().nullable(),
  /** Names the result in image URLs (shared/channels.ts derivedPath); null until ready. */
  resultId: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
  /** Slices of each derived image: the current series' images, in the same order. */
  slices: z.number().int().nonnegative(),
  /** Robust standard deviation of the difference, in the current image's units; null until ready. */
  noise: z.number().nullable(),
  /** When the alignment this result went through was saved; a newer alignment makes the result pending again. */
  alignmentSavedAt: z.string().nullable(),
});
export type SubtractionView = z.infer<typeof SubtractionView>;

export const CandidateStatus = z.enum(['unreviewed', 'confirmed', 'dismissed', 'marked']);

export const CandidateView = z.strictObject({
  /** Stable within one result; a dismissal outlives recomputation by place, not by id. */
  id: z.string().regex(/^[0-9a-f]{32}-\d{1,6}$/),
  /** new: no lesion of this track is there; enlarging: it overlaps lesionId. A suggestion: the charter's rules decide the status once confirmed. */
  kind: z.enum(['new', 'enlarging']),
  /** Centre of the change in the current series' patient coordinates (mm). */
  centre: Point3,
  /** Longest in-plane diameter on the slice where the change is largest, and its ends (patient coordinates). */
  diameterMm: z.number().nonnegative(),
  diameter: z.tuple([Point3, Point3]),
  volumeMm3: z.number().nonnegative(),
  /** Largest and mean increase, in the current image's units, and the largest in units of the local noise. */
  peakChange: z.number(),
  meanChange: z.number(),
  peakScore: z.number(),
  /** That slice: its index in the current series' images and the image itself. */
  sliceIndex: z.number().int().nonnegative(),
  image: z.strictObject({ seriesId: databaseId, instanceId: databaseId, frame: z.number().int().positive() }),
  /** The lesion an enlarging candidate overlaps, or the one a confirmation recorded or a reader already marked here. */
  lesionId: databaseId.nullable(),
  lesionLabel: z.string().nullable(),
  /** marked: the reader already recorded a lesion at this visit on this spot. */
  status: CandidateStatus,
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});
export type CandidateView = z.infer<typeof CandidateView>;

export const CandidateList = z.strictObject({
  subtraction: SubtractionView,
  /** In slice order. */
  candidates: z.array(CandidateView),
  unreviewed: z.number().int().nonnegative(),
});
export type CandidateList = z.infer<typeof CandidateList>;

const ReadPair = z.strictObject({ participantId: databaseId, visitCode, region: RegionSchema, ...Pair });

export const derivedRequests = {
  /** The subtraction of a pair, asked for at once if it is not there (so polling it until ready is how a reader waits). */
  subtraction: { request: z.strictObject(Pair), response: SubtractionView },
  /** The candidates of a read, for the track this session reads. */
  candidates: { request: ReadPair, response: CandidateList },
  /** confirm records the candidate as a lesion at the read's visit (a new lesion, or an observation of lesionId); dismiss sets it aside. Both are audited. */
  reviewCandidate: { changes: true,
    request: ReadPair.extend({ candidateId: z.string().max(64), decision: z.enum(['confirm', 'dismiss']), lesionId: databaseId.optional() }),
    response: z.strictObject({ candidates: CandidateList, change: LesionChange.nullable() }),
  },
} as const;
