// Runs an alignment job: in a worker thread when the built worker is there
// (the app), on this thread otherwise (unit tests of the services).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { type AlignmentResult, alignVolumes } from '../../shared/registration';
import { readVolume, type SliceFile, VolumeError } from './volume';

export interface AlignmentJob {
  current: SliceFile[];
  comparator: SliceFile[];
}

export type AlignmentOutcome = { ok: true; result: AlignmentResult } | { ok: false; message: string };

export function alignmentOutcome(job: AlignmentJob): AlignmentOutcome {
  try {
    return { ok: true, result: alignVolumes(readVolume(job.current), readVolume(job.comparator)) };
  } catch (error) {
    return { ok: false, message: error instanceof VolumeError ? error.message : 'The images could not be read for alignment.' };
  }
}

export function runAlignment(job: AlignmentJob, workerFile: string | undefined): Promise<AlignmentOutcome> {
  if (workerFile === undefined || !existsSync(workerFile)) {
    return new Promise((resolve) => {
      // Still asynchronous, so the caller's request finishes like the worker path.
      setImmediate(() => resolve(alignmentOutcome(job)));
    });
  }
  return new Promise((resolve) => {
    const worker = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.once('message', (outcome: AlignmentOutcome) => {
      resolve(outcome);
      void worker.terminate();
    });
    worker.once('error', () => resolve({ ok: false, message: 'The alignment stopped on an internal error.' }));
    worker.postMessage(job);
  });
}
