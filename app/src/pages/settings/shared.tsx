import { Button, Note, Paragraph } from '@contentful/f36-components';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { CmaError } from '../../api/cma';
import { settingsContent } from '../../api/settings-content';
import { useCma } from '../../session';
import { ErrorNote } from '../common';

/** The settings calls for the space and environment of the address. */
export function useSettingsContent() {
  const cma = useCma();
  const { spaceId = '', environmentId = '' } = useParams();
  return useMemo(() => settingsContent(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
}

export function asCmaError(err: unknown): CmaError {
  return err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err));
}

/** What a 422 (ValidationFailed) says about each property of the body, by the first segment of its path. */
export function fieldErrors(error: CmaError | undefined): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  if (error?.id !== 'ValidationFailed') return byField;
  const items = (error.details as { errors?: { path?: unknown[]; details?: string; name?: string }[] } | undefined)?.errors ?? [];
  for (const item of items) {
    const key = item.path?.length ? String(item.path[0]) : '';
    byField.set(key, [...(byField.get(key) ?? []), item.details ?? item.name ?? 'invalid']);
  }
  return byField;
}

/**
 * What the CMA refused on a save: a version conflict explained with a reload (never an overwrite), a 422
 * whose problems are shown next to their fields (the rest listed here), or the CMA's own message.
 */
export function RefusedNote({ error, what, fields, onReload }: { error?: CmaError; what: string; fields: string[]; onReload?(): void }) {
  if (!error) return null;
  if (error.id === 'VersionMismatch') {
    return (
      <Note variant="warning" title={`Someone else changed this ${what}`} role="alert" style={{ marginBottom: 16 }}>
        <Paragraph>
          It was changed since you opened it (in another tab or by another user), so your changes were not saved: saving them would
          overwrite theirs. Reload to see the current version, then make your changes again.
        </Paragraph>
        {onReload ? (
          <Button variant="primary" size="small" onClick={onReload}>
            Reload
          </Button>
        ) : null}
      </Note>
    );
  }
  if (error.id === 'ValidationFailed') {
    const byField = [...fieldErrors(error)];
    const placed = byField.some(([key]) => fields.includes(key));
    const unplaced = byField.filter(([key]) => !fields.includes(key)).flatMap(([, texts]) => texts);
    return (
      <Note variant="negative" title={`The ${what} was not saved`} role="alert" style={{ marginBottom: 16 }}>
        {/[.!?]$/.test(error.message) ? error.message : `${error.message}.`}
        {placed ? ' The problems are shown next to their fields.' : null}
        {unplaced.map((text) => (
          <div key={text}>{text}</div>
        ))}
      </Note>
    );
  }
  return <ErrorNote error={error} title="The server refused" />;
}

export function BackLink({ label }: { label: string }) {
  return (
    <Paragraph>
      <Link to=".." relative="path">
        ← {label}
      </Link>
    </Paragraph>
  );
}

/** Shown instead of the forms to someone whose role may only read this part of the settings. */
export function ReadOnlyNote({ children }: { children: string }) {
  return (
    <Note variant="neutral" style={{ marginBottom: 16 }}>
      {children}
    </Note>
  );
}
