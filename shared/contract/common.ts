// What every area of the contract shares, each declared once: database ids,
// visit codes, dates, points in patient space, and the enums of the domain
// (region, sequence, orientation, side, reader role, lesion and read status,
// comparator, enlarging rule, vertebral level, finding). The SQL CHECK lists of the store
// are tested equal to these (test/main/store/check-lists.test.ts), and the
// pure rules of shared/ (protocol.ts, counting.ts) take their types and value
// lists from here, so that imports go one way: this module imports nothing
// of the app but the words of refusals.
import { z } from 'zod';
import { issueWords } from '../issue-words';

// Every refusal speaks in words about its field, never in schema text. Set
// here, in the module every schema of the contract is built on, so that it
// is in force before any schema is used.
z.config({ customError: issueWords });

export const databaseId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const noPayload = z.strictObject({});
export const finite = z.number().finite();
/** A point in patient coordinates (mm). */
export const Point3 = z.tuple([finite, finite, finite]);
/** A calendar date that exists (2023-02-29 does not), as YYYY-MM-DD. */
export const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
/** Why a change was made, for the audit trail; optional where the change can speak for itself. */
export const optionalReason = z.string().trim().max(500).optional();
/** A trial setting changes only with a reason. */
export const requiredReason = z.string().trim().min(1, 'give a reason: it goes into the audit trail').max(500);
/** A visit as reads and lesions name it: a code of the schedule (W12) or an unscheduled visit (UNS-20240115). */
export const visitCode = z.string().regex(/^[A-Z0-9-]{1,16}$/, 'must be a visit code such as W12 or UNS-20240115');

export const RegionSchema = z.enum(['brain', 'spinal_cord', 'optic_nerve']);
export type Region = z.infer<typeof RegionSchema>;

export const SequenceSchema = z.enum(['FLAIR', 'T2', 'STIR', 'T1', 'other']);
export type Sequence = z.infer<typeof SequenceSchema>;

/** The plane a series' slices lie in. */
export const OrientationSchema = z.enum(['axial', 'sagittal', 'coronal', 'oblique']);
export type Orientation = z.infer<typeof OrientationSchema>;

/** Optic nerve lesions: which nerve, or the chiasm. */
export const SideSchema = z.enum(['left', 'right', 'chiasm']);
export type Side = z.infer<typeof SideSchema>;

export const ReaderRoleSchema = z.enum(['reader', 'adjudicator', 'data_manager']);

/**
 * Whose reading a lesion or signature belongs to. A single-read trial has one
 * track per participant (single); a double-read trial has each reader's own
 * independent track (reader1, reader2) and the final one adjudication fills.
 */
export const TrackSchema = z.enum(['single', 'reader1', 'reader2', 'final']);
export type Track = z.infer<typeof TrackSchema>;
export type ReaderRole = z.infer<typeof ReaderRoleSchema>;

export const LesionStatusSchema = z.enum(['new', 'enlarging', 'stable', 'shrinking', 'resolved', 'not_evaluable', 'merged']);
export type LesionStatus = z.infer<typeof LesionStatusSchema>;

/** A read (participant x visit x region) on its way to a signature, and after. */
export const ReadStatusSchema = z.enum(['not_started', 'in_progress', 'signed', 'unlocked', 'amended']);
export type ReadStatus = z.infer<typeof ReadStatusSchema>;

/** What stands between a read and its signature (main/reads/signoff.ts says each in words). */
/** What stands before a read's signature; in a double read, for a data manager or adjudicator, what its final value waits for. */
export const ReadProblemKindSchema = z.enum(['no_images', 'comparator_unsigned', 'unassessed', 'awaiting_readers', 'awaiting_adjudication']);
export type ReadProblemKind = z.infer<typeof ReadProblemKindSchema>;

/** Where a read stands on the worklist, derived from its status, readiness and images (shared/read-state.ts), in the worklist's order. */
export const ReadStateSchema = z.enum(['missing', 'not_started', 'in_progress', 'needs_decision', 'awaiting_signature', 'signed']);
export type ReadState = z.infer<typeof ReadStateSchema>;

/** The visit a follow-up is compared with: the previous scan read, or the baseline. */
export const ComparatorSchema = z.enum(['previous', 'baseline']);
export type Comparator = z.infer<typeof ComparatorSchema>;

/** Enlarging: the relative AND the absolute growth ('both'), or one of them ('either'). */
export const EnlargingRuleSchema = z.enum(['both', 'either']);
export type EnlargingRule = z.infer<typeof EnlargingRuleSchema>;

/** Vertebral levels a spinal cord lesion is recorded against, top to bottom. */
export const VertebralLevelSchema = z.enum([
  ...Array.from({ length: 7 }, (_, index) => `C${index + 1}`),
  ...Array.from({ length: 12 }, (_, index) => `T${index + 1}`),
  'L1',
] as const);
export type VertebralLevel = z.infer<typeof VertebralLevelSchema>;

/** What a reader records for one lesion at one visit. */
export const FindingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('measured'), longestDiameterMm: z.number().positive().max(500) }),
  z.strictObject({ kind: z.literal('resolved') }),
  z.strictObject({ kind: z.literal('not_evaluable') }),
  /** Absorbed into another lesion at this visit (confluence). */
  z.strictObject({ kind: z.literal('merged'), intoLesionId: databaseId }),
]);
export type FindingInput = z.infer<typeof FindingSchema>;
