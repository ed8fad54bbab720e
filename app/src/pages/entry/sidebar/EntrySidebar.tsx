import type { SpaceAccess } from '../../../access';
import type { EntrySys } from '../../../api/entries';
import { AddToRelease } from '../../releases/AddToRelease';

export interface EntrySidebarProps {
  spaceId: string;
  environmentId: string;
  sys: EntrySys;
  title: string;
  access: SpaceAccess;
  /** Reloads the entry after the sidebar changed it on the server (a scheduled publish ran, a workflow step). */
  reload(): void;
}

/** The entry editor's sidebar: releases, scheduled publishing, tasks and comments of the entry. */
export function EntrySidebar(props: EntrySidebarProps) {
  return (
    <aside className="entry-sidebar" aria-label="Entry sidebar">
      <AddToRelease entity={{ type: 'Entry', id: props.sys.id }} />
    </aside>
  );
}
