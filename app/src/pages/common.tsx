import { Note } from '@contentful/f36-components';
import { useEffect } from 'react';
import type { CmaError } from '../api/cma';
import { useSession } from '../session';

/** What the CMA refused, in its own words; a token that stopped working signs the user out. */
export function ErrorNote({ error, title }: { error?: CmaError; title?: string }) {
  const { expire } = useSession();
  const expired = error?.id === 'AccessTokenInvalid';
  useEffect(() => {
    if (expired) expire();
  }, [expired, expire]);
  if (!error) return null;
  return (
    <Note variant="negative" title={title ?? error.id} role="alert" style={{ marginBottom: 16 }}>
      {error.message}
    </Note>
  );
}

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} — Contentful (self-hosted)`;
  }, [title]);
}
