// The one API contract between the renderer and main. Every request is one
// entry here: a runtime schema for its payload and one for its answer. Both
// transports (Electron IPC and the loopback HTTP host) are generic loops over
// this table, so adding a request never needs per-transport code.
import { z } from 'zod';
import { issueWords } from './issue-words';
import { VERTEBRAL_LEVELS } from './protocol';
import { scheduleProblems } from './validation';

// Every refusal speaks in words about its field, never in schema text.
z.config({ customError: issueWords });

const MAX_PATH_LENGTH = 4096;
const databaseId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const noPayload = z.strictObject({});
const finite = z.number().finite();
const Point3 = z.tuple([finite, finite, finite]);

export const RejectedFile = z.strictObject({
  /** Path relative to the imported folder: enough to find the file, no more. */
  path: z.string(),
  reason: z.string(),
});
export type RejectedFile = z.infer<typeof RejectedFile>;

export const ImportSummary = z.strictObject({
  importId: databaseId,
  folder: z.string(),
  filesSeen: z.number().int().nonnegative(),
  instancesAdded: z.number().int().nonnegative(),
  duplicatesSkipped: z.number().int().nonnegative(),
  /** Same SOPInstanceUID as a stored instance but different content. */
  conflicts: z.array(RejectedFile),
  seriesTouched: z.number().int().nonnegative(),
  rejected: z.array(RejectedFile),
  /** Files that are valid but not instances (DICOMDIR), with what they are. */
  skipped: z.array(RejectedFile),
  elapsedMs: z.number().nonnegative(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportJob = z.strictObject({
  jobId: z.string(),
  folder: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** Folder of the last file read, relative to the imported folder. */
  currentFolder: z.string(),
  summary: ImportSummary.nullable(),
  error: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const SeriesSummary = z.strictObject({
  id: databaseId,
  seriesUid: z.string(),
  modality: z.string(),
  description: z.string(),
  seriesNumber: z.number().int().nullable(),
  instanceCount: z.number().int().nonnegative(),
  frameCount: z.number().int().nonnegative(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  studyUid: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  patientId: z.string(),
  /** False for objects without pixels (SR, presentation states...). */
  isImage: z.boolean(),
  orientation: z.enum(['axial', 'sagittal', 'coronal', 'oblique']).nullable(),
  /** Typical distance between slice centres in mm, from the positions. */
  spacing: z.number().nullable(),
  transferSyntaxes: z.array(z.string()),
  /** Gaps, duplicate positions, missing geometry. */
  warnings: z.array(z.string()),
});
export type SeriesSummary = z.infer<typeof SeriesSummary>;

export const SeriesImage = z.strictObject({
  instanceId: databaseId,
  /** 1-based frame number inside a multi-frame instance. */
  frame: z.number().int().positive(),
  instanceNumber: z.number().int().nullable(),
  /** ImagePositionPatient of this slice (mm), null where the file has none. */
  position: Point3.nullable(),
  /** ImageOrientationPatient (row then column direction), null where the file has none. */
  orientation: z.array(finite).length(6).nullable(),
  /** PixelSpacing: mm between rows, then between columns. */
  pixelSpacing: z.tuple([finite, finite]).nullable(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
});
export type SeriesImage = z.infer<typeof SeriesImage>;

export const SeriesImages = z.strictObject({
  seriesId: databaseId,
  images: z.array(SeriesImage),
});
export type SeriesImages = z.infer<typeof SeriesImages>;

export const FolderChoice = z.strictObject({
  /** False where the host has no native dialog (the browser host): type a path instead. */
  supported: z.boolean(),
  folder: z.string().nullable(),
});
export type FolderChoice = z.infer<typeof FolderChoice>;

// Trial organisation: participants, their DICOM patients, and where each study and series belongs.
const subjectCode = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, - and _');
/** A calendar date that exists (2023-02-29 does not), as YYYY-MM-DD. */
const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
const reason = z.string().trim().max(500).optional();
export const RegionSchema = z.enum(['brain', 'spinal_cord', 'optic_nerve']);
export const SequenceSchema = z.enum(['FLAIR', 'T2', 'STIR', 'T1', 'other']);
const OrientationSchema = z.enum(['axial', 'sagittal', 'coronal', 'oblique']);

export const VisitScheduleSchema = z.strictObject({
  visits: z
    .array(z.strictObject({ code: z.string().regex(/^[A-Z0-9]{1,8}$/, 'must be 1 to 8 capital letters or digits'), label: z.string().min(1).max(64), week: z.number().int().min(0).max(520), inEndpoint: z.boolean() }))
    .min(1)
    .max(20)
    .readonly(),
  toleranceDays: z.number().int().min(0).max(60),
});

/** A schedule a trial can run on: the rules of shared/validation.ts on top of the shape. */
const ScheduleToSave = VisitScheduleSchema.superRefine((schedule, context) => {
  for (const message of scheduleProblems(schedule)) context.addIssue({ code: 'custom', message, path: ['visits'] });
});

export const ClassificationRulesSchema = z.strictObject({
  regions: z.array(z.strictObject({ id: z.string().min(1).max(32), region: RegionSchema, pattern: z.string().min(1).max(300), orientations: z.array(OrientationSchema).readonly().optional() })).max(50).readonly(),
  sequences: z.array(z.strictObject({ sequence: SequenceSchema.exclude(['other']), pattern: z.string().min(1).max(300) })).max(50).readonly(),
  ignorePattern: z.string().max(300),
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

export const ReadStatusSchema = z.enum(['not_started', 'in_progress', 'signed', 'unlocked', 'amended']);
export type ReadStatus = z.infer<typeof ReadStatusSchema>;

export const WorklistCell = z.strictObject({
  visitCode: z.string(),
  region: RegionSchema,
  status: z.enum(['present', 'missing', 'review']),
  readStatus: ReadStatusSchema,
  series: z.array(z.strictObject({ seriesId: databaseId, description: z.string(), sequence: SequenceSchema, source: AssignmentSource })),
});
export const Worklist = z.strictObject({
  visits: z.array(z.strictObject({ code: z.string(), label: z.string() })),
  rows: z.array(z.strictObject({ participantId: databaseId, subjectCode: z.string(), cells: z.array(WorklistCell) })),
  /** Studies and series that need a reader's decision before they can be read. */
  review: z.array(z.strictObject({ studyId: databaseId, seriesId: databaseId.nullable(), what: z.string() })),
});
export type Worklist = z.infer<typeof Worklist>;

// Lesions, their observations at each visit, and the counts derived from them.
export const LesionStatusSchema = z.enum(['new', 'enlarging', 'stable', 'shrinking', 'resolved', 'not_evaluable', 'merged']);
const visitCode = z.string().regex(/^[A-Z0-9-]{1,16}$/, 'must be a visit code such as W12 or UNS-20240115');
const VertebralLevelSchema = z.enum(VERTEBRAL_LEVELS);

export const FindingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('measured'), longestDiameterMm: z.number().positive().max(500) }),
  z.strictObject({ kind: z.literal('resolved') }),
  z.strictObject({ kind: z.literal('not_evaluable') }),
  z.strictObject({ kind: z.literal('merged'), intoLesionId: databaseId }),
]);
export type FindingInput = z.infer<typeof FindingSchema>;

const ObservationFields = {
  visitCode,
  finding: FindingSchema,
  /** Where it was marked: the image the reader looked at. */
  image: z.strictObject({ seriesId: databaseId, instanceId: databaseId, frame: z.number().int().positive() }).optional(),
  /** The clicked centre and the ends of the longest diameter, in patient coordinates (mm). */
  marks: z.strictObject({ centre: Point3, diameter: z.tuple([Point3, Point3]).optional() }).optional(),
  /** Spinal cord lesions: the vertebral levels of the upper and lower end. */
  levels: z.strictObject({ upper: VertebralLevelSchema, lower: VertebralLevelSchema }).optional(),
  /** Optic nerve lesions: extent along the nerve. */
  opticExtent: z.strictObject({ beyondHalfLength: z.boolean(), involvesChiasm: z.boolean() }).optional(),
};

export const ObservationView = z.strictObject({
  visitCode: z.string(),
  finding: FindingSchema,
  image: z.strictObject({ seriesId: databaseId, instanceId: databaseId, frame: z.number().int().positive() }).nullable(),
  marks: z.strictObject({ centre: Point3, diameter: z.tuple([Point3, Point3]).optional() }).nullable(),
  levels: z.strictObject({ upper: z.string(), lower: z.string(), segments: z.number().int().nullable(), longitudinallyExtensive: z.boolean() }).nullable(),
  opticExtent: z.strictObject({ beyondHalfLength: z.boolean(), involvesChiasm: z.boolean() }).nullable(),
  suggestion: z.strictObject({ status: LesionStatusSchema, counted: z.boolean(), comparatorVisit: z.string().nullable(), why: z.string() }).nullable(),
  override: z.strictObject({ status: LesionStatusSchema, reason: z.string() }).nullable(),
  finalStatus: LesionStatusSchema.nullable(),
  counted: z.boolean(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type ObservationView = z.infer<typeof ObservationView>;

export const LesionView = z.strictObject({
  id: databaseId,
  participantId: databaseId,
  label: z.string(),
  /** DICOM SR Tracking Unique Identifier: the same for this lesion at every visit and in every export. */
  trackingUid: z.string(),
  region: RegionSchema,
  side: z.enum(['left', 'right', 'chiasm']).nullable(),
  splitFrom: z.strictObject({ lesionId: databaseId, label: z.string(), atVisit: z.string() }).nullable(),
  mergedFrom: z.array(z.strictObject({ lesionId: databaseId, label: z.string(), atVisit: z.string() })),
  observations: z.array(ObservationView),
});
export type LesionView = z.infer<typeof LesionView>;

export const CharterSchema = z.strictObject({
  id: z.string().min(1).max(64),
  comparator: z.enum(['previous', 'baseline']),
  minimumSizeMm: z.number().min(0).max(50),
  enlargingRelative: z.number().min(0).max(10),
  enlargingAbsoluteMm: z.number().min(0).max(50),
  enlargingRule: z.enum(['both', 'either']),
});

export const CountCell = z.strictObject({
  visitCode: z.string(),
  region: RegionSchema,
  new: z.number().int().nonnegative(),
  enlarging: z.number().int().nonnegative(),
  newOrEnlarging: z.number().int().nonnegative(),
  comparatorVisit: z.string().nullable(),
});
export const CountsReport = z.strictObject({
  charter: CharterSchema,
  participants: z.array(z.strictObject({ participantId: databaseId, subjectCode: z.string(), cells: z.array(CountCell), endpointTotal: z.number().int().nonnegative() })),
  trialTotal: z.number().int().nonnegative(),
});
export type CountsReport = z.infer<typeof CountsReport>;

export const ReaderView = z.strictObject({ id: databaseId, name: z.string(), role: z.enum(['reader', 'adjudicator', 'data_manager']) });
export type ReaderView = z.infer<typeof ReaderView>;

export const SignatureView = z.strictObject({
  id: databaseId,
  participantId: databaseId,
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
  problems: z.array(z.strictObject({ kind: z.enum(['no_images', 'comparator_unsigned', 'unassessed']), lesionId: databaseId.nullable(), message: z.string() })),
});
export type ReadReadiness = z.infer<typeof ReadReadiness>;

/** A rigid transform: rotation (degrees about x, y, z) about a centre, then a translation. */
export const TransformSchema = z.strictObject({
  rotationDeg: z.tuple([z.number().min(-45).max(45), z.number().min(-45).max(45), z.number().min(-45).max(45)]),
  translationMm: z.tuple([z.number().min(-500).max(500), z.number().min(-500).max(500), z.number().min(-500).max(500)]),
  centreMm: z.tuple([z.number().min(-5000).max(5000), z.number().min(-5000).max(5000), z.number().min(-5000).max(5000)]),
});
export type Transform = z.infer<typeof TransformSchema>;

/** How the comparator series lines up with the current one: comparator(T(p)) shows current(p). */
export const Alignment = z.strictObject({
  currentSeriesId: databaseId,
  comparatorSeriesId: databaseId,
  transform: TransformSchema,
  source: z.enum(['automatic', 'manual']),
  /** Image similarity at the result (-1 to 1) for an automatic alignment. */
  score: z.number().nullable(),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type Alignment = z.infer<typeof Alignment>;
const SeriesPair = { currentSeriesId: databaseId, comparatorSeriesId: databaseId };

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

export const ExportFormatSchema = z.enum(['counts-csv', 'sdtm', 'redcap', 'odm', 'dicom-sr']);
/**
 * Which reads an export holds: only the signed ones; all of them, refused
 * while any is unsigned; or all of them in a file marked preliminary.
 */
export const ExportReadsSchema = z.enum(['signed', 'all', 'preliminary']);
export type ExportReads = z.infer<typeof ExportReadsSchema>;
/** REDCap: the project's event and field names in place of the defaults (visit code -> event, default field -> field). */
const redcapName = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'REDCap names are lower case letters, digits and _');
export const RedcapMappingSchema = z.strictObject({
  events: z.record(z.string().max(16), redcapName).optional(),
  fields: z.record(z.string().max(64), redcapName).optional(),
});
export type RedcapMapping = z.infer<typeof RedcapMappingSchema>;
export const ExportFiles = z.strictObject({
  files: z.array(
    z.strictObject({
      /** A relative path: a file name, or "folder/name" for formats that write many files. */
      name: z.string(),
      mediaType: z.string(),
      /** Text as it is, binary files (DICOM) as base64. */
      encoding: z.enum(['utf8', 'base64']),
      content: z.string(),
    }),
  ),
});

/** The DICOM identity of a series' instances, for exports that reference the images (DICOM SR). */
export const SeriesReferences = z.strictObject({
  seriesId: databaseId,
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  instances: z.array(z.strictObject({ instanceId: databaseId, sopClassUid: z.string(), sopInstanceUid: z.string() })),
});
export type SeriesReferences = z.infer<typeof SeriesReferences>;

/** Which store is open: the trial's, or the demo trial's synthetic one. */
export const Workspace = z.strictObject({ demo: z.boolean() });
export type Workspace = z.infer<typeof Workspace>;

const secret = z.string().min(8, 'at least 8 characters').max(256);
/** How long a chosen reader may be idle before their secret is asked again (21 CFR Part 11 session controls). */
export const SessionSettingsSchema = z.strictObject({ idleMinutes: z.number().int().min(1).max(240) });
export type SessionSettings = z.infer<typeof SessionSettingsSchema>;
const ReadKeySchema = { participantId: databaseId, visitCode, region: RegionSchema };

export const contract = {
  workspace: { request: noPayload, response: Workspace },
  openDemoTrial: { request: noPayload, response: Workspace },
  leaveDemoTrial: { request: noPayload, response: Workspace },
  chooseFolder: { request: noPayload, response: FolderChoice },
  importFolder: { changes: true,
    request: z.strictObject({ folder: z.string().min(1).max(MAX_PATH_LENGTH) }),
    response: ImportSummary,
  },
  startImport: { changes: true,
    request: z.strictObject({ folder: z.string().min(1).max(MAX_PATH_LENGTH) }),
    response: ImportJob,
  },
  importStatus: { request: z.strictObject({ jobId: z.uuid() }), response: ImportJob },
  cancelImport: { changes: true, request: z.strictObject({ jobId: z.uuid() }), response: ImportJob },
  listSeries: { request: noPayload, response: z.array(SeriesSummary) },
  seriesImages: {
    request: z.strictObject({ seriesId: databaseId }),
    response: SeriesImages,
  },
  seriesReferences: { request: z.strictObject({ seriesId: databaseId }), response: SeriesReferences },
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
    request: z.strictObject({ schedule: ScheduleToSave, rules: ClassificationRulesSchema, reason }),
    response: TrialSetup,
  },
  listAssignments: { request: noPayload, response: z.array(StudyAssignment) },
  assignStudy: { changes: true,
    /** visitCode null excludes the study from reading. */
    request: z.strictObject({ studyId: databaseId, visitCode: visitCode.nullable(), reason }),
    response: StudyAssignment,
  },
  assignSeries: { changes: true,
    /** region null says "not a reading series". */
    request: z.strictObject({ seriesId: databaseId, region: RegionSchema.nullable(), sequence: SequenceSchema, reason }),
    response: StudyAssignment,
  },
  worklist: { request: noPayload, response: Worklist },
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
  exportFiles: { changes: true, request: z.strictObject({ format: ExportFormatSchema, reads: ExportReadsSchema, redcapMapping: RedcapMappingSchema.optional() }), response: ExportFiles },
  alignment: { request: z.strictObject(SeriesPair), response: Alignment.nullable() },
  saveAlignment: { changes: true, request: z.strictObject({ ...SeriesPair, transform: TransformSchema }), response: Alignment },
  autoAlign: { request: z.strictObject(SeriesPair), response: Alignment },
  listLesions: { request: z.strictObject({ participantId: databaseId }), response: z.array(LesionView) },
  createLesion: { changes: true,
    request: z.strictObject({
      participantId: databaseId,
      region: RegionSchema,
      side: z.enum(['left', 'right', 'chiasm']).optional(),
      /** Recorded as split from this lesion at the observation's visit. */
      splitFromLesionId: databaseId.optional(),
      observation: z.strictObject(ObservationFields),
    }),
    response: LesionView,
  },
  recordObservation: { changes: true, request: z.strictObject({ lesionId: databaseId, ...ObservationFields, reason }), response: LesionView },
  overrideStatus: { changes: true,
    request: z
      .strictObject({ lesionId: databaseId, visitCode, status: LesionStatusSchema.nullable(), reason })
      .refine((request) => request.status === null || (request.reason ?? '').length > 0, { message: 'An override needs a reason: it goes into the audit trail.', path: ['reason'] }),
    response: LesionView,
  },
  counts: { request: z.strictObject({ participantId: databaseId.optional() }), response: CountsReport },
  charter: { request: noPayload, response: CharterSchema },
  saveCharter: { changes: true, request: z.strictObject({ charter: CharterSchema, reason }), response: CharterSchema },
  listReaders: {
    request: noPayload,
    /** locked: the current reader was idle past the limit; changes wait for their secret. */
    response: z.strictObject({ readers: z.array(ReaderView), current: ReaderView.nullable(), locked: z.boolean() }),
  },
  sessionSettings: { request: noPayload, response: SessionSettingsSchema },
  saveSessionSettings: { changes: true, request: z.strictObject({ settings: SessionSettingsSchema, reason: z.string().trim().min(1, 'give a reason: it goes into the audit trail').max(500) }), response: SessionSettingsSchema },
  createReader: { changes: true,
    request: z.strictObject({ name: z.string().trim().min(1).max(80), role: z.enum(['reader', 'adjudicator', 'data_manager']), secret }),
    response: ReaderView,
  },
  chooseReader: { request: z.strictObject({ readerId: databaseId, secret: z.string().max(256) }), response: ReaderView },
  signRead: { changes: true, request: z.strictObject({ ...ReadKeySchema, secret: z.string().max(256) }), response: SignatureView },
  unlockRead: { changes: true, request: z.strictObject({ ...ReadKeySchema, secret: z.string().max(256), reason: z.string().trim().min(1).max(500) }), response: SignatureView },
  signatures: { request: z.strictObject(ReadKeySchema), response: z.array(SignatureView) },
  readReadiness: { request: z.strictObject(ReadKeySchema), response: ReadReadiness },
} as const;

export type Contract = typeof contract;

/** True for requests that change the store: refused while an idle reader's session is locked. */
export function changesStore(name: RequestName): boolean {
  return 'changes' in contract[name];
}
export type RequestName = keyof Contract;
export type RequestOf<K extends RequestName> = z.input<Contract[K]['request']>;
export type ResponseOf<K extends RequestName> = z.output<Contract[K]['response']>;

export const requestNames = Object.keys(contract) as RequestName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/**
 * Why a request failed, in words a reader can act on. forbidden: a wrong
 * secret, or a role that may not do this; conflict: not now (a signed read,
 * no reader chosen yet); reauthenticate: the reader's session was idle past
 * the trial's limit and the change needs their secret again.
 */
export const ErrorCode = z.enum(['invalid_request', 'forbidden', 'not_found', 'conflict', 'unsupported', 'failed', 'reauthenticate']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.strictObject({ code: ErrorCode, message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** What every transport carries back: never a thrown error across the boundary. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

export { INSTANCE_PATH, IPC_PREFIX } from './channels';
