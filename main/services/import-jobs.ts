// Imports as jobs: started by one request, watched and cancelled by others,
// so the UI shows progress and stays responsive while headers are read in
// worker threads and batches are committed.
import { randomUUID } from 'node:crypto';
import type { ImportJob, ImportSummary } from '../../shared/contract';
import { createHeaderPool, inlineHeaderReader } from '../dicom/header-pool';
import { ImportCancelled, importFolder } from '../dicom/importer';
import type { Db } from '../store/database';
import type { Actor } from './session';
import { ServiceError } from './dispatch';

/** Finished jobs are kept this long for a last look, then forgotten. */
const KEEP_FINISHED_MS = 10 * 60 * 1000;

/** `onImported` runs after every import that ends with its summary. */
export function createImportJobs(db: Db, actor: Actor, headerWorkerFile: string | undefined, onImported: () => void) {
  const jobs = new Map<string, { job: ImportJob; controller: AbortController; done: Promise<ImportSummary | null> }>();

  function run(folder: string): { job: ImportJob; done: Promise<ImportSummary | null> } {
    const job: ImportJob = { jobId: randomUUID(), folder, state: 'running', filesDone: 0, filesTotal: 0, currentFolder: '', summary: null, error: null };
    const controller = new AbortController();
    const reader = headerWorkerFile ? createHeaderPool({ workerFile: headerWorkerFile }) : inlineHeaderReader;
    const done = importFolder(db, folder, {
      actor: actor(),
      reader,
      signal: controller.signal,
      onProgress: (progress) => Object.assign(job, progress),
    })
      .then((summary) => {
        Object.assign(job, { state: 'done', summary, filesDone: summary.filesSeen, filesTotal: summary.filesSeen });
        onImported();
        return summary;
      })
      .catch((error: unknown) => {
        Object.assign(job, error instanceof ImportCancelled ? { state: 'cancelled', error: error.message } : { state: 'failed', error: 'The import stopped on an internal error; files already committed are kept.' });
        return null;
      })
      .finally(() => {
        void reader.close();
        setTimeout(() => jobs.delete(job.jobId), KEEP_FINISHED_MS).unref();
      });
    jobs.set(job.jobId, { job, controller, done });
    return { job, done };
  }

  function find(jobId: string) {
    const entry = jobs.get(jobId);
    if (!entry) throw new ServiceError('not_found', `No import ${jobId} is known (finished imports are forgotten after 10 minutes).`);
    return entry;
  }

  return {
    start: (folder: string) => ({ ...run(folder).job }),
    /** Runs an import to its end: for clients that just wait. */
    async runToEnd(folder: string): Promise<ImportSummary> {
      const { job, done } = run(folder);
      const summary = await done;
      if (!summary) throw new ServiceError('failed', job.error ?? 'The import failed.');
      return summary;
    },
    status: (jobId: string) => ({ ...find(jobId).job }),
    cancel(jobId: string): ImportJob {
      const entry = find(jobId);
      entry.controller.abort();
      return { ...entry.job };
    },
  };
}
