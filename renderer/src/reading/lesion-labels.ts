// Words for findings that have no size, keyed by the contract's finding kinds.
import type { FindingInput } from '../../../shared/contract';

export const READ_LABEL: Readonly<Record<FindingInput['kind'], string>> = {
  measured: 'measured',
  resolved: 'resolved',
  not_evaluable: 'n/e',
  merged: 'merged',
};
