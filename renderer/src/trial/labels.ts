// How regions, statuses and read states read on screen.
import type { ReadStatus } from '../../../shared/contract';
import type { Region } from '../../../shared/protocol';

export const REGION_LABEL: Readonly<Record<Region, string>> = { brain: 'Brain', spinal_cord: 'Spinal cord', optic_nerve: 'Optic nerves' };
export const REGION_SHORT: Readonly<Record<Region, string>> = { brain: 'B', spinal_cord: 'S', optic_nerve: 'O' };

export const READ_STATUS_LABEL: Readonly<Record<ReadStatus, string>> = {
  not_started: 'not started',
  in_progress: 'in progress',
  signed: 'signed',
  unlocked: 'unlocked',
  amended: 'amended',
};
