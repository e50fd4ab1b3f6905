// The catalog area of the contract: which store is open, importing a folder
// of DICOM, and the series and images it holds.
import { z } from 'zod';
import { databaseId, finite, noPayload, OrientationSchema, Point3 } from './common';

const MAX_PATH_LENGTH = 4096;

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
  /** The trial participant the DICOM patient is linked to; null while it is linked to none. */
  subjectCode: z.string().nullable(),
  /** A localizer or scout (shared/protocol.ts isLocalizer): listed folded away. */
  localizer: z.boolean(),
  /** False for objects without pixels (SR, presentation states...). */
  isImage: z.boolean(),
  orientation: OrientationSchema.nullable(),
  /** Typical distance between slice centres in mm, from the positions. */
  spacing: z.number().nullable(),
  transferSyntaxes: z.array(z.string()),
  /** Gaps, duplicate positions, missing geometry. */
  warnings: z.array(z.string()),
  /** Whether the images form one regular volume, to read in three planes (shared/reconstructable.ts), and if not, why. */
  reconstructable: z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), reason: z.string() })]),
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
  /** The identity of the store that listed these images: their URLs carry it (shared/channels.ts instancePath). */
  store: z.string().regex(/^[0-9a-f]{32}$/),
  images: z.array(SeriesImage),
});
export type SeriesImages = z.infer<typeof SeriesImages>;

/** The DICOM identity of a series' instances, for exports that reference the images (DICOM SR). */
export const SeriesReferences = z.strictObject({
  seriesId: databaseId,
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  instances: z.array(z.strictObject({ instanceId: databaseId, sopClassUid: z.string(), sopInstanceUid: z.string() })),
});
export type SeriesReferences = z.infer<typeof SeriesReferences>;

export const FolderChoice = z.strictObject({
  /** False where the host has no native dialog (the browser host): type a path instead. */
  supported: z.boolean(),
  folder: z.string().nullable(),
});
export type FolderChoice = z.infer<typeof FolderChoice>;

/** Which store is open: the trial's, or the demo trial's synthetic one. */
export const Workspace = z.strictObject({ demo: z.boolean() });
export type Workspace = z.infer<typeof Workspace>;

const folder = z.strictObject({ folder: z.string().min(1).max(MAX_PATH_LENGTH) });
const job = z.strictObject({ jobId: z.uuid() });
const series = z.strictObject({ seriesId: databaseId });

export const catalogRequests = {
  workspace: { request: noPayload, response: Workspace },
  openDemoTrial: { request: noPayload, response: Workspace },
  leaveDemoTrial: { request: noPayload, response: Workspace },
  chooseFolder: { request: noPayload, response: FolderChoice },
  importFolder: { changes: true, request: folder, response: ImportSummary },
  startImport: { changes: true, request: folder, response: ImportJob },
  importStatus: { request: job, response: ImportJob },
  cancelImport: { changes: true, request: job, response: ImportJob },
  listSeries: { request: noPayload, response: z.array(SeriesSummary) },
  seriesImages: { request: series, response: SeriesImages },
  seriesReferences: { request: series, response: SeriesReferences },
} as const;
