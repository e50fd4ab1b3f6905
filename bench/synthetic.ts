// Benchmarks of the synthetic-trial generator, and the synthetic trials
// other benchmarks load (import, counting, export at 12 or 100 participants).
// Each figure sits beside a floor measured in the same run: writing the same
// number of files of the same sizes with fs.writeFileSync.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateTrial, TRUTH_FILE, type GenerateTrialResult } from '../main/demo/generate';

import { type Result, round } from './report';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The built worker (scripts/build.mjs entry "demo-worker"); without it the generator runs on one thread. */
export const DEMO_WORKER = join(root, 'dist', 'main', 'demo-worker.js');

function filesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

/** Writes files of the given sizes (same count, same bytes) as fast as fs allows: the floor for the generator. */
function writeFloor(folder: string, sizes: readonly number[]): number {
  const largest = Math.max(...sizes);
  const payload = Buffer.alloc(largest, 7);
  const start = performance.now();
  sizes.forEach((size, index) => {
    const subfolder = join(folder, `S${Math.floor(index / 100)}`);
    if (index % 100 === 0) mkdirSync(subfolder, { recursive: true });
    writeFileSync(join(subfolder, `F${index}`), payload.subarray(0, size));
  });
  return performance.now() - start;
}

/**
 * Times a 12-participant demo trial (as `lesiontrack demo` writes it) and
 * the same files written raw. Emits seconds, files/s and MB/s.
 */
export async function benchSyntheticTrial(emit: (result: Result) => void, options: { subjects?: number; seed?: string; workerFile?: string } = {}): Promise<GenerateTrialResult> {
  const subjects = options.subjects ?? 12;
  const workerFile = options.workerFile ?? (existsSync(DEMO_WORKER) ? DEMO_WORKER : undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'lesiontrack-bench-synthetic-'));
  try {
    const result = await generateTrial({ out: join(scratch, 'trial'), subjects, seed: options.seed ?? '1', workerFile });
    const files = filesUnder(join(scratch, 'trial')).filter((file) => !file.endsWith(TRUTH_FILE));
    const sizes = files.map((file) => statSync(file).size);
    const floorMs = writeFloor(join(scratch, 'floor'), sizes);
    const seconds = result.elapsedMs / 1000;
    const floorSeconds = floorMs / 1000;
    const megabytes = result.bytes / 1e6;
    const name = `synthetic-trial-${subjects}`;
    const threads = `${result.threads} thread${result.threads === 1 ? '' : 's'}`;
    emit({ case: name, metric: `generate ${subjects}-participant demo trial (${result.files} files, ${threads})`, unit: 's', value: round(seconds, 2), peer: 'fs.writeFileSync of the same file sizes', peer_value: round(floorSeconds, 2), ratio: round(seconds / floorSeconds, 2) });
    emit({ case: name, metric: 'files written', unit: 'files/s', value: round(result.files / seconds), peer: 'fs.writeFileSync of the same file sizes', peer_value: round(result.files / floorSeconds), ratio: round(floorSeconds / seconds, 3) });
    emit({ case: name, metric: 'bytes written', unit: 'MB/s', value: round(megabytes / seconds), peer: 'fs.writeFileSync of the same file sizes', peer_value: round(megabytes / floorSeconds), ratio: round(floorSeconds / seconds, 3) });
    emit({ case: name, metric: 'trial size on disk (DICOM only)', unit: 'MB', value: round(megabytes) });
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The generator's version: a digest of every file it is built from (the
 * generator and its worker thread, with all they import, packages included),
 * so that any change to what it writes also changes the version.
 */
async function generatorVersion(): Promise<string> {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ['main/demo/generate.ts', 'main/demo/worker.ts'],
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    outdir: 'unwritten',
    logLevel: 'silent',
  });
  const digest = createHash('sha256');
  for (const input of Object.keys(metafile.inputs).sort()) digest.update(input).update(readFileSync(join(root, input)));
  return digest.digest('hex');
}

/**
 * A synthetic trial for load benchmarks (import, counting, export), e.g. 100
 * participants. Generated once per (subjects, seed, generator version) into
 * the system's temp folder and reused while its truth.json is intact; the
 * version is kept in a file beside the folder. Returns the folder.
 */
export async function syntheticTrialFolder(subjects: number, seed = 'bench', workerFile: string | undefined = existsSync(DEMO_WORKER) ? DEMO_WORKER : undefined): Promise<string> {
  const folder = join(tmpdir(), `lesiontrack-synthetic-${subjects}-${seed.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  const versionFile = `${folder}.generator-version`;
  const version = await generatorVersion();
  try {
    const previous = JSON.parse(readFileSync(join(folder, TRUTH_FILE), 'utf8')) as { seed?: unknown; subjects?: unknown };
    if (previous.seed === seed && previous.subjects === subjects && readFileSync(versionFile, 'utf8') === version) return folder;
  } catch {
    // Not there yet (or damaged, or from before versions were kept): generate it.
  }
  rmSync(versionFile, { force: true });
  rmSync(folder, { recursive: true, force: true });
  await generateTrial({ out: folder, subjects, seed, workerFile });
  writeFileSync(versionFile, version);
  return folder;
}
