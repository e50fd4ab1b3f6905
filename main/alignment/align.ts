// Runs the jobs that read whole series, an alignment or a subtraction: in a
// worker thread when the built worker is there (the app), on this thread
// otherwise (unit tests of the services).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type AlignmentResult, alignVolumes } from '../../shared/registration';
import { type SubtractionJob, type SubtractionOutcome, subtractionOutcome } from '../derived/compute';
import { readVolume, type SliceFile, VolumeError } from './volume';

export interface AlignmentJob {
  kind: 'align';
  current: SliceFile[];
  comparator: SliceFile[];
}

export type AlignmentOutcome = { ok: true; result: AlignmentResult } | { ok: false; message: string };

export function alignmentOutcome(job: AlignmentJob): AlignmentOutcome {
  try {
    return { ok: true, result: alignVolumes(readVolume(job.current), readVolume(job.comparator)) };
  } catch (error) {
    return { ok: false, message: error instanceof VolumeError ? `${error.message} Align this pair by hand.` : 'The images could not be read for alignment.' };
  }
}

/** Every job the worker (alignment-worker.js) takes. */
export type ImageJob = AlignmentJob | SubtractionJob;
export type OutcomeOf<Job extends ImageJob> = Job extends AlignmentJob ? AlignmentOutcome : SubtractionOutcome;

const CRASHED: Readonly<Record<ImageJob['kind'], string>> = {
  align: 'The alignment stopped on an internal error.',
  subtract: 'The subtraction stopped on an internal error.',
};
const STOPPED = 'The data store was closed before this finished.';

export function imageJobOutcome<Job extends ImageJob>(job: Job): OutcomeOf<Job> {
  return (job.kind === 'align' ? alignmentOutcome(job) : subtractionOutcome(job)) as OutcomeOf<Job>;
}

/** `signal` is the store closing: the worker is stopped at once, and the job ends as failed. */
export function runImageJob<Job extends ImageJob>(job: Job, workerFile: string | undefined, signal?: AbortSignal): Promise<OutcomeOf<Job>> {
  const failed = (message: string) => ({ ok: false, message }) as OutcomeOf<Job>;
  if (signal?.aborted) return Promise.resolve(failed(STOPPED));
  if (workerFile === undefined || !existsSync(workerFile)) {
    return new Promise((resolve) => {
      // Still asynchronous, so the caller's request finishes like the worker path; a store closed meanwhile is not worked for.
      setImmediate(() => resolve(signal?.aborted ? failed(STOPPED) : imageJobOutcome(job)));
    });
  }
  return new Promise((resolve) => {
    const worker = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let settled = false;
    const finish = (outcome: OutcomeOf<Job>) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      resolve(outcome);
      void worker.terminate();
    };
    const stop = () => finish(failed(STOPPED));
    signal?.addEventListener('abort', stop, { once: true });
    worker.once('message', finish);
    worker.once('error', () => finish(failed(CRASHED[job.kind])));
    // Out of memory or killed: it ends without a word.
    worker.once('exit', () => finish(failed(CRASHED[job.kind])));
    worker.postMessage(job);
  });
}
