import { useMemo } from 'react';
import type { AccessSubject, SpaceAccess } from '../../../access';
import { collaborationApi } from '../../../api/collaboration';
import type { EntrySys } from '../../../api/entries';
import { entityStatus } from '../../../api/status';
import { useQuery } from '../../../api/use-query';
import { useCma, useSession } from '../../../session';
import { ErrorNote } from '../../common';
import { AddToRelease } from '../../releases/AddToRelease';
import { EntryComments } from './EntryComments';
import { EntryTasks } from './EntryTasks';
import { EntryWorkflow } from './EntryWorkflow';
import { People } from './people';
import { SchedulePublish } from './SchedulePublish';
import './sidebar.css';

export interface EntrySidebarProps {
  spaceId: string;
  environmentId: string;
  sys: EntrySys;
  title: string;
  access: SpaceAccess;
  /** Reloads the entry after the sidebar changed it on the server (a scheduled publish ran, a workflow step). */
  reload(): void;
  /** The entry's tag ids, for roles whose policies name tags (none when not given). */
  tags?: string[];
}

/** The entry editor's sidebar: releases, scheduled publishing, workflow, tasks and comments of the entry. */
export function EntrySidebar(props: EntrySidebarProps) {
  const { spaceId, environmentId, sys, access, tags } = props;
  const cma = useCma();
  const { session } = useSession();
  const userId = session?.user.sys.id ?? '';
  const api = useMemo(() => collaborationApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  // Tasks and comments name their people from one list of the space's members.
  const users = useQuery(() => api.users(), [api]);
  const people = useMemo(() => new People(users.data?.items ?? []), [users.data]);

  const contentTypeId = sys.contentType.sys.id;
  const tagList = (tags ?? []).join(',');
  const subject: AccessSubject = useMemo(
    () => ({ type: 'Entry', id: sys.id, contentTypeId, createdBy: sys.createdBy?.sys.id, tags: tagList ? tagList.split(',') : [] }),
    [sys.id, contentTypeId, sys.createdBy?.sys.id, tagList],
  );

  return (
    <aside className="entry-sidebar" aria-label="Entry sidebar">
      <AddToRelease entity={{ type: 'Entry', id: sys.id }} />
      <SchedulePublish
        api={api}
        entryId={sys.id}
        status={entityStatus(sys)}
        canPublish={access.can('publish', subject)}
        canUnpublish={access.can('unpublish', subject)}
        onRan={props.reload}
      />
      <EntryWorkflow api={api} entryId={sys.id} contentTypeId={contentTypeId} userId={userId} admin={access.admin} />
      <ErrorNote error={users.error} title="The space's members could not be loaded" />
      <EntryTasks api={api} entryId={sys.id} people={people} userId={userId} admin={access.admin} />
      <EntryComments api={api} entryId={sys.id} people={people} userId={userId} admin={access.admin} />
    </aside>
  );
}
