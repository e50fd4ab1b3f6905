// `generateTrial`: writes a synthetic NMOSD trial as DICOM (a study per
// participant and visit with brain, spine and orbit series and a localizer)
// plus truth.json, the expected answers. Used by `lesiontrack demo`, the
// app's "Open demo trial", the tests and the benchmarks.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { designSeedOf, type Difficulty, MAX_SUBJECTS, patientIdOf, VISITS } from '../../shared/synthetic/design';
import { STUDY_PROTOCOL } from '../../shared/synthetic/series';
import { participantTruths, TRUTH_SCHEMA, trialTruth } from '../../shared/synthetic/truth';
import { type SeriesJob, type SeriesWritten, writeSeries } from './series-writer';

export const DEFAULT_SUBJECTS = 12;
export const DEFAULT_SEED = '1';
export const TRUTH_FILE = 'truth.json';

export interface GenerateProgress {
  seriesDone: number;
  seriesTotal: number;
  filesWritten: number;
  subject: string;
  visit: string;
  series: string;
}

export interface GenerateTrialOptions {
  /** Folder to write into: created if missing; must be empty or hold a previous demo trial (which is replaced). */
  out: string;
  subjects?: number;
  /** Any text or number; the same seed gives byte-identical files. */
  seed?: string | number;
  /** standard (the default) or hard: small lesions, growth just past the enlarging rules, more motion (shared/synthetic/design.ts). */
  difficulty?: Difficulty;
  onProgress?: (progress: GenerateProgress) => void;
  /** The built demo worker (dist/main/demo-worker.js): with it, series are written by worker threads. */
  workerFile?: string;
  /** Worker threads (default: the machine's parallelism, at most 4). */
  threads?: number;
  signal?: AbortSignal;
}

export interface GenerateTrialResult {
  out: string;
  truthPath: string;
  seed: string;
  difficulty: Difficulty;
  subjects: number;
  studies: number;
  series: number;
  files: number;
  bytes: number;
  threads: number;
  elapsedMs: number;
}

export async function generateTrial(options: GenerateTrialOptions): Promise<GenerateTrialResult> {
  const started = performance.now();
  const subjects = options.subjects ?? DEFAULT_SUBJECTS;
  if (!Number.isInteger(subjects) || subjects < 1 || subjects > MAX_SUBJECTS) throw new RangeError(`The number of subjects must be a whole number from 1 to ${MAX_SUBJECTS}.`);
  const seed = String(options.seed ?? DEFAULT_SEED);
  if (seed.length === 0 || seed.length > 200) throw new RangeError('The seed must be 1 to 200 characters.');
  const difficulty = options.difficulty ?? 'standard';
  const designSeed = designSeedOf(seed, difficulty);
  const out = resolve(options.out);
  prepareFolder(out);

  const jobs: SeriesJob[] = [];
  for (let participantIndex = 0; participantIndex < subjects; participantIndex += 1) {
    for (let visitIndex = 0; visitIndex < VISITS.length; visitIndex += 1) {
      for (let seriesIndex = 0; seriesIndex < STUDY_PROTOCOL.length; seriesIndex += 1) jobs.push({ out, seed: designSeed, difficulty, participantIndex, visitIndex, seriesIndex });
    }
  }
  let files = 0;
  let bytes = 0;
  let done = 0;
  const report = (job: SeriesJob, written: SeriesWritten) => {
    files += written.files;
    bytes += written.bytes;
    done += 1;
    options.onProgress?.({
      seriesDone: done,
      seriesTotal: jobs.length,
      filesWritten: files,
      subject: String(job.participantIndex + 1).padStart(3, '0'),
      visit: VISITS[job.visitIndex]!.code,
      series: STUDY_PROTOCOL[job.seriesIndex]!.description,
    });
  };

  const useWorkers = options.workerFile !== undefined && existsSync(options.workerFile);
  const threads = useWorkers ? Math.max(1, Math.min(options.threads ?? Math.min(4, availableParallelism()), jobs.length)) : 1;
  try {
    if (useWorkers) await runInWorkers(options.workerFile!, threads, jobs, report, options.signal);
    else {
      for (const job of jobs) {
        options.signal?.throwIfAborted();
        report(job, writeSeries(job));
        // Let the event loop breathe between series (the app stays responsive).
        await new Promise<void>((resolveTick) => setImmediate(resolveTick));
      }
    }
  } catch (error) {
    // Cancelled or failed: leave no half-written trial behind (the folder held nothing else, see prepareFolder).
    for (let index = 0; index < subjects; index += 1) rmSync(join(out, patientIdOf(index)), { recursive: true, force: true });
    throw error;
  }

  const truths = participantTruths(seed, difficulty, subjects);
  const truthPath = join(out, TRUTH_FILE);
  const truthText = `${JSON.stringify({ ...trialTruth(seed, truths), difficulty }, null, 1)}\n`;
  writeFileSync(truthPath, truthText);
  return { out, truthPath, seed, difficulty, subjects, studies: subjects * VISITS.length, series: jobs.length, files, bytes, threads, elapsedMs: performance.now() - started };
}

/**
 * An output folder must be new, empty, or a previous demo trial: then the
 * participant folders its truth.json names, and truth.json, are removed
 * first. Anything else is refused, so nobody's data is ever overwritten.
 */
function prepareFolder(out: string): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  if (!statSync(out).isDirectory()) throw new Error(`${out} is not a folder.`);
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const previous = readPreviousTruth(join(out, TRUTH_FILE));
  if (previous === null) throw new Error(`${out} is not empty and does not hold a previous demo trial: choose an empty or new folder.`);
  const ours = new Set(previous);
  const foreign = entries.filter((entry) => entry !== TRUTH_FILE && !ours.has(entry));
  if (foreign.length > 0) throw new Error(`${out} holds files that are not part of the previous demo trial (${foreign.slice(0, 3).join(', ')}): choose an empty or new folder.`);
  for (const patientId of ours) rmSync(join(out, patientId), { recursive: true, force: true });
  rmSync(join(out, TRUTH_FILE), { force: true });
}

/** The participant folders a previous truth.json names, or null when the file is not ours. */
function readPreviousTruth(path: string): string[] | null {
  try {
    const truth = JSON.parse(readFileSync(path, 'utf8')) as { schema?: unknown; participants?: { patientId?: unknown }[] };
    if (truth.schema !== TRUTH_SCHEMA || !Array.isArray(truth.participants)) return null;
    const folders = truth.participants.map((participant) => participant.patientId);
    if (!folders.every((folder): folder is string => typeof folder === 'string' && /^NMO-\d{3}$/.test(folder))) return null;
    // A participant's folder is named by its PatientID (see shared/synthetic/naming.ts).
    return folders;
  } catch {
    return null;
  }
}

type Answer = { ok: true; written: SeriesWritten } | { ok: false; error: string };

async function runInWorkers(workerFile: string, threads: number, jobs: SeriesJob[], report: (job: SeriesJob, written: SeriesWritten) => void, signal?: AbortSignal): Promise<void> {
  const workers = Array.from({ length: threads }, () => new Worker(workerFile));
  let next = 0;
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let active = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        rejectAll(error);
      };
      const onAbort = () => fail(new Error('Generation cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (worker: Worker) => {
        if (failed) return;
        if (signal?.aborted) return fail(new Error('Generation cancelled.'));
        if (next >= jobs.length) {
          if (active === 0) {
            signal?.removeEventListener('abort', onAbort);
            resolveAll();
          }
          return;
        }
        const job = jobs[next]!;
        next += 1;
        active += 1;
        worker.once('message', (answer: Answer) => {
          active -= 1;
          if (!answer.ok) return fail(new Error(answer.error));
          report(job, answer.written);
          feed(worker);
        });
        worker.postMessage(job);
      };
      for (const worker of workers) {
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new Error(`a generator thread stopped (exit code ${code})`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
