// Words for findings and statuses as a reader reads them, keyed by the contract's kinds.
import type { FindingInput, LesionStatus, LesionView, ObservationView, Track } from '../../../shared/contract';

/** The two readers of a double read, as the adjudicator tells their marks apart. */
export const READER_TAG = { reader1: 'R1', reader2: 'R2' } as const;
export type ReaderTrack = keyof typeof READER_TAG;
export const isReaderTrack = (track: Track): track is ReaderTrack => track in READER_TAG;

/** A reader's lesion as the adjudicator names it beside the other reader's: "R1 B1", "R2 B1". */
export const readerLabel = (track: ReaderTrack, label: string) => `${READER_TAG[track]} ${label}`;

const READ_LABEL: Readonly<Record<FindingInput['kind'], string>> = {
  measured: 'measured',
  resolved: 'resolved',
  not_evaluable: 'not evaluable',
  merged: 'merged',
};

const STATUS_WORD: Readonly<Record<LesionStatus, string>> = {
  new: 'new',
  enlarging: 'enlarging',
  stable: 'stable',
  shrinking: 'shrinking',
  resolved: 'resolved',
  not_evaluable: 'not evaluable',
  merged: 'merged',
};

/** A status as a reader reads it: at a lesion's baseline (nothing earlier to compare with) "baseline", not "stable". */
function wordFor(status: LesionStatus, atBaseline: boolean): string {
  return atBaseline ? 'baseline' : STATUS_WORD[status];
}

/** A lesion's status at a visit, as recorded (an override is the reader's word, never "baseline"). */
function statusWord(observation: ObservationView): string {
  if (observation.finalStatus === null) return '';
  return wordFor(observation.finalStatus, observation.override === null && observation.suggestion?.comparatorVisit === null);
}

/** The status the charter suggests. */
export function suggestionWord(suggestion: NonNullable<ObservationView['suggestion']>): string {
  return wordFor(suggestion.status, suggestion.comparatorVisit === null);
}

/** What was seen of a lesion at a visit and its status, without saying a word twice ("resolved", not "resolved resolved"). */
export function findingWords(observation: ObservationView, unit = ''): string[] {
  const finding = observation.finding.kind === 'measured' ? `${observation.finding.longestDiameterMm.toFixed(1)}${unit}` : READ_LABEL[observation.finding.kind];
  const status = statusWord(observation);
  return status && status !== finding ? [finding, status] : [finding];
}

/** What a change left recorded for a lesion at a visit, said back to the reader at once. */
export function changeSaid(lesion: LesionView, visitCode: string): string {
  const here = lesion.observations.find((observation) => observation.visitCode === visitCode);
  if (!here) return `Saved: ${lesion.label}.`;
  return `Saved: ${lesion.label} at ${visitCode}, ${findingWords(here, ' mm').join(', ')}${here.override ? ' (overridden)' : ''}.`;
}
