import { type FormEvent, useCallback, useState } from 'react';
import { CmaError } from '../../api/cma';

export function asCmaError(err: unknown): CmaError {
  return err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err));
}

/**
 * Runs the CMA calls of a form or a button: `busy` while one runs, and what the CMA refused (kept on screen until
 * the next call). What follows a call inside `work` happens only when the call went through.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  /** Whether `work` went through. */
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (err) {
      setError(asCmaError(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  /** A form's submit handler that runs `work` instead of leaving the page. */
  const submit = useCallback(
    (work: () => Promise<unknown>) => (event: FormEvent) => {
      event.preventDefault();
      void run(work);
    },
    [run],
  );
  return { busy, error, setError, run, submit };
}
