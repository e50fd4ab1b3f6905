// How regions, statuses and read states read on screen.
import type { ReadStatus } from '../../../shared/contract';

/** A region's name, and its letter (the prefix of its lesions' labels), as the protocol gives them. */
export { REGION_LABELS as REGION_LABEL, REGION_PREFIX as REGION_SHORT } from '../../../shared/protocol';

export const READ_STATUS_LABEL: Readonly<Record<ReadStatus, string>> = {
  not_started: 'not started',
  in_progress: 'in progress',
  signed: 'signed',
  unlocked: 'unlocked',
  amended: 'amended',
};
