// The reading room's server data, through the query cache: each hook asks
// for one thing under its key (queries.ts), and the writes put back what
// main answered, or invalidate exactly the queries they changed.
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type Alignment, type CandidateList, type LesionChange, type LesionView, type ParticipantAdjudication, type ReaderView, type ReadingDesign, type SubtractionView, type Transform, readsBlinded } from '../../../shared/contract';
import type { Region } from '../../../shared/protocol';
import { client } from '../api';
import { errorMessage } from '../format';
import { type ReadKey, queryClient, queryKeys } from '../queries';
import { changeSaid } from './lesion-labels';
import { useReading } from './reading-store';

export const useWorkspace = () => useQuery({ queryKey: queryKeys.workspace, queryFn: () => client.workspace({}) });
export const useReaders = () => useQuery({ queryKey: queryKeys.readers, queryFn: () => client.listReaders({}) });
export const useWorklist = () => useQuery({ queryKey: queryKeys.worklist, queryFn: () => client.worklist({}) });
export const useCharter = () => useQuery({ queryKey: queryKeys.charter, queryFn: () => client.charter({}) });
export const useReadingDesign = () => useQuery({ queryKey: queryKeys.readingDesign, queryFn: () => client.readingDesign({}) });

/** A reader of a blinded double-read trial: main answers them blinded, and the app shows them the worklist and the reading room only. */
export const isBlindedReader = (design: ReadingDesign | undefined, reader: ReaderView | null) => design !== undefined && readsBlinded(design, reader?.role);
export const useSeriesList = () => useQuery({ queryKey: queryKeys.seriesList, queryFn: () => client.listSeries({}) });
export const useLesions = (participantId: number, enabled = true) => useQuery({ queryKey: queryKeys.lesions(participantId), queryFn: () => client.listLesions({ participantId }), enabled });
export const useCounts = (participantId: number) => useQuery({ queryKey: queryKeys.counts(participantId), queryFn: () => client.counts({ participantId }) });
export const useSignatures = (read: ReadKey) => useQuery({ queryKey: queryKeys.signatures(read), queryFn: () => client.signatures(read) });
export const useReadingLayout = (readerId: number | null, region: Region) => useQuery({ queryKey: queryKeys.readingLayout(readerId, region), queryFn: () => client.readingLayout({ region }) });
export const useVertebralRuler = (seriesId: number | null) =>
  useQuery({ queryKey: queryKeys.vertebralRuler(seriesId ?? 0), queryFn: () => client.vertebralRuler({ seriesId: seriesId! }), enabled: seriesId !== null });
export const useNerveTraces = (participantId: number, visitCode: string, enabled: boolean) =>
  useQuery({ queryKey: queryKeys.nerveTraces(participantId, visitCode), queryFn: () => client.nerveTraces({ participantId, visitCode }), enabled });

/**
 * Saves a ruler or a trace: main answers with it and how many observations it measured again (unsigned ones) or
 * left as signed; the lesions are asked again when any changed. A refusal is said in the reading room.
 */
export async function saveExtentBasis(read: ReadKey, save: () => Promise<{ remeasured: number; keptSigned: number }>, what: string): Promise<boolean> {
  try {
    const { remeasured, keptSigned } = await save();
    if (remeasured > 0) void queryClient.invalidateQueries({ queryKey: queryKeys.lesions(read.participantId) });
    const again = remeasured > 0 ? ` ${remeasured} lesion${remeasured === 1 ? '' : 's'} measured again with it.` : '';
    const kept = keptSigned > 0 ? ` ${keptSigned} in signed reads kept as signed.` : '';
    useReading.getState().confirm(`${what} saved.${again}${kept}`);
    return true;
  } catch (failure) {
    useReading.getState().say(errorMessage(failure));
    return false;
  }
}

export const useReadiness = (read: ReadKey) => useQuery({ queryKey: queryKeys.readiness(read), queryFn: () => client.readReadiness(read) });

const NO_LESIONS: LesionView[] = [];

/**
 * What the adjudicator of a double read reads in the reading room: where the
 * participant stands, and once both readers have signed every read, both
 * readers' lesions in one list (each with its track). Before that main
 * withholds both tracks, and the lesions are none.
 */
export function useAdjudicatorRoom(participantId: number, enabled: boolean): { standing: ParticipantAdjudication | null; error: unknown; lesions: LesionView[] | undefined } {
  const adjudication = useQuery({ queryKey: queryKeys.adjudication(participantId), queryFn: () => client.adjudication({ participantId }), enabled });
  const standing = adjudication.data?.[0] ?? null;
  // The decision (and with it the disagreements) reaches the adjudicator exactly when both tracks are signed.
  const bothSigned = standing?.disagreements != null;
  const tracks = useQueries({
    queries: (['reader1', 'reader2'] as const).map((track) => ({ queryKey: queryKeys.trackLesions(participantId, track), queryFn: () => client.listLesions({ participantId, track }), enabled: bothSigned })),
  });
  const [first, second] = tracks;
  // One list for as long as neither answer changes: the reading room's memos and commands follow it.
  const lesions = useMemo(() => (!standing ? undefined : !bothSigned ? NO_LESIONS : first?.data && second?.data ? [...first.data, ...second.data] : undefined), [standing, bothSigned, first?.data, second?.data]);
  return { standing, error: adjudication.error ?? first?.error ?? second?.error ?? null, lesions };
}

/** The image listings of several series at once (the panes of a layout), in the order asked. */
export function useSeriesImages(seriesIds: readonly number[]) {
  return useQuery({
    queryKey: ['series', 'images', ...seriesIds],
    queryFn: () => Promise.all(seriesIds.map((seriesId) => queryClient.fetchQuery({ queryKey: queryKeys.seriesImages(seriesId), queryFn: () => client.seriesImages({ seriesId }) }))),
    enabled: seriesIds.length > 0,
  });
}

export interface SeriesPair {
  currentSeriesId: number;
  comparatorSeriesId: number;
}

/** A comparator's alignment to the current series: the stored one, else found now from the images (and stored by main). */
export function alignmentQuery(pair: SeriesPair) {
  return {
    queryKey: queryKeys.alignment(pair.currentSeriesId, pair.comparatorSeriesId),
    queryFn: async (): Promise<Alignment> => (await client.alignment(pair)) ?? client.autoAlign(pair),
  };
}

/** How an alignment is described on its pane. */
export function alignmentNote(query: { isPending: boolean; error: unknown; data: Alignment | undefined }, realigning: boolean): string {
  if (query.isPending || realigning) return 'aligning…';
  if (query.error || !query.data) return `not aligned: ${errorMessage(query.error)}`;
  return query.data.source === 'manual' ? 'aligned by hand' : `aligned automatically (${(query.data.score ?? 0).toFixed(2)})`;
}

/** Saves a comparator's alignment moved by hand; the pane shows the move at once. */
export function useSaveAlignment() {
  return useMutation({
    mutationFn: (change: SeriesPair & { transform: Transform }) => client.saveAlignment(change),
    onMutate: (change) => {
      const key = queryKeys.alignment(change.currentSeriesId, change.comparatorSeriesId);
      queryClient.setQueryData<Alignment>(key, (old) => (old ? { ...old, transform: change.transform, source: 'manual' } : old));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.alignment(saved.currentSeriesId, saved.comparatorSeriesId), saved);
      subtractionOutdated(saved);
    },
    onError: (failure) => useReading.getState().say(`The alignment was not saved: ${errorMessage(failure)}`),
  });
}

/** Finds a comparator's alignment again from the images. */
export function useRealign() {
  return useMutation({
    mutationFn: (pair: SeriesPair) => client.autoAlign(pair),
    onSuccess: (found) => {
      queryClient.setQueryData(queryKeys.alignment(found.currentSeriesId, found.comparatorSeriesId), found);
      subtractionOutdated(found);
    },
    onError: (failure) => useReading.getState().say(errorMessage(failure)),
  });
}

/** A new alignment of a pair makes its subtraction another one: asked again, it is pending until computed. */
function subtractionOutdated(pair: SeriesPair): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.subtraction(pair.currentSeriesId, pair.comparatorSeriesId) });
}

/** How often a reading room waiting for a subtraction asks for it again. */
const SUBTRACTION_POLL_MS = 1000;

/** A pair's aligned subtraction: asking is what starts it, and asking again is how the reading room waits for it. */
export function useSubtraction(pair: SeriesPair | null) {
  return useQuery({
    queryKey: queryKeys.subtraction(pair?.currentSeriesId ?? 0, pair?.comparatorSeriesId ?? 0),
    queryFn: () => client.subtraction(pair!),
    enabled: pair !== null,
    refetchInterval: (query) => (query.state.data?.state === 'pending' ? SUBTRACTION_POLL_MS : false),
  });
}

/** A read's candidates in a ready subtraction of its pair. */
export function useCandidates(read: ReadKey, pair: SeriesPair | null, subtraction: SubtractionView | null) {
  const resultId = subtraction?.state === 'ready' ? subtraction.resultId : null;
  return useQuery({
    queryKey: [...queryKeys.candidates(read), resultId],
    queryFn: () => client.candidates({ ...read, ...pair! }),
    enabled: pair !== null && resultId !== null,
  });
}

/**
 * A lesion change main answered with: the participant's lesions, counts and
 * the read's readiness as they now are replace the cached ones; the worklist
 * is out of date. The lesion is selected and the change said back.
 */
function lesionChanged(read: ReadKey, answer: LesionChange): void {
  queryClient.setQueryData(queryKeys.lesions(read.participantId), answer.lesions);
  queryClient.setQueryData(queryKeys.counts(read.participantId), answer.counts);
  queryClient.setQueryData(queryKeys.readiness(read), answer.readiness);
  // The worklist shows this read's state, reader and count: fetched again when it is next shown, not once per mark here.
  void queryClient.invalidateQueries({ queryKey: queryKeys.worklist, refetchType: 'none' });
  useReading.getState().select(answer.lesion.id);
  useReading.getState().confirm(changeSaid(answer.lesion, read.visitCode));
}

/**
 * A change to the lesions of a read, in one request (lesionChanged). A lesion
 * drawn where a candidate lies makes it "already marked": the read's
 * candidates are asked again. A refusal changed nothing, and is said in the
 * reading room. Answers whether the change was made.
 */
export async function changeLesions(read: ReadKey, change: () => Promise<LesionChange>): Promise<boolean> {
  try {
    lesionChanged(read, await change());
    void queryClient.invalidateQueries({ queryKey: queryKeys.candidates(read) });
    return true;
  } catch (failure) {
    useReading.getState().say(errorMessage(failure));
    return false;
  }
}

/**
 * A reader's decision on a candidate: main answers with the read's candidates
 * as they now are (returned, and cached), and for a confirmation the lesion it
 * recorded, exactly as a drawn one (lesionChanged). A refusal (a signed read,
 * an adjudicator) is said in main's words, and answers null.
 */
export async function reviewCandidate(read: ReadKey, pair: SeriesPair, candidateId: string, decision: 'confirm' | 'dismiss'): Promise<CandidateList | null> {
  try {
    const answer = await client.reviewCandidate({ ...read, ...pair, candidateId, decision });
    const list: CandidateList = answer.candidates;
    if (list.subtraction.resultId) queryClient.setQueryData([...queryKeys.candidates(read), list.subtraction.resultId], list);
    if (answer.change) lesionChanged(read, answer.change);
    else useReading.getState().confirm('Candidate dismissed: it is not counted.');
    return list;
  } catch (failure) {
    useReading.getState().say(errorMessage(failure));
    return null;
  }
}

/** A signed call changes where the participant stands, the final track's signatures and the final counts the worklist shows. */
export async function adjudicationCalled(participantId: number): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.adjudication(participantId) }),
    queryClient.invalidateQueries({ queryKey: [...queryKeys.participant(participantId), 'signatures'] }),
    queryClient.invalidateQueries({ queryKey: queryKeys.worklist }),
  ]);
}

/** Signing or unlocking a read changes the participant's signatures and what every read of theirs may do next (comparator first). */
export async function changeSignature(read: ReadKey, change: () => Promise<unknown>): Promise<void> {
  const { say } = useReading.getState();
  try {
    await change();
    say(null);
  } catch (failure) {
    say(errorMessage(failure));
  } finally {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...queryKeys.participant(read.participantId), 'signatures'] }),
      queryClient.invalidateQueries({ queryKey: [...queryKeys.participant(read.participantId), 'readiness'] }),
      queryClient.invalidateQueries({ queryKey: queryKeys.worklist }),
    ]);
  }
}
