import { Note } from '@contentful/f36-components';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import type { CmaError } from '../../api/cma';
import { settingsContent } from '../../api/settings-content';
import { useCma } from '../../session';
import { sortProblems } from '../shared/RefusedNote';

/** The settings calls for the space and environment of the address. */
export function useSettingsContent() {
  const cma = useCma();
  const { spaceId = '', environmentId = '' } = useParams();
  return useMemo(() => settingsContent(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
}

/** What a 422 (ValidationFailed) says about each property of the body, by the first segment of its path. */
export function fieldErrors(error: CmaError | undefined): Map<string, string[]> {
  return sortProblems(error, (path) => (path.length ? String(path[0]) : undefined)).placed;
}

/** Shown instead of the forms to someone whose role may only read this part of the settings. */
export function ReadOnlyNote({ children }: { children: string }) {
  return (
    <Note variant="neutral" style={{ marginBottom: 16 }}>
      {children}
    </Note>
  );
}
