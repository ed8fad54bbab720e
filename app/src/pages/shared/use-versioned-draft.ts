import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAction } from './use-action';

/**
 * An editor page's draft of something the CMA keeps versions of (a locale, an API key, a role, a webhook): taken from
 * the server's whenever that is (re)loaded, saved at the version it was loaded with (a 409 stays on screen, nothing is
 * retried over it), or deleted, which goes back to the list. `toDraft` must not change between renders.
 */
export function useVersionedDraft<T, D>({
  loaded,
  toDraft,
  blank,
  savedNote,
}: {
  /** The server's, once loaded (undefined for something new). */
  loaded: T | undefined;
  toDraft(value: NoInfer<T>): D;
  /** The draft of something new. */
  blank: D;
  /** What is said on opening (that it was just created). */
  savedNote?: string;
}) {
  const navigate = useNavigate();
  const { busy, error, setError, run } = useAction();
  const [server, setServer] = useState(loaded);
  const [draft, setDraft] = useState<D>(() => (loaded === undefined ? blank : toDraft(loaded)));
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(savedNote);

  useEffect(() => {
    if (loaded === undefined) return;
    setServer(loaded);
    setDraft(toDraft(loaded));
    setDirty(false);
    setError(undefined);
  }, [loaded, toDraft, setError]);

  const change = (next: Partial<D>) => {
    setDraft((current) => ({ ...current, ...next }));
    setDirty(true);
    setSaved(undefined);
  };

  /** Updates what exists at the version shown (the draft becomes what the server answered), or creates it. */
  const save = (update: (server: T) => Promise<T>, create: () => Promise<unknown>) =>
    run(async () => {
      setSaved(undefined);
      if (!server) return create();
      const updated = await update(server);
      setServer(updated);
      setDraft(toDraft(updated));
      setDirty(false);
      setSaved('Saved.');
    });

  const remove = (removeFromServer: (server: T) => Promise<unknown>) =>
    run(async () => {
      if (!server) return;
      await removeFromServer(server);
      navigate('..', { relative: 'path' });
    });

  return { server, draft, dirty, saved, busy, error, change, save, remove };
}
