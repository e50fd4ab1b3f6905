// The floor of reading headers: the same byte ranges the header reader read,
// read with plain fs calls on the same number of threads as the contender
// beside it (one worker thread each, files dealt out in turn), best of the
// same number of rounds.
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The first `length` bytes of `file`. */
export interface ByteRange {
  file: string;
  length: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The built bench/raw-read-worker.ts (scripts/build.mjs). */
const RAW_READ_WORKER = join(root, 'dist', 'bench', 'raw-read-worker.js');

export async function rawReadFilesPerSecond(ranges: readonly ByteRange[], threads: number, rounds: number): Promise<number> {
  const shares = Array.from({ length: threads }, (_, thread) => ranges.filter((_, index) => index % threads === thread));
  const workers = shares.map((share) => new Worker(RAW_READ_WORKER, { workerData: share }));
  try {
    // Starting the threads is not reading: wait until they run.
    await Promise.all(workers.map((worker) => once(worker, 'online')));
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < rounds; round += 1) {
      const start = performance.now();
      await Promise.all(
        workers.map((worker) => {
          worker.postMessage('read');
          return once(worker, 'message');
        }),
      );
      best = Math.min(best, performance.now() - start);
    }
    return ranges.length / (best / 1000);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
