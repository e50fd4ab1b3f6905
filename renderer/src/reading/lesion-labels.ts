// Words for findings that have no size.
export const READ_LABEL: Readonly<Record<'measured' | 'resolved' | 'not_evaluable' | 'merged', string>> = {
  measured: 'measured',
  resolved: 'resolved',
  not_evaluable: 'n/e',
  merged: 'merged',
};
