import { Button, Note, Paragraph } from '@contentful/f36-components';
import type { CmaError } from '../../api/cma';
import { ErrorNote } from '../common';

interface Problem {
  path?: unknown[];
  details?: string;
  name?: string;
}

/** Where a page shows a 422 problem: the key of the field its path names, or nothing (the problem goes in the note). */
export type PlaceOf = (path: unknown[]) => string | undefined;

/** Problems whose path starts with one of `fields`, placed by that field. */
export const atFields =
  (fields: string[]): PlaceOf =>
  (path) =>
    fields.includes(String(path[0])) ? String(path[0]) : undefined;

/** What a 422 (ValidationFailed) says: its problems by the field `placeOf` finds for them, and the others as lines naming their paths. */
export function sortProblems(error: CmaError | undefined, placeOf: PlaceOf) {
  const placed = new Map<string, string[]>();
  const unplaced: string[] = [];
  if (error?.id !== 'ValidationFailed') return { placed, unplaced };
  const items = (error.details as { errors?: Problem[] } | undefined)?.errors ?? [];
  for (const item of items) {
    const text = item.details ?? item.name ?? 'invalid';
    const key = item.path ? placeOf(item.path) : undefined;
    if (key !== undefined) placed.set(key, [...(placed.get(key) ?? []), text]);
    else unplaced.push(`${text}${item.path ? ` (${item.path.join('.')})` : ''}`);
  }
  return { placed, unplaced };
}

/** A 409 (VersionMismatch): what happened and a reload, never an overwrite of the other writer's change. */
export function ConflictNote({ what, onReload }: { what: string; onReload?(): void }) {
  return (
    <Note variant="warning" title={`Someone else changed this ${what}`} role="alert" style={{ marginBottom: 16 }}>
      <Paragraph>
        It was changed since you opened it (in another tab or by another user), so your changes were not made: making them would overwrite
        theirs. Reload to see the current version (your unsaved changes are discarded), then make your changes again.
      </Paragraph>
      {onReload ? (
        <Button variant="primary" size="small" onClick={onReload}>
          Reload
        </Button>
      ) : null}
    </Note>
  );
}

/**
 * What the CMA refused on a change: a version conflict explained with a reload, a 422 whose problems are shown next
 * to their fields (those `placeOf` finds; the rest are listed here), or the CMA's own message.
 */
export function RefusedNote({
  error,
  what,
  placeOf = () => undefined,
  invalidTitle = `The ${what} was not saved`,
  onReload,
}: {
  error?: CmaError;
  what: string;
  placeOf?: PlaceOf;
  invalidTitle?: string;
  onReload?(): void;
}) {
  if (!error) return null;
  if (error.id === 'VersionMismatch') return <ConflictNote what={what} onReload={onReload} />;
  if (error.id === 'ValidationFailed') {
    const { placed, unplaced } = sortProblems(error, placeOf);
    return (
      <Note variant="negative" title={invalidTitle} role="alert" style={{ marginBottom: 16 }}>
        {/[.!?]$/.test(error.message) ? error.message : `${error.message}.`}
        {placed.size ? ' The problems are shown next to their fields.' : null}
        {unplaced.map((text) => (
          <div key={text}>{text}</div>
        ))}
      </Note>
    );
  }
  return <ErrorNote error={error} title="The server refused" />;
}
