import { useCallback, useEffect, useRef, useState } from 'react';
import { CmaError } from '../../api/cma';
import { finishedAction, type ReleaseAction, type ReleasesApi } from '../../api/releases';

const finished = (action: ReleaseAction) => action.sys.status === 'succeeded' || action.sys.status === 'failed';

/**
 * The release's last action, polled (on a timer) until it succeeded or failed; `onFinished` runs when one
 * finishes while the page is shown, or one `started` here is found finished (what it changed is then worth
 * loading again).
 */
export function useLastAction(api: ReleasesApi, releaseId: string, actionId: string | undefined, onFinished: () => void) {
  const [action, setAction] = useState<ReleaseAction>();
  const [error, setError] = useState<CmaError>();
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const startedHere = useRef(new Set<string>());

  useEffect(() => {
    setError(undefined);
    if (!actionId) {
      setAction(undefined);
      return;
    }
    let stopped = false;
    (async () => {
      const current = await api.action(releaseId, actionId);
      if (stopped) return;
      setAction(current);
      if (finished(current)) {
        if (startedHere.current.has(current.sys.id)) finishedRef.current();
        return;
      }
      const done = await finishedAction(api, current, () => stopped);
      if (!done || stopped) return;
      setAction(done);
      finishedRef.current();
    })().catch((err: unknown) => {
      if (!stopped) setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    });
    return () => {
      stopped = true;
    };
  }, [api, releaseId, actionId]);

  const started = useCallback((begun: ReleaseAction) => startedHere.current.add(begun.sys.id), []);
  return { action, running: action !== undefined && !finished(action), error, started };
}
