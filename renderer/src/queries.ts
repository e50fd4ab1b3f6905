// Server data in the renderer: every request's answer cached by TanStack
// Query under a key that says what it is about, so a screen asks for what it
// shows and a change invalidates (or replaces) exactly what it changed. Keys
// start with what they belong to: everything of one participant sits under
// ['participant', id], so a signature can refresh all of that participant's reads.
import { QueryClient } from '@tanstack/react-query';
import type { Track } from '../../shared/contract';
import type { Region } from '../../shared/protocol';

export interface ReadKey {
  participantId: number;
  visitCode: string;
  region: Region;
}

export const queryClient = new QueryClient({
  defaultOptions: {
    // A screen that opens shows what is cached and asks again (other screens and the command line change the store too);
    // while it is open, its own changes update the cache. No refetch on focus, no retry of a refusal.
    queries: { refetchOnWindowFocus: false, retry: false },
  },
});

export const queryKeys = {
  workspace: ['workspace'] as const,
  readers: ['readers'] as const,
  worklist: ['worklist'] as const,
  charter: ['charter'] as const,
  readingDesign: ['reading-design'] as const,
  seriesList: ['series'] as const,
  participant: (participantId: number) => ['participant', participantId] as const,
  lesions: (participantId: number) => ['participant', participantId, 'lesions'] as const,
  /** A reader's track as the adjudicator sees it (the session's own track is `lesions`). */
  trackLesions: (participantId: number, track: Track) => ['participant', participantId, 'track', track, 'lesions'] as const,
  adjudication: (participantId: number) => ['participant', participantId, 'adjudication'] as const,
  counts: (participantId: number) => ['participant', participantId, 'counts'] as const,
  signatures: (read: ReadKey) => ['participant', read.participantId, 'signatures', read.visitCode, read.region] as const,
  readiness: (read: ReadKey) => ['participant', read.participantId, 'readiness', read.visitCode, read.region] as const,
  readingLayout: (readerId: number | null, region: Region) => ['reading-layout', readerId, region] as const,
  seriesImages: (seriesId: number) => ['series', seriesId, 'images'] as const,
  /** The vertebral ruler of a cord series in the session's track. */
  vertebralRuler: (seriesId: number) => ['series', seriesId, 'vertebral-ruler'] as const,
  nerveTraces: (participantId: number, visitCode: string) => ['participant', participantId, 'nerve-traces', visitCode] as const,
  thumbnail: (seriesId: number) => ['series', seriesId, 'thumbnail'] as const,
  alignment: (currentSeriesId: number, comparatorSeriesId: number) => ['alignment', currentSeriesId, comparatorSeriesId] as const,
  /** A pair's aligned subtraction: it follows the pair's alignment, so it sits beside it. */
  subtraction: (currentSeriesId: number, comparatorSeriesId: number) => ['alignment', currentSeriesId, comparatorSeriesId, 'subtraction'] as const,
  /** A read's candidates (each subtraction result's under its id after this): a lesion drawn in the read can change their statuses. */
  candidates: (read: ReadKey) => ['participant', read.participantId, 'candidates', read.visitCode, read.region] as const,
};
