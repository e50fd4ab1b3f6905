// Where each read (participant x visit x region) stands on the worklist, as
// pure functions: the state from the read's signature status, what its
// readiness says stands before a signature, and whether it has images; the
// worklist's filters; and the next read to open.
import type { ReadProblemKind, ReadState, ReadStatus } from './contract/common';

export type { ReadState } from './contract/common';

export interface ReadFacts {
  /** The worklist cell: series present, none, or images waiting for a reader to place them. */
  placement: 'present' | 'missing' | 'review';
  status: ReadStatus;
  /** What readiness (main/reads/signoff.ts) says stands before a signature. */
  problems: readonly ReadProblemKind[];
}

/** Problems only a person's decision settles: a lesion known earlier with no finding here, work recorded where there are no images, or two readers the adjudicator decides between. */
const NEEDS_A_DECISION: readonly ReadProblemKind[] = ['unassessed', 'no_images', 'awaiting_adjudication'];

/**
 * The read's state, first rule that applies:
 * - signed: a signature is in force (an amended read, signed again after an unlock, too);
 * - needs_decision: images wait for a reader to say which read they belong to (placement 'review');
 * - missing: no images and nothing recorded;
 * - not_started: images, and nobody has recorded anything or signed it;
 * - needs_decision: work recorded (or unlocked), and the read cannot be signed until the reader
 *   assesses a lesion known earlier or sees to images that are not there, or (a double read) the
 *   adjudicator decides;
 * - awaiting_signature: work recorded (or unlocked), and nothing stands before the signature;
 * - in_progress: work recorded (or unlocked), waiting only for its comparator read to be signed.
 */
export function readState({ placement, status, problems }: ReadFacts): ReadState {
  if (status === 'signed' || status === 'amended') return 'signed';
  if (placement === 'review') return 'needs_decision';
  if (status === 'not_started') return placement === 'missing' ? 'missing' : 'not_started';
  if (problems.some((kind) => NEEDS_A_DECISION.includes(kind))) return 'needs_decision';
  return problems.length === 0 ? 'awaiting_signature' : 'in_progress';
}

/** The worklist's filters: null lets every state, or every reader, through. */
export interface ReadFilter {
  state: ReadState | null;
  reader: string | null;
}

export interface FilteredCell {
  readState: ReadState;
  reader: string | null;
}

export function matchesFilter(cell: FilteredCell, filter: ReadFilter): boolean {
  return (filter.state === null || cell.readState === filter.state) && (filter.reader === null || cell.reader === filter.reader);
}

/**
 * The read "Next read" opens: the first, in row order and then in the cells'
 * order (visit, then region), that has images (so it is not missing), is not
 * signed, and passes the filter; null when there is none.
 */
export function nextRead<Row extends { cells: readonly (FilteredCell & { status: ReadFacts['placement'] })[] }>(rows: readonly Row[], filter: ReadFilter): { row: Row; cell: Row['cells'][number] } | null {
  for (const row of rows) {
    const cell = row.cells.find((item) => item.status === 'present' && item.readState !== 'signed' && matchesFilter(item, filter));
    if (cell) return { row, cell };
  }
  return null;
}

interface OrderedRead {
  participantId: number;
  visitCode: string;
  region: string;
}

/**
 * A blinded reader's next read: the first of their seeded order that is not signed and whose previous scan of
 * the same participant and region (in the worklist's visit order) is signed or has no images, so that it can be
 * signed once read; null when every read is signed.
 */
export function nextBlindedRead<Cell extends { visitCode: string; region: string; status: ReadFacts['placement']; readState: ReadState }>(
  worklist: { visits: readonly { code: string }[]; rows: readonly { participantId: number; cells: readonly Cell[] }[]; readOrder: readonly OrderedRead[] | null },
): OrderedRead | null {
  const cellOf = (read: { participantId: number; visitCode: string; region: string }) =>
    worklist.rows.find((row) => row.participantId === read.participantId)?.cells.find((cell) => cell.visitCode === read.visitCode && cell.region === read.region);
  const open = (worklist.readOrder ?? []).filter((read) => cellOf(read)?.readState !== 'signed');
  const ready = (read: OrderedRead) => {
    const earlier = worklist.visits.slice(0, worklist.visits.findIndex((visit) => visit.code === read.visitCode)).map((visit) => cellOf({ ...read, visitCode: visit.code }));
    const previous = earlier.filter((cell) => cell?.status === 'present').at(-1);
    return previous === undefined || previous.readState === 'signed';
  };
  return open.find(ready) ?? open[0] ?? null;
}
