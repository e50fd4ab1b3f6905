// The trial area of the contract: participants and their DICOM patients, the
// visit schedule and classification rules, where each study and series
// belongs, the worklist of reads, the imaging charter and the reader-session
// settings.
import { z } from 'zod';
import { scheduleProblems } from '../validation';
import { databaseId, isoDate, noPayload, optionalReason, OrientationSchema, requiredReason, ReadStateSchema, ReadStatusSchema, RegionSchema, SequenceSchema, TrackSchema, visitCode } from './common';
import { EstimateSchema } from './reads';
import { CharterSchema, ClassificationRulesSchema, DefaultLayoutsSchema, HangingLayoutSchema, QualificationRuleSchema, QualificationSetSchema, ReadingDesignSchema, SessionSettingsSchema, VisitScheduleSchema } from './settings';

const count = z.number().int().nonnegative();
/** One region's score, or all regions' (shared/qualification-score.ts). */
const RegionScoreSchema = z.strictObject({
  sensitivity: EstimateSchema,
  truthLesions: count,
  found: count,
  falsePositives: count,
  scans: count,
  falsePositivesPerScan: EstimateSchema,
  statusAccuracy: EstimateSchema,
  countExactMatch: EstimateSchema,
  countMeanAbsoluteDifference: z.strictObject({ value: z.number().nullable(), n: count }),
});
/** A qualification read scored against the set's truth, with the rule it is judged by. */
export const QualificationScoreSchema = z.strictObject({
  rule: QualificationRuleSchema,
  overall: RegionScoreSchema,
  byRegion: z.strictObject({ brain: RegionScoreSchema, spinal_cord: RegionScoreSchema, optic_nerve: RegionScoreSchema }),
  endpoints: z.array(z.strictObject({ subject: z.string(), truth: count, reader: count, difference: z.number().int() })),
  outcomes: z.array(
    z.strictObject({ subject: z.string(), region: RegionSchema, visitCode: z.string(), truthLesionId: z.string(), readerLesionId: z.string().nullable(), distanceMm: z.number().nullable() }),
  ),
  falseMarks: z.array(z.strictObject({ subject: z.string(), region: RegionSchema, visitCode: z.string(), readerLesionId: z.string() })),
  passed: z.boolean(),
  verdict: z.array(z.string()),
});

const subjectCode = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, - and _');

/** A schedule a trial can run on: the rules of shared/validation.ts on top of the shape. */
const ScheduleToSave = VisitScheduleSchema.superRefine((schedule, context) => {
  for (const message of scheduleProblems(schedule)) context.addIssue({ code: 'custom', message, path: ['visits'] });
});

export const Participant = z.strictObject({ id: databaseId, subjectCode: z.string(), baselineDate: z.string() });
export type Participant = z.infer<typeof Participant>;

export const DicomPatient = z.strictObject({
  id: databaseId,
  patientId: z.string(),
  studyCount: z.number().int().nonnegative(),
  participantId: databaseId.nullable(),
});
export type DicomPatient = z.infer<typeof DicomPatient>;

export const TrialSetup = z.strictObject({
  participants: z.array(Participant),
  patients: z.array(DicomPatient),
  schedule: VisitScheduleSchema,
  rules: ClassificationRulesSchema,
});
export type TrialSetup = z.infer<typeof TrialSetup>;

/** How an assignment came about: a rule's suggestion, or a reader's confirmation or override. */
export const AssignmentSource = z.enum(['suggested', 'confirmed', 'overridden', 'none']);
export type AssignmentSource = z.infer<typeof AssignmentSource>;

export const SeriesAssignment = z.strictObject({
  seriesId: databaseId,
  description: z.string(),
  seriesNumber: z.number().int().nullable(),
  modality: z.string(),
  orientation: OrientationSchema.nullable(),
  sliceCount: z.number().int().nonnegative(),
  region: RegionSchema.nullable(),
  sequence: SequenceSchema,
  source: AssignmentSource,
  /** The rule that suggested it, or why nothing was suggested. */
  note: z.string(),
  needsReview: z.boolean(),
});
export type SeriesAssignment = z.infer<typeof SeriesAssignment>;

export const StudyAssignment = z.strictObject({
  studyId: databaseId,
  studyDate: z.string(),
  description: z.string(),
  patientId: z.string(),
  participantId: databaseId.nullable(),
  subjectCode: z.string().nullable(),
  visitCode: z.string().nullable(),
  visitSource: AssignmentSource,
  visitNote: z.string(),
  needsReview: z.boolean(),
  series: z.array(SeriesAssignment),
});
export type StudyAssignment = z.infer<typeof StudyAssignment>;

export const WorklistCell = z.strictObject({
  visitCode: z.string(),
  region: RegionSchema,
  status: z.enum(['present', 'missing', 'review']),
  readStatus: ReadStatusSchema,
  readState: ReadStateSchema,
  /** Who last recorded an observation in this read, signed or unlocked it; null until someone did. */
  reader: z.string().nullable(),
  /** When that was (ISO, UTC). */
  changedAt: z.string().nullable(),
  /** New-or-enlarging lesions counted at this visit in this region; null where nothing is counted (no images there). */
  newOrEnlarging: z.number().int().nonnegative().nullable(),
  /** What stands before a signature, in words (as readReadiness says it); empty for a signed read. */
  problems: z.array(z.string()),
  /**
   * A double read as a data manager or adjudicator follows it: each reader track's reader and whether it has
   * signed this read (progress, never content). Null in a single-read trial, and for a reader, who is not told
   * of the other read.
   */
  tracks: z.array(z.strictObject({ track: TrackSchema, reader: z.string().nullable(), signed: z.boolean() })).nullable(),
  series: z.array(z.strictObject({ seriesId: databaseId, description: z.string(), sequence: SequenceSchema, source: AssignmentSource })),
});
export type WorklistCell = z.infer<typeof WorklistCell>;
export const Worklist = z.strictObject({
  visits: z.array(z.strictObject({ code: z.string(), label: z.string() })),
  rows: z.array(z.strictObject({ participantId: databaseId, subjectCode: z.string(), cells: z.array(WorklistCell) })),
  /** Studies and series that need a reader's decision before they can be read. */
  review: z.array(z.strictObject({ studyId: databaseId, seriesId: databaseId.nullable(), what: z.string() })),
  /** For a blinded reader: every read with images, in the seeded random order "Next read" follows (main/reads/blinding.ts); null otherwise. */
  readOrder: z.array(z.strictObject({ participantId: databaseId, visitCode: z.string(), region: RegionSchema })).nullable(),
});
export type Worklist = z.infer<typeof Worklist>;

export const trialRequests = {
  trialSetup: { request: noPayload, response: TrialSetup },
  saveParticipant: { changes: true,
    request: z.strictObject({ id: databaseId.optional(), subjectCode, baselineDate: isoDate }),
    response: Participant,
  },
  linkPatient: { changes: true,
    request: z.strictObject({ patientRef: databaseId, participantId: databaseId.nullable() }),
    response: DicomPatient,
  },
  saveProtocol: { changes: true,
    request: z.strictObject({ schedule: ScheduleToSave, rules: ClassificationRulesSchema, reason: optionalReason }),
    response: TrialSetup,
  },
  listAssignments: { request: noPayload, response: z.array(StudyAssignment) },
  assignStudy: { changes: true,
    /** visitCode null excludes the study from reading. */
    request: z.strictObject({ studyId: databaseId, visitCode: visitCode.nullable(), reason: optionalReason }),
    response: StudyAssignment,
  },
  assignSeries: { changes: true,
    /** region null says "not a reading series". */
    request: z.strictObject({ seriesId: databaseId, region: RegionSchema.nullable(), sequence: SequenceSchema, reason: optionalReason }),
    response: StudyAssignment,
  },
  worklist: { request: noPayload, response: Worklist },
  charter: { request: noPayload, response: CharterSchema },
  saveCharter: { changes: true, request: z.strictObject({ charter: CharterSchema, reason: optionalReason }), response: CharterSchema },
  readingDesign: { request: noPayload, response: ReadingDesignSchema },
  /** Changed like the charter: with a reason, never while a read is signed or lesions are recorded in tracks the new design has not. */
  saveReadingDesign: { changes: true, request: z.strictObject({ design: ReadingDesignSchema, reason: requiredReason }), response: ReadingDesignSchema },
  sessionSettings: { request: noPayload, response: SessionSettingsSchema },
  saveSessionSettings: { changes: true,
    request: z.strictObject({ settings: SessionSettingsSchema, reason: requiredReason }),
    response: SessionSettingsSchema,
  },
  /** What a reader must reach on a qualification set, set with the charter. */
  qualificationRule: { request: noPayload, response: QualificationRuleSchema },
  saveQualificationRule: { changes: true,
    request: z.strictObject({ rule: QualificationRuleSchema, reason: requiredReason }),
    response: QualificationRuleSchema,
  },
  /** The qualification set this store holds; null in a trial's store. */
  qualificationSet: { request: noPayload, response: QualificationSetSchema.nullable() },
  /** Makes an empty store the qualification set's (main/qualification/sets.ts); the same set again changes nothing. */
  recordQualificationSet: { changes: true, request: z.strictObject({ set: QualificationSetSchema }), response: QualificationSetSchema },
  /** The store's read of its qualification set scored against the set's truth, designed again from its seed: for a data manager only, as it shows the truth. */
  qualificationScore: { request: noPayload, response: QualificationScoreSchema },
  defaultReadingLayouts: { request: noPayload, response: DefaultLayoutsSchema },
  saveDefaultReadingLayouts: { changes: true,
    request: z.strictObject({ layouts: DefaultLayoutsSchema, reason: requiredReason }),
    response: DefaultLayoutsSchema,
  },
  /** The chosen reader's layout for a region, else the trial's default for it. */
  readingLayout: { request: z.strictObject({ region: RegionSchema }), response: HangingLayoutSchema },
  /** Remembers the chosen reader's layout for a region. */
  saveReadingLayout: { changes: true, request: z.strictObject({ region: RegionSchema, layout: HangingLayoutSchema }), response: HangingLayoutSchema },
} as const;
