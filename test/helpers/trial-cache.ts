// Synthetic trials generated once per `npm test` run and hard-linked into each
// test's folder. Generating the six-participant demo takes a minute or more on
// a loaded machine, and a dozen test files open it. `npm test` names a fresh
// cache folder in LESIONTRACK_TRIAL_CACHE; without it (a single test file run
// by hand) each test generates its own, as the app does. A linked file is the
// cache's own: a test that changes one must replace it (unlink, then write),
// never write into it. They are read-only, which stops any user but root.
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrial, TRUTH_FILE } from '../../main/demo/generate';
import { projectRoot } from './paths';

const CACHE_VARIABLE = 'LESIONTRACK_TRIAL_CACHE';
const workerFile = join(projectRoot, 'dist', 'main', 'demo-worker.js');
const pending = new Map<string, Promise<string>>();

function freeze(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) freeze(path);
    else chmodSync(path, 0o444);
  }
}

/** Generates the trial into the cache unless a test file in another process already has; both may race, one wins the rename. */
async function cachedFolder(cache: string, subjects: number, seed: string): Promise<string> {
  const folder = join(cache, `${subjects}-${encodeURIComponent(seed)}`);
  if (existsSync(join(folder, TRUTH_FILE))) return folder;
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, 'generating-'));
  await generateTrial({ out: scratch, subjects, seed, workerFile });
  freeze(scratch);
  try {
    renameSync(scratch, folder);
  } catch (error) {
    if (!existsSync(join(folder, TRUTH_FILE))) throw error;
    rmSync(scratch, { recursive: true, force: true });
  }
  return folder;
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name));
    else linkSync(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * Puts the synthetic trial of this size and seed into `out` (absent or empty),
 * linked from this run's cache, or generated there when no cache is set.
 */
export async function provideTrial(out: string, subjects: number, seed: string): Promise<void> {
  const cache = process.env[CACHE_VARIABLE];
  if (!cache) {
    await generateTrial({ out, subjects, seed, workerFile });
    return;
  }
  const key = `${subjects}/${seed}`;
  if (!pending.has(key)) pending.set(key, cachedFolder(cache, subjects, seed));
  linkTree(await pending.get(key)!, out);
}
