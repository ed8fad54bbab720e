import { useCallback, useEffect, useState } from 'react';
import { CmaError } from './cma';

export interface QueryState<T> {
  data?: T;
  error?: CmaError;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when its dependencies change; a newer run wins over an older one still in flight. */
export function useQuery<T>(load: () => Promise<T>, deps: unknown[]): QueryState<T> {
  const [state, setState] = useState<{ data?: T; error?: CmaError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) =>
        current && setState({ error: error instanceof CmaError ? error : new CmaError(0, 'ClientError', String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
