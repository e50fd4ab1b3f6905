// Assisted detection in the reading room, the pure part: the subtraction's
// colour windows (in units of its own noise) and how a slice of it is
// coloured, the overlay's opacities, and the way through a read's candidates.
// No DOM and no Cornerstone here, so tests read it in Node.
import type { CandidateView } from '../../../shared/contract';
import { add, scale, type Vec3 } from '../../../shared/vector';

export type SubtractionWindowId = 'subtle' | 'standard' | 'strong';

/** The subtraction overlay's windows: a change of `noise` times the result's noise shows in full colour. */
export const SUBTRACTION_WINDOWS: readonly { id: SubtractionWindowId; noise: number; label: string }[] = [
  { id: 'subtle', noise: 3, label: 'subtle' },
  { id: 'standard', noise: 6, label: 'standard' },
  { id: 'strong', noise: 12, label: 'strong' },
];

export function subtractionWindow(id: SubtractionWindowId): { id: SubtractionWindowId; noise: number; label: string } {
  return SUBTRACTION_WINDOWS.find((item) => item.id === id)!;
}

/** The overlay's opacities, stepped through by one key. */
export const OVERLAY_OPACITIES = [0.25, 0.5, 0.75, 1] as const;

export function nextOpacity(opacity: number): number {
  return OVERLAY_OPACITIES.find((step) => step > opacity + 1e-6) ?? OVERLAY_OPACITIES[0];
}

/**
 * Below this share of the window a change shows no colour at all: noise
 * covers the whole image at a fraction of the window, and a veil of speckle
 * over the anatomy would hide more than it shows.
 */
const FLOOR = 1 / 3;

/**
 * One slice of the difference as RGBA pixels: an increase (current brighter
 * than the aligned comparator: a new or growing lesion) warm, from orange to
 * yellow; a decrease cool, from blue to cyan; its opacity growing from
 * nothing at a third of the window to `opacity` at the window.
 * `stored` are the file's values, real value = stored x slope + intercept.
 */
export function colourDifference(stored: ArrayLike<number>, slope: number, intercept: number, window: number, opacity: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(stored.length * 4);
  if (!(window > 0)) return rgba;
  for (let index = 0; index < stored.length; index += 1) {
    const value = stored[index]! * slope + intercept;
    const strength = Math.min(1, Math.abs(value) / window);
    if (strength <= FLOOR) continue;
    const ramp = (strength - FLOOR) / (1 - FLOOR);
    const at = index * 4;
    if (value > 0) {
      rgba[at] = 255;
      rgba[at + 1] = 96 + 159 * ramp;
      rgba[at + 2] = 0;
    } else {
      rgba[at] = 0;
      rgba[at + 1] = 96 + 159 * ramp;
      rgba[at + 2] = 255;
    }
    rgba[at + 3] = 255 * opacity * ramp;
  }
  return rgba;
}

/** Where a candidate is shown and gone to: the middle of its diameter, which lies on its slice (its centre, weighted through the change's depth, may not). */
export function candidateSpot(candidate: Pick<CandidateView, 'diameter'>): Vec3 {
  return scale(add(candidate.diameter[0], candidate.diameter[1]), 0.5);
}

/** How a candidate's kind reads in the list: a question, since a candidate is a suggestion. */
export function candidateKind(candidate: Pick<CandidateView, 'kind' | 'lesionLabel'>): string {
  return candidate.kind === 'new' ? 'new?' : `enlarging?${candidate.lesionLabel ? ` (${candidate.lesionLabel})` : ''}`;
}

export const CANDIDATE_STATUS_WORDS: Readonly<Record<CandidateView['status'], string>> = {
  unreviewed: 'unreviewed',
  confirmed: 'confirmed',
  dismissed: 'dismissed',
  marked: 'already marked',
};

/**
 * The next (or previous) unreviewed candidate from the one selected, in the
 * list's order (slice order), round the end; from no selection, the first
 * one forward or the last one back. Null when none is left.
 */
export function unreviewedStep(candidates: readonly CandidateView[], selectedId: string | null, direction: 1 | -1): CandidateView | null {
  const count = candidates.length;
  const at = candidates.findIndex((candidate) => candidate.id === selectedId);
  for (let step = 1; step <= count; step += 1) {
    const index = at < 0 ? (direction === 1 ? step - 1 : count - step) : (((at + direction * step) % count) + count) % count;
    if (candidates[index]!.status === 'unreviewed') return candidates[index]!;
  }
  return null;
}
