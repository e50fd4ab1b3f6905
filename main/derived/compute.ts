// One subtraction, as the worker runs it (main/alignment/align.ts runImageJob):
// reads both series, subtracts the comparator through the alignment
// (shared/subtraction.ts), writes the derived images to the cache file and
// gives back what the store keeps: the noise and the changes.
import type { Change } from '../../shared/subtraction';
import { subtract } from '../../shared/subtraction';
import type { RigidMotion } from '../../shared/vector';
import { readVolume, type SliceFile, VolumeError } from '../alignment/volume';
import { writeCache } from './cache';

export interface SubtractionJob {
  kind: 'subtract';
  resultId: string;
  current: SliceFile[];
  comparator: SliceFile[];
  /** The stored alignment: current -> comparator patient coordinates. */
  transform: RigidMotion;
  minLesionSizeMm: number;
  cacheFile: string;
}

export type SubtractionOutcome = { ok: true; noise: number; slices: number; changes: Change[] } | { ok: false; message: string };

export function subtractionOutcome(job: SubtractionJob): SubtractionOutcome {
  let result: ReturnType<typeof subtract>;
  try {
    result = subtract(readVolume(job.current), readVolume(job.comparator), job.transform, { minLesionSizeMm: job.minLesionSizeMm });
  } catch (error) {
    return { ok: false, message: error instanceof VolumeError ? error.message : 'The images could not be read for subtraction.' };
  }
  const [columns, rows, slices] = result.grid.dims;
  try {
    writeCache(job.cacheFile, { resultId: job.resultId, columns, rows, slices, comparator: result.comparator, difference: result.difference, noise: result.noise });
  } catch {
    // No path in the message: it may name the user's folders.
    return { ok: false, message: 'The subtraction could not be saved beside the data store (is the disk full or read-only?).' };
  }
  return { ok: true, noise: result.noise, slices, changes: result.changes };
}
