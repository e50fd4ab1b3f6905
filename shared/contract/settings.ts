// The trial's settings as data, kept in the store's settings table: the
// visit schedule, the rules that classify series, the imaging charter and
// the reader-session limit. Shapes only: the rules a setting must keep
// beyond its shape (shared/validation.ts) are applied where a request saves
// it (trial.ts), so that protocol.ts, counting.ts and validation.ts can take
// their types from here without an import cycle.
import { z } from 'zod';
import { ComparatorSchema, EnlargingRuleSchema, OrientationSchema, type ReaderRole, RegionSchema, SequenceSchema } from './common';

export const ScheduledVisitSchema = z.strictObject({
  code: z.string().regex(/^[A-Z0-9]{1,8}$/, 'must be 1 to 8 capital letters or digits'),
  label: z.string().min(1).max(64),
  week: z.number().int().min(0).max(520),
  /** Counted in the endpoint (weeks 12, 24 and 52); baseline is the reference only. */
  inEndpoint: z.boolean(),
});
export type ScheduledVisit = z.infer<typeof ScheduledVisitSchema>;

export const VisitScheduleSchema = z.strictObject({
  visits: z.array(ScheduledVisitSchema).min(1).max(20).readonly(),
  /** A study within this many days of a scheduled visit is suggested for it. */
  toleranceDays: z.number().int().min(0).max(60),
});
export type VisitSchedule = z.infer<typeof VisitScheduleSchema>;

/** One editable rule: a pattern over the series' text fields, optionally tied to orientations. */
export const RegionRuleSchema = z.strictObject({
  id: z.string().min(1).max(32),
  region: RegionSchema,
  /** Case-insensitive regular expression tested on "description | protocol | body part". */
  pattern: z.string().min(1).max(300),
  orientations: z.array(OrientationSchema).readonly().optional(),
});
export type RegionRule = z.infer<typeof RegionRuleSchema>;

export const SequenceRuleSchema = z.strictObject({ sequence: SequenceSchema.exclude(['other']), pattern: z.string().min(1).max(300) });
export type SequenceRule = z.infer<typeof SequenceRuleSchema>;

export const ClassificationRulesSchema = z.strictObject({
  regions: z.array(RegionRuleSchema).max(50).readonly(),
  sequences: z.array(SequenceRuleSchema).max(50).readonly(),
  /** Series matching this are never reading series (localizers, scouts, derived maps). */
  ignorePattern: z.string().max(300),
});
export type ClassificationRules = z.infer<typeof ClassificationRulesSchema>;

/** The ranges the charter's numbers must keep: checked here, and said in words by the charter screen (shared/validation.ts). */
export const CHARTER_RANGES = {
  minimumSizeMm: { min: 0, max: 50 },
  enlargingRelative: { min: 0, max: 10 },
  enlargingAbsoluteMm: { min: 0, max: 50 },
} as const;
const inRange = (field: keyof typeof CHARTER_RANGES) => z.number().min(CHARTER_RANGES[field].min).max(CHARTER_RANGES[field].max);

/** The imaging charter: how statuses are derived. Thresholds are settings, never constants in code. */
export const CharterSchema = z.strictObject({
  /** Identifies this set of rules in every stored read and export. */
  id: z.string().min(1).max(64),
  comparator: ComparatorSchema,
  /** Lesions smaller than this (longest diameter, mm) are not counted as new. */
  minimumSizeMm: inRange('minimumSizeMm'),
  /** Enlarging: longest diameter grew by at least this fraction of the comparator's... */
  enlargingRelative: inRange('enlargingRelative'),
  /** ...and/or by at least this many millimetres. */
  enlargingAbsoluteMm: inRange('enlargingAbsoluteMm'),
  enlargingRule: EnlargingRuleSchema,
});
export type CharterSettings = z.infer<typeof CharterSchema>;

/** How hard a synthetic set is to read (shared/synthetic/design.ts says what hard changes). */
export const DifficultySchema = z.enum(['standard', 'hard']);
export type Difficulty = z.infer<typeof DifficultySchema>;

/**
 * A qualification set: synthetic participants with known truth, generated from a seed at a difficulty, in a store
 * of its own. Recorded once in an empty store; the store then holds that set and nothing else.
 */
export const QualificationSetSchema = z.strictObject({
  seed: z.string().min(1).max(200),
  difficulty: DifficultySchema,
  participants: z.number().int().min(1).max(999),
});
export type QualificationSet = z.infer<typeof QualificationSetSchema>;

/**
 * What a reader must reach on a qualification set (shared/qualification-score.ts) before reading the
 * trial: a trial setting kept beside the charter, not in it, so that changing it never touches a
 * signed read's charter. Marks within `pairingToleranceMm` of a truth lesion's centre are that lesion.
 */
export const QualificationRuleSchema = z.strictObject({
  /** Lesion-wise sensitivity at least this (0 to 1)... */
  minSensitivity: z.number().min(0).max(1),
  /** ...and at most this many false positives per scan (one region at one visit of one participant). */
  maxFalsePositivesPerScan: z.number().min(0).max(100),
  pairingToleranceMm: z.number().min(1).max(50),
});
export type QualificationRule = z.infer<typeof QualificationRuleSchema>;

/**
 * When two readers' tracks of a participant, both signed, go to an adjudicator:
 * count_differs when their new-or-enlarging counts differ at any visit and
 * region; any_unmatched when any lesion of one has no partner in the other;
 * difference_at_least when a count differs by `threshold` or more.
 */
export const AdjudicationRuleSchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('count_differs') }),
  z.strictObject({ rule: z.literal('any_unmatched') }),
  z.strictObject({ rule: z.literal('difference_at_least'), threshold: z.number().int().min(1).max(20) }),
]);
export type AdjudicationRule = z.infer<typeof AdjudicationRuleSchema>;

/** The reading design of the trial: one reader per participant, or two independent readers and an adjudicator. */
export const ReadingDesignSchema = z.discriminatedUnion('design', [
  z.strictObject({ design: z.literal('single') }),
  // blinded: the readers see scans as "Scan 1…n", "Current" and "Prior", never visit codes, labels, dates or header descriptions (main/reads/blinding.ts). On unless set off.
  z.strictObject({ design: z.literal('double'), adjudication: AdjudicationRuleSchema, blinded: z.boolean().default(true) }),
]);
export type ReadingDesign = z.infer<typeof ReadingDesignSchema>;

/** Whether a session with this role reads blinded under the design: a reader, in a double read set to blind them (main/reads/blinding.ts). */
export const readsBlinded = (design: ReadingDesign, role: ReaderRole | undefined) => role === 'reader' && design.design === 'double' && design.blinded;

/** How long a chosen reader may be idle before their secret is asked again (21 CFR Part 11 session controls). */
export const SessionSettingsSchema = z.strictObject({ idleMinutes: z.number().int().min(1).max(240) });
export type SessionSettings = z.infer<typeof SessionSettingsSchema>;

/**
 * How a reader likes a region's reads laid out, like a hanging protocol: two
 * panes (the visit and its comparator) or all visits four-up, and the
 * sequences preferred, in order, where a visit has more than one series.
 */
export const HangingLayoutSchema = z.strictObject({
  layout: z.enum(['two', 'four']),
  sequences: z.array(SequenceSchema).max(5).readonly(),
});
export type HangingLayout = z.infer<typeof HangingLayoutSchema>;

/** The trial's default layout of each region, set with the charter: how a region hangs for a reader who has not chosen their own. */
export const DefaultLayoutsSchema = z.strictObject({ brain: HangingLayoutSchema, spinal_cord: HangingLayoutSchema, optic_nerve: HangingLayoutSchema });
export type DefaultLayouts = z.infer<typeof DefaultLayoutsSchema>;
