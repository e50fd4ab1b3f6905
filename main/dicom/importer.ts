// Imports a folder: walks it, reads each file's header, and stores the
// instances in batches, each batch one transaction with its audit entry, so
// a crash or a cancel keeps every batch already committed and nothing half.
import { type Dirent, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ImportSummary, RejectedFile } from '../../shared/contract';
import { appendAudit } from '../store/audit';
import { createCatalogWriter } from '../store/catalog';
import type { Db } from '../store/database';
import { preparedOnce } from '../store/prepared';
import { isDicomdirName, readDicomdir } from './dicomdir';
import type { HeaderRead } from './header';
import { type HeaderReader, inlineHeaderReader } from './header-pool';

const BATCH_SIZE = 500;

/** What the import_problems table records of a file: refused, or a different file with a stored instance's UID. */
export const IMPORT_PROBLEM_KINDS = ['rejected', 'conflict'] as const;
type ImportProblemKind = (typeof IMPORT_PROBLEM_KINDS)[number];

/** The import log's writes, at the start, every batch and the end of every import. */
const importLog = preparedOnce((db) => ({
  start: db.prepare('INSERT INTO imports (folder, actor, started_at) VALUES (?, ?, ?)'),
  recordProblem: db.prepare<[number, ImportProblemKind, string, string]>('INSERT INTO import_problems (import_ref, kind, relative_path, reason) VALUES (?, ?, ?, ?)'),
  countBatch: db.prepare('UPDATE imports SET files_seen = files_seen + ?, instances_added = instances_added + ?, duplicates_skipped = duplicates_skipped + ? WHERE id = ?'),
  finish: db.prepare('UPDATE imports SET finished_at = ? WHERE id = ?'),
}));

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  currentFolder: string;
}

export interface ImportOptions {
  actor: string;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Where headers are read: a worker pool in the app, the same thread in small tests. */
  reader?: HeaderReader;
}

export interface FolderListing {
  files: string[];
  /** Entries that are not followed or cannot be read, with the reason. */
  problems: RejectedFile[];
}

/** Every regular file under the folder, in a stable order. Symbolic links are not followed. */
export function listFiles(folder: string): FolderListing {
  const root = resolve(folder);
  const files: string[] = [];
  const problems: RejectedFile[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: relative(root, current) || '.', reason: `folder cannot be read (${errorCode(error)})` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isSymbolicLink()) problems.push({ path: relative(root, path), reason: 'symbolic link, not followed' });
      else if (entry.isDirectory()) subfolders.push(path);
      else if (entry.isFile()) files.push(path);
    }
    pending.push(...subfolders.reverse());
  }
  return { files, problems };
}

/**
 * Files a DICOMDIR lists come first, in its order; files it does not list
 * still follow. Listed files that are absent are reported, not ignored.
 */
function readMediaIndexes(root: string, files: string[]) {
  const listedBy = new Map<string, number>();
  const first = new Set<string>();
  const missing: RejectedFile[] = [];
  for (const file of files.filter(isDicomdirName)) {
    const listing = readDicomdir(file);
    if (!listing) continue;
    listedBy.set(file, listing.present.length + listing.missing.length);
    for (const present of listing.present) first.add(present);
    for (const absent of listing.missing) missing.push({ path: relative(root, join(dirname(file), absent)), reason: 'listed in the DICOMDIR but not on the media' });
  }
  const known = new Set(files);
  const ordered = [...[...first].filter((file) => known.has(file)), ...files.filter((file) => !first.has(file))];
  return { ordered, listedBy, missing };
}

export class ImportCancelled extends Error {
  override name = 'ImportCancelled';
}

export async function importFolder(db: Db, folder: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const root = resolve(folder);
  const walked = listFiles(root);
  const media = readMediaIndexes(root, walked.files);
  const files = media.ordered;
  const rejected: RejectedFile[] = [...walked.problems, ...media.missing];
  const skipped: RejectedFile[] = [];
  const conflicts: RejectedFile[] = [];
  let instancesAdded = 0;
  let duplicatesSkipped = 0;
  const log = importLog(db);

  const importId = db.transaction(() => {
    const id = Number(log.start.run(root, options.actor, new Date().toISOString()).lastInsertRowid);
    appendAudit(db, { actor: options.actor, action: 'import.start', entity: 'import', entityId: id, newValue: { files: files.length } });
    return id;
  })();

  const writer = createCatalogWriter(db);
  const commitBatch = db.transaction((batch: string[], reads: HeaderRead[]) => {
    let added = 0;
    let duplicates = 0;
    for (const [index, path] of batch.entries()) {
      const relativePath = relative(root, path);
      const read = reads[index]!;
      if (read.kind === 'rejected') {
        rejected.push({ path: relativePath, reason: read.reason });
        log.recordProblem.run(importId, 'rejected', relativePath, read.reason);
        continue;
      }
      if (read.kind === 'directory') {
        const listed = media.listedBy.get(path);
        const what = listed === undefined ? 'an index of the media' : `an index of the media listing ${listed} file(s)`;
        skipped.push({ path: relativePath, reason: `DICOMDIR (${what}; the files themselves are imported)` });
        continue;
      }
      const outcome = writer.add(read.header, path, importId);
      if (outcome === 'added') added += 1;
      else if (outcome === 'duplicate') duplicates += 1;
      else {
        const reason = `same SOP Instance UID as a stored instance but different content (${read.header.sopInstanceUid})`;
        conflicts.push({ path: relativePath, reason });
        log.recordProblem.run(importId, 'conflict', relativePath, reason);
      }
    }
    log.countBatch.run(batch.length, added, duplicates, importId);
    appendAudit(db, { actor: options.actor, action: 'import.batch', entity: 'import', entityId: importId, newValue: { files: batch.length, added, duplicates } });
    instancesAdded += added;
    duplicatesSkipped += duplicates;
  });

  const reader = options.reader ?? inlineHeaderReader;
  const readBatch = (start: number) => Promise.all(files.slice(start, start + BATCH_SIZE).map((path) => reader.read(path)));
  // Workers read the next batch while this thread stores the current one.
  let next = readBatch(0);
  for (let start = 0; start < files.length; start += BATCH_SIZE) {
    const reads = await next;
    if (options.signal?.aborted) throw new ImportCancelled(`Import cancelled after ${start} of ${files.length} files; those are kept.`);
    if (start + BATCH_SIZE < files.length) next = readBatch(start + BATCH_SIZE);
    const batch = files.slice(start, start + BATCH_SIZE);
    commitBatch(batch, reads);
    options.onProgress?.({ filesDone: start + batch.length, filesTotal: files.length, currentFolder: relative(root, dirname(batch.at(-1) ?? root)) || '.' });
    // Let other requests through between batches.
    await new Promise((resolveTick) => setImmediate(resolveTick));
  }

  db.transaction(() => {
    log.finish.run(new Date().toISOString(), importId);
    appendAudit(db, {
      actor: options.actor,
      action: 'import.finish',
      entity: 'import',
      entityId: importId,
      newValue: { files: files.length, added: instancesAdded, duplicates: duplicatesSkipped, rejected: rejected.length, conflicts: conflicts.length },
    });
  })();

  return {
    importId,
    folder: root,
    filesSeen: files.length,
    instancesAdded,
    duplicatesSkipped,
    seriesTouched: writer.touchedSeries.size,
    rejected,
    skipped,
    conflicts,
    elapsedMs: performance.now() - started,
  };
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown error';
}
