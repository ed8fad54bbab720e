import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, TaskRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, environmentScope, iso, link, userLink, versionedSys } from '../../http/sys.js';
import { writeWithEvent } from '../background/acting.js';
import { assertRoomFor } from '../entity-limits.js';
import type { EntryService } from '../entries/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { SpaceMemberRepository } from '../space-members/repository.js';
import { type EntryKey, TaskRepository } from './repository.js';

/** "It has maximum size of 512 bytes" (seed 004). */
export const MAX_TASK_BODY_BYTES = 512;
/** "limit is 100 tasks per entry" (Contentful's "Create a task"). */
export const MAX_TASKS_PER_ENTRY = 100;

export interface TaskInput {
  body: string;
  assignedTo: { sys: { linkType: 'User' | 'Team'; id: string } };
  status: 'active' | 'resolved';
  dueDate?: string | null;
}

export interface TaskFilters {
  paging: Paging;
  status?: 'active' | 'resolved';
  assignee?: string;
}

export function taskView(row: TaskRow) {
  return dropUndefined({
    sys: dropUndefined({
      id: row.id,
      type: 'Task',
      ...environmentScope(row.space_id, row.environment_id),
      parentEntity: link('Entry', row.entry_id),
      ...versionedSys(row),
      resolvedAt: iso(row.resolved_at),
      resolvedBy: userLink(row.resolved_by),
    }),
    body: row.body,
    assignedTo: link(row.assigned_to_type, row.assigned_to_id),
    status: row.status,
    dueDate: row.due_date ?? undefined,
  });
}

/** A `Task.<action>` webhook event, with the task as it is after the change (as it was, for a delete). */
const taskEvent = (action: 'create' | 'save' | 'delete', actor: Actor) => ({
  type: 'Task' as const,
  action,
  payload: taskView,
  userId: actor.userId,
});

/**
 * Tasks on entries (seed 004, "Tasks"): anyone who can read the entry can read and create its tasks; the
 * task's creator and space admins change its body, assignee and due date and delete it; its assignee (a
 * member of the assigned team, for a team) may also resolve or reopen it. Versions lock every update.
 */
export class TaskService {
  private readonly tasks: TaskRepository;
  private readonly members: SpaceMemberRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly entries: EntryService,
  ) {
    this.tasks = new TaskRepository(db);
    this.members = new SpaceMemberRepository(db);
  }

  /** The entry's key, once the caller may read the entry (404 otherwise, as for the entry itself). */
  private async entryKey(scope: EnvironmentScope, entryId: string): Promise<EntryKey> {
    await this.entries.authorized(scope, entryId);
    return { spaceId: scope.spaceId, environmentId: scope.environmentId, entryId };
  }

  private async task(key: EntryKey, id: string): Promise<TaskRow> {
    const row = await this.tasks.in(key).find(id);
    if (!row) throw notFound('Task', id);
    return row;
  }

  async list(_actor: Actor, scope: EnvironmentScope, entryId: string, filters: TaskFilters) {
    const key = await this.entryKey(scope, entryId);
    const { rows, total } = await this.tasks.in(key).list(filters.paging, (query) => {
      let narrowed = query;
      if (filters.status) narrowed = narrowed.where('status', '=', filters.status);
      if (filters.assignee) narrowed = narrowed.where('assigned_to_id', '=', filters.assignee);
      return narrowed;
    });
    return collection(rows.map(taskView), total, filters.paging);
  }

  async get(_actor: Actor, scope: EnvironmentScope, entryId: string, id: string) {
    return taskView(await this.task(await this.entryKey(scope, entryId), id));
  }

  async create(actor: Actor, scope: EnvironmentScope, entryId: string, input: TaskInput) {
    const key = await this.entryKey(scope, entryId);
    await this.checkInput(scope, input);
    await assertRoomFor(this.tasks.in(key), MAX_TASKS_PER_ENTRY, 'tasks');
    const resolved = input.status === 'resolved';
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        this.tasks.in(key, trx).insert(
          {
            id: generateId(),
            entry_id: entryId,
            ...contentOf(input),
            status: input.status,
            resolved_by: resolved ? actor.userId : null,
            resolved_at: resolved ? new Date() : null,
          },
          actor.userId,
        ),
      taskEvent('create', actor),
    );
    return taskView(row!);
  }

  /**
   * A full update. "Task assignees can only update status; task creators and admins can update body and
   * assignedTo"; "A 400 - BadRequest error is returned if a task's body or assignee are updated after the
   * task has been resolved" (seed 004 and Contentful's "Update a task").
   */
  async update(actor: Actor, scope: EnvironmentScope, entryId: string, id: string, input: TaskInput, version: number | undefined) {
    const key = await this.entryKey(scope, entryId);
    const current = await this.task(key, id);
    const content = contentOf(input);
    const contentChanged =
      content.body !== current.body ||
      content.assigned_to_type !== current.assigned_to_type ||
      content.assigned_to_id !== current.assigned_to_id ||
      content.due_date !== current.due_date;
    const manages = current.created_by === actor.userId || scope.access.admin;
    if (contentChanged) {
      if (!manages) throw accessDenied("Only the task's creator or a space admin can change its body, assignee or due date");
      if (current.status === 'resolved') throw badRequest("A resolved task's body, assignee or due date cannot change; reopen it first");
      await this.checkInput(scope, input);
    }
    const statusChanged = input.status !== current.status;
    if (statusChanged && !manages && !(await this.isAssignee(current, actor)))
      throw accessDenied("Only the task's assignee, its creator or a space admin can resolve or reopen it");
    const resolved = input.status === 'resolved';
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        this.tasks.in(key, trx).update(
          id,
          version,
          {
            ...content,
            status: input.status,
            ...(statusChanged ? { resolved_by: resolved ? actor.userId : null, resolved_at: resolved ? new Date() : null } : {}),
          },
          actor.userId,
        ),
      taskEvent('save', actor),
    );
    return taskView(row!);
  }

  /** "Task creators and space admins can delete tasks." */
  async delete(actor: Actor, scope: EnvironmentScope, entryId: string, id: string, version: number | undefined) {
    const key = await this.entryKey(scope, entryId);
    const current = await this.task(key, id);
    if (current.created_by !== actor.userId && !scope.access.admin)
      throw accessDenied("Only the task's creator or a space admin can delete it");
    await writeWithEvent(this.db, (trx) => this.tasks.in(key, trx).delete(id, version), taskEvent('delete', actor));
  }

  private async isAssignee(task: TaskRow, actor: Actor): Promise<boolean> {
    if (task.assigned_to_type === 'User') return task.assigned_to_id === actor.userId;
    return this.tasks.inTeam(task.assigned_to_id, actor.userId);
  }

  /** The body's size, the due date, and the assignee: a member of the space, or a team with access to it. */
  private async checkInput(scope: EnvironmentScope, input: TaskInput) {
    const bytes = Buffer.byteLength(input.body, 'utf8');
    if (bytes > MAX_TASK_BODY_BYTES)
      throw validationFailed([
        {
          name: 'size',
          path: ['body'],
          max: MAX_TASK_BODY_BYTES,
          value: input.body,
          details: `The body has ${bytes} bytes; a task's body has at most ${MAX_TASK_BODY_BYTES}`,
        },
      ]);
    if (typeof input.dueDate === 'string' && Number.isNaN(Date.parse(input.dueDate)))
      throw validationFailed([{ name: 'type', type: 'Date', path: ['dueDate'], value: input.dueDate, details: 'dueDate must be a date' }]);
    const { linkType, id } = input.assignedTo.sys;
    const member =
      linkType === 'User'
        ? (await this.members.user({ spaceId: scope.spaceId }, id)) !== undefined
        : await this.tasks.teamInSpace(scope.spaceId, id);
    if (!member)
      throw validationFailed([
        {
          name: 'notResolvable',
          path: ['assignedTo'],
          value: link(linkType, id),
          details: `The assignee must be a ${linkType === 'User' ? 'member' : 'team'} of the space`,
        },
      ]);
  }
}

/** The columns of a task's content, which its creator and admins change. */
function contentOf(input: TaskInput) {
  return {
    body: input.body,
    assigned_to_type: input.assignedTo.sys.linkType,
    assigned_to_id: input.assignedTo.sys.id,
    due_date: input.dueDate ?? null,
  };
}
