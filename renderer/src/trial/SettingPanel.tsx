// A trial setting's panel: the setting loaded from main, then its editor,
// keyed on the saved value, so that after a save the form starts again from
// what is in force, and after a refusal the draft stays to fix and retry.
import { Fragment, type ReactNode } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { useLoaded } from '../use-loaded';

export function SettingPanel<T>({ load, what, editor }: { load: () => Promise<T>; what: string; editor: (saved: T, reload: () => void) => ReactNode }) {
  const { data, error, reload } = useLoaded(load);
  if (error) return <ErrorNotice title={`${what} could not be read`} message={error} />;
  if (data === null) return null;
  return <Fragment key={JSON.stringify(data)}>{editor(data, reload)}</Fragment>;
}
