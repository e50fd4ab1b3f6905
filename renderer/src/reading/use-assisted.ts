// Assisted detection for the read open: its pair's subtraction (asked for,
// and asked again while it is computed), the read's candidates, and what the
// panes show of them: the comparator resampled into the current grid while
// the reader wants it and the result is ready on the alignment the panes
// use, the subtraction overlay, and the notes that say which is which.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Alignment, CandidateList, SubtractionView } from '../../../shared/contract';
import { derivedImageIdsFor } from '../api';
import { errorMessage } from '../format';
import type { ReadKey } from '../queries';
import type { SubtractionShown } from './AssistLayers';
import { subtractionWindow } from './assisted';
import { type SeriesPair, useCandidates, useSubtraction } from './reading-queries';
import { useReading } from './reading-store';

export interface AssistedReading {
  /** The result, once it is ready on the alignment the panes use; null before (or without a comparator). */
  ready: SubtractionView | null;
  /** Where the subtraction stands: said in the side panel. */
  state: 'none' | 'pending' | 'ready' | 'failed';
  /** Why there is none, when it failed. */
  failure: string | null;
  candidates: CandidateList | null;
  /** The comparator's derived slices while the aligned view shows, in place of its own images. */
  resampled: readonly string[] | null;
  /** The subtraction over the current pane, while the reader shows it. */
  overlay: SubtractionShown | null;
  comparatorNote: string | null;
  currentNote: string | null;
}

/**
 * `alignment` is the pair's alignment as the panes use it: a result computed
 * on another (older) alignment is not shown, and the pair is as good as
 * pending until its subtraction follows.
 */
export function useAssistedReading(read: ReadKey, pair: SeriesPair | null, alignment: Alignment | undefined, store: string | undefined): AssistedReading {
  const { aligned, subtraction: wanted } = useReading(useShallow((state) => ({ aligned: state.aligned, subtraction: state.subtraction })));
  const query = useSubtraction(pair);
  const view = query.data;
  const ready = view?.state === 'ready' && view.resultId && alignment && view.alignmentSavedAt === alignment.savedAt ? view : null;
  const candidates = useCandidates(read, pair, ready);
  const failure = query.error ? errorMessage(query.error) : view?.state === 'failed' ? (view.message ?? 'the subtraction could not be computed.') : null;
  const state = pair === null ? 'none' : failure !== null ? 'failed' : ready ? 'ready' : 'pending';
  const resultId = ready?.resultId ?? null;
  const slices = ready?.slices ?? 0;
  const comparatorIds = useMemo(() => (store && resultId ? derivedImageIdsFor(store, resultId, 'comparator', slices) : null), [store, resultId, slices]);
  const differenceIds = useMemo(() => (store && resultId ? derivedImageIdsFor(store, resultId, 'difference', slices) : null), [store, resultId, slices]);
  const window = subtractionWindow(wanted.window);
  const noise = ready?.noise ?? null;
  const overlay = useMemo(
    () => (wanted.shown && differenceIds && noise !== null ? { imageIds: differenceIds, window: window.noise * noise, opacity: wanted.opacity } : null),
    [wanted.shown, differenceIds, noise, window.noise, wanted.opacity],
  );
  const waiting = 'computing the aligned subtraction…';
  return {
    ready,
    state,
    failure,
    candidates: ready ? (candidates.data ?? null) : null,
    resampled: aligned ? comparatorIds : null,
    overlay,
    comparatorNote: state === 'failed' ? `no aligned view: ${failure}` : state === 'pending' ? waiting : aligned && comparatorIds ? 'aligned (resampled)' : null,
    currentNote: !wanted.shown || state === 'none' ? null : state === 'failed' ? `no subtraction: ${failure}` : state === 'pending' ? waiting : `subtraction ${window.label} ±${window.noise}σ: orange brighter, blue darker`,
  };
}
