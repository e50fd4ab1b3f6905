// Reads headers off the main thread, in a small pool of worker threads, each
// with a memory cap and a per-file time limit: a file crafted to make the
// parser loop or balloon costs one worker restart and a rejected file, never
// a hung or crashed app.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type HeaderRead, readInstanceHeader } from './header';

export interface HeaderReader {
  read(path: string): Promise<HeaderRead>;
  close(): Promise<void>;
}

/** Same thread: for tests and tiny jobs. */
export const inlineHeaderReader: HeaderReader = {
  read: async (path) => readInstanceHeader(path),
  close: async () => {},
};

export interface PoolOptions {
  /** The built header-worker.js. */
  workerFile: string;
  size?: number;
  timeoutMs?: number;
  memoryMb?: number;
}

interface Job {
  path: string;
  resolve: (read: HeaderRead) => void;
}

/** What a worker posts once it has loaded and can take files: no file's clock starts before. */
export const WORKER_READY = 'ready';

interface Slot {
  worker: Worker;
  /** Starting a thread and loading the parser takes a while on a loaded machine; that time is no file's fault. */
  ready: boolean;
  /** Files sent and not yet answered, oldest first: the worker answers in order. */
  inFlight: Job[];
  timer: NodeJS.Timeout | null;
}

const IN_FLIGHT_PER_WORKER = 8;

/** Workers in a pool made without `size`: the machine's parallelism, at most 4. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export function createHeaderPool(options: PoolOptions): HeaderReader {
  const size = options.size ?? defaultPoolSize();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const memoryMb = options.memoryMb ?? 256;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(options.workerFile, { resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 } });
    const slot: Slot = { worker, ready: false, inFlight: [], timer: null };
    worker.on('message', (read: HeaderRead | typeof WORKER_READY) => {
      if (read === WORKER_READY) {
        slot.ready = true;
        pump();
        return;
      }
      slot.inFlight.shift()?.resolve(read);
      armTimer(slot);
      pump();
    });
    // A crash (out of memory, an exception the reader did not catch) rejects the file it was on.
    worker.on('error', (error: Error & { code?: string }) =>
      replace(slot, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'could not be parsed within the memory limit' : 'the header reader failed on this file'),
    );
    worker.on('exit', () => {
      if (!closed && slots.includes(slot)) replace(slot, 'the header reader stopped while reading this file');
    });
    // Idle until files come: pump() holds the process only while there is work.
    worker.unref();
    return slot;
  }

  function armTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = slot.inFlight.length > 0 ? setTimeout(() => replace(slot, `took longer than ${timeoutMs / 1000} s to parse`), timeoutMs) : null;
  }

  /** The oldest file in flight is the one the worker was on: reject it, requeue the others. */
  function replace(slot: Slot, reason: string): void {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    if (slot.timer) clearTimeout(slot.timer);
    const [culprit, ...rest] = slot.inFlight;
    slot.inFlight = [];
    slots.splice(index, 1);
    void slot.worker.terminate();
    culprit?.resolve({ kind: 'rejected', reason, bytesRead: 0 });
    queue.unshift(...rest);
    if (!closed) slots.push(spawn());
    pump();
  }

  function pump(): void {
    for (const slot of slots) {
      while (slot.ready && slot.inFlight.length < IN_FLIGHT_PER_WORKER && queue.length > 0) {
        const job = queue.shift()!;
        slot.inFlight.push(job);
        slot.worker.postMessage(job.path);
        if (slot.inFlight.length === 1) armTimer(slot);
      }
    }
    holdProcessWhileBusy();
  }

  /**
   * Files waiting on a worker that is still starting have no timer armed:
   * were the workers unreferenced then, a caller with nothing else pending
   * (a script, the bench) would see the event loop empty and Node exit with
   * code 13. An idle pool left open still holds nothing.
   */
  function holdProcessWhileBusy(): void {
    const busy = queue.length > 0 || slots.some((slot) => slot.inFlight.length > 0);
    for (const slot of slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  for (let index = 0; index < size; index += 1) slots.push(spawn());

  return {
    read(path) {
      if (closed) return Promise.reject(new Error('the header pool is closed'));
      return new Promise((resolve) => {
        queue.push({ path, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const slot of slots.splice(0)) {
        if (slot.timer) clearTimeout(slot.timer);
        await slot.worker.terminate();
      }
    },
  };
}
