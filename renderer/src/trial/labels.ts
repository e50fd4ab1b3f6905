// How regions, statuses and read states read on screen.
import type { ReadState, ReadStatus } from '../../../shared/contract';

/** A region's name, and its letter (the prefix of its lesions' labels), as the protocol gives them. */
export { REGION_LABELS as REGION_LABEL, REGION_PREFIX as REGION_SHORT } from '../../../shared/protocol';

export const READ_STATUS_LABEL: Readonly<Record<ReadStatus, string>> = {
  not_started: 'not started',
  in_progress: 'in progress',
  signed: 'signed',
  unlocked: 'unlocked',
  amended: 'amended',
};

/** A read's state on the worklist: its mark in the cell, its name, and what it means (the legend). */
export const READ_STATE: Readonly<Record<ReadState, { mark: string; label: string; meaning: string }>> = {
  missing: { mark: '–', label: 'missing', meaning: 'no images' },
  not_started: { mark: '○', label: 'not started', meaning: 'images, nothing recorded' },
  in_progress: { mark: '◐', label: 'in progress', meaning: 'waiting for its comparator read to be signed' },
  needs_decision: { mark: '!', label: 'needs a decision', meaning: 'a lesion known earlier to assess here, images to place, or (double reads) the adjudicator to decide' },
  awaiting_signature: { mark: '✎', label: 'awaiting signature', meaning: 'ready to sign' },
  signed: { mark: '✓', label: 'signed', meaning: 'a signature in force' },
};
