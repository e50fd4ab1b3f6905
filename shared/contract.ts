// The one API contract between the renderer and main. Every request is one
// entry here: a runtime schema for its payload and one for its answer. Both
// transports (Electron IPC and the loopback HTTP host) are generic loops over
// this table, so adding a request never needs per-transport code.
import { z } from 'zod';

const MAX_PATH_LENGTH = 4096;
const databaseId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const noPayload = z.strictObject({});

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
});
export type SeriesSummary = z.infer<typeof SeriesSummary>;

export const SeriesImage = z.strictObject({
  instanceId: databaseId,
  /** 1-based frame number inside a multi-frame instance. */
  frame: z.number().int().positive(),
  instanceNumber: z.number().int().nullable(),
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

export const contract = {
  chooseFolder: { request: noPayload, response: FolderChoice },
  importFolder: {
    request: z.strictObject({ folder: z.string().min(1).max(MAX_PATH_LENGTH) }),
    response: ImportSummary,
  },
  listSeries: { request: noPayload, response: z.array(SeriesSummary) },
  seriesImages: {
    request: z.strictObject({ seriesId: databaseId }),
    response: SeriesImages,
  },
} as const;

export type Contract = typeof contract;
export type RequestName = keyof Contract;
export type RequestOf<K extends RequestName> = z.input<Contract[K]['request']>;
export type ResponseOf<K extends RequestName> = z.output<Contract[K]['response']>;

export const requestNames = Object.keys(contract) as RequestName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** Why a request failed, in words a reader can act on. */
export const ErrorCode = z.enum(['invalid_request', 'not_found', 'conflict', 'unsupported', 'failed']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.strictObject({ code: ErrorCode, message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** What every transport carries back: never a thrown error across the boundary. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Channel names for Electron IPC: one prefix, so the preload can refuse anything else. */
export const IPC_PREFIX = 'lesiontrack:';

/** URL path under which both hosts stream an instance's bytes by database id. */
export const INSTANCE_PATH = '/instances/';
