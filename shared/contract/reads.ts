// The reads area of the contract: reader profiles and sessions, the
// signature of a read (participant x visit x region) and what stands before
// it, and the audit trail.
import { z } from 'zod';
import { databaseId, isoDate, noPayload, ReadProblemKindSchema, ReaderRoleSchema, RegionSchema, TrackSchema, visitCode } from './common';

export const ReaderView = z.strictObject({ id: databaseId, name: z.string(), role: ReaderRoleSchema });
export type ReaderView = z.infer<typeof ReaderView>;

/** A read: one participant's region at one visit. */
export const ReadKey = z.strictObject({ participantId: databaseId, visitCode, region: RegionSchema });
export type ReadKey = z.infer<typeof ReadKey>;

export const SignatureView = z.strictObject({
  id: databaseId,
  participantId: databaseId,
  track: TrackSchema,
  visitCode: z.string(),
  region: RegionSchema,
  reader: z.string(),
  meaning: z.string(),
  charterId: z.string(),
  contentSha256: z.string(),
  /** Exactly what was signed. */
  content: z.unknown(),
  signedAt: z.string(),
  supersededAt: z.string().nullable(),
  supersededReason: z.string().nullable(),
});
export type SignatureView = z.infer<typeof SignatureView>;

/** Whether a read can be signed now, and if not, what to do first: each problem in words, with the lesion to go to where there is one. */
export const ReadReadiness = z.strictObject({
  ready: z.boolean(),
  /** The read as a person names it: "001 W12 brain". */
  read: z.string(),
  problems: z.array(z.strictObject({ kind: ReadProblemKindSchema, lesionId: databaseId.nullable(), message: z.string() })),
});
export type ReadReadiness = z.infer<typeof ReadReadiness>;

export const AuditEntryView = z.strictObject({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  reason: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
export const AuditTrail = z.strictObject({
  entries: z.array(AuditEntryView),
  /** Everyone who appears in the trail, for the filter. */
  actors: z.array(z.string()),
  /** The hash chain checked end to end, as `lesiontrack audit verify` does. */
  chain: z.strictObject({ ok: z.boolean(), entries: z.number().int().nonnegative(), firstBrokenSeq: z.number().int().nullable(), problem: z.string().nullable() }),
});
export type AuditTrail = z.infer<typeof AuditTrail>;

/** Where a participant's double read stands, as adjudicators and data managers see it. */
export const AdjudicationStateSchema = z.enum(['single_read', 'reading', 'agreed', 'needs_adjudication', 'adjudicated']);

const count = z.number().int().nonnegative();
const Read = z.strictObject({ visitCode: z.string(), region: RegionSchema });

/** An adjudicator's call on a read the readers differ on: reader 1's count, reader 2's, or their own. */
export const AdjudicationCallSchema = z.discriminatedUnion('choice', [
  z.strictObject({ choice: z.literal('reader1') }),
  z.strictObject({ choice: z.literal('reader2') }),
  z.strictObject({ choice: z.literal('adjudicator'), new: count, enlarging: count }),
]);
export type AdjudicationCall = z.infer<typeof AdjudicationCallSchema>;

/** A call as signed: the choice, the counts it makes final, why, and who signed it when. */
export const SignedCall = z.strictObject({
  choice: z.enum(['reader1', 'reader2', 'adjudicator']),
  new: count,
  enlarging: count,
  newOrEnlarging: count,
  reason: z.string(),
  adjudicator: z.string(),
  signedAt: z.string(),
});
export type SignedCall = z.infer<typeof SignedCall>;

export const ParticipantAdjudication = z.strictObject({
  participantId: databaseId,
  subjectCode: z.string(),
  state: AdjudicationStateSchema,
  /** Each reader track: who took it and how many of its reads are signed (progress, never content). */
  tracks: z.array(z.strictObject({ track: TrackSchema, reader: z.string().nullable(), signedReads: z.number().int().nonnegative(), reads: z.number().int().nonnegative() })),
  /** The reads the readers differ on, with their lesions paired by position: for the adjudicator once both tracks are signed, for a data manager once the values are final. */
  disagreements: z
    .array(
      Read.extend({
        reader1: count,
        reader2: count,
        pairs: z.array(z.strictObject({ first: z.string(), second: z.string(), distanceMm: z.number() })),
        onlyFirst: z.array(z.string()),
        onlySecond: z.array(z.string()),
        why: z.string(),
        /** The adjudicator's signed call on this read, once made. */
        call: SignedCall.nullable(),
      }),
    )
    .nullable(),
  /** The final count of each read where the readers agreed under the rule; null until then, and where the adjudicator decides. */
  agreedCounts: z.array(Read.extend({ new: count, enlarging: count, newOrEnlarging: count })).nullable(),
  /** The distance within which two readers' marks are the same lesion (mm). */
  toleranceMm: z.number(),
});
export type ParticipantAdjudication = z.infer<typeof ParticipantAdjudication>;

/** A statistic with its 95% confidence interval and the number of cases behind it (shared/agreement.ts). */
export const EstimateSchema = z.strictObject({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  n: z.number().int().nonnegative(),
  note: z.string().optional(),
});

/** How far the two independent readers of a double-read trial agree, per region and overall, over the participants both have signed. */
export const AgreementReport = z.strictObject({
  /** Participants whose two tracks are signed: the figures rest on them. */
  participants: z.number().int().nonnegative(),
  regions: z.array(
    z.strictObject({
      region: z.union([RegionSchema, z.literal('all')]),
      /** New-or-enlarging counts per participant x visit (the endpoint's visits). */
      icc: EstimateSchema,
      /** "Active" (any new or enlarging lesion) per participant x visit x region. */
      kappa: EstimateSchema,
      /** Counted lesions paired by position between the readers. */
      lesionF1: EstimateSchema,
    }),
  ),
  adjudicationRate: EstimateSchema,
  /** Per reader: of the adjudicated reads they differed on, the share the adjudicator decided against them. */
  readers: z.array(z.strictObject({ reader: z.string(), decidedAgainst: EstimateSchema })),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

/** A secret as it is given: checked against the stored hash, so no rule but a length limit. */
const givenSecret = z.string().max(256);

export const readRequests = {
  listReaders: {
    request: noPayload,
    /** locked: the current reader was idle past the limit; changes wait for their secret. */
    response: z.strictObject({ readers: z.array(ReaderView), current: ReaderView.nullable(), locked: z.boolean() }),
  },
  createReader: { changes: true,
    request: z.strictObject({ name: z.string().trim().min(1).max(80), role: ReaderRoleSchema, secret: z.string().min(8, 'at least 8 characters').max(256) }),
    response: ReaderView,
  },
  chooseReader: { request: z.strictObject({ readerId: databaseId, secret: givenSecret }), response: ReaderView },
  signRead: { changes: true, request: ReadKey.extend({ secret: givenSecret }), response: SignatureView },
  unlockRead: { changes: true, request: ReadKey.extend({ secret: givenSecret, reason: z.string().trim().min(1).max(500) }), response: SignatureView },
  /** track: a look at a reader's track, as listLesions allows it; without it, the track this session reads. */
  signatures: { request: ReadKey.extend({ track: TrackSchema.optional() }), response: z.array(SignatureView) },
  readReadiness: { request: ReadKey, response: ReadReadiness },
  agreement: { request: noPayload, response: AgreementReport },
  /** Each participant's double read: its state, and what the readers differ on. Not for readers, who must not learn of the other read. */
  adjudication: { request: z.strictObject({ participantId: databaseId.optional() }), response: z.array(ParticipantAdjudication) },
  /** The adjudicator's signed call on a read the two readers differ on, with a reason: it makes that read's count final. */
  adjudicate: { changes: true,
    request: ReadKey.extend({ call: AdjudicationCallSchema, reason: z.string().trim().min(1, 'give a reason: it is signed with the call').max(500), secret: givenSecret }),
    response: SignatureView,
  },
  auditTrail: {
    request: z.strictObject({
      participantId: databaseId.optional(),
      actor: z.string().max(200).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }),
    response: AuditTrail,
  },
} as const;
