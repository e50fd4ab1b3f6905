// Loads something from main, and loads it again on demand (after a change).
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from './format';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useLoaded<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load()
      .then((value) => current && (setData(value), setError(null)))
      .catch((failure: unknown) => current && setError(errorMessage(failure)));
    return () => {
      current = false;
    };
    // `load` is a module-level request; reloads come through `generation`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, reload };
}

/** Runs a change in main, keeps its error for display, and reloads what shows its result either way. */
export function useAction(reload: () => void): { act: (action: () => Promise<unknown>) => Promise<void>; actionError: string | null } {
  const [actionError, setActionError] = useState<string | null>(null);
  const act = useCallback(
    async (action: () => Promise<unknown>) => {
      try {
        await action();
        setActionError(null);
      } catch (failure) {
        setActionError(errorMessage(failure));
      } finally {
        reload();
      }
    },
    [reload],
  );
  return { act, actionError };
}
