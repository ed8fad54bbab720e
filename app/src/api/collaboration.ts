import { type Cma, type Collection, environmentPath, type Link } from './cma';

/** A member of the space as `/spaces/{space}/users` lists them. */
export interface SpaceUser {
  firstName?: string;
  lastName?: string;
  email?: string;
  sys: { id: string };
}

export type TaskStatus = 'active' | 'resolved';
export interface Task {
  body: string;
  assignedTo: Link;
  status: TaskStatus;
  dueDate?: string;
  sys: { id: string; version: number; createdAt: string; createdBy?: Link; resolvedAt?: string; resolvedBy?: Link };
}
/** What a task is written with: its body, assignee, status and optional due date. */
export type TaskInput = Pick<Task, 'body' | 'assignedTo' | 'status'> & { dueDate?: string | null };

export interface Comment {
  body: string;
  status: 'active' | 'resolved';
  sys: { id: string; version: number; createdAt: string; updatedAt: string; createdBy?: Link; parent: Link | null };
}

export type ScheduledActionKind = 'publish' | 'unpublish';
export interface ScheduledAction {
  action: ScheduledActionKind;
  entity: Link;
  scheduledFor: { datetime: string; timezone?: string };
  sys: { id: string; version: number; status: 'scheduled' | 'canceled' | 'succeeded' | 'failed' };
  error?: { message?: string; sys?: { id: string } };
}

export interface WorkflowPermission {
  type: 'entity_permission' | 'workflow_permission';
  configuration: { actors: 'all' | Link[]; action: string; effect: 'allow' | 'deny' };
}
export interface WorkflowStep {
  id: string;
  name: string;
  description?: string;
  permissions?: WorkflowPermission[];
}
export interface WorkflowDefinition {
  name: string;
  description?: string;
  appliesTo?: { validations?: { linkContentType?: string[] }[] }[];
  steps: WorkflowStep[];
  flowType: 'no_restriction' | 'strict_neighbor';
  sys: { id: string };
}
export interface Workflow {
  stepId: string;
  sys: { id: string; version: number; workflowDefinition: Link };
}

export const userLink = (id: string): Link => ({ sys: { type: 'Link', linkType: 'User', id } });

/**
 * The entry editor sidebar's calls: the space's members, the entry's tasks and comments, its scheduled
 * actions, and the workflows it goes through.
 */
export function collaborationApi(cma: Cma, spaceId: string, environmentId: string) {
  const space = `/spaces/${encodeURIComponent(spaceId)}`;
  const base = environmentPath(spaceId, environmentId);
  const entryPath = (entryId: string) => `${base}/entries/${encodeURIComponent(entryId)}`;
  const taskPath = (entryId: string, taskId: string) => `${entryPath(entryId)}/tasks/${encodeURIComponent(taskId)}`;
  const commentPath = (entryId: string, commentId: string) => `${entryPath(entryId)}/comments/${encodeURIComponent(commentId)}`;
  const environmentQuery = `environment.sys.id=${encodeURIComponent(environmentId)}`;
  return {
    users: () => cma.request<Collection<SpaceUser>>('GET', `${space}/users?limit=1000`),

    // An entry has at most 100 tasks and 100 comments: one page each.
    tasks: (entryId: string) => cma.request<Collection<Task>>('GET', `${entryPath(entryId)}/tasks?limit=100`),
    createTask: (entryId: string, task: TaskInput) => cma.request<Task>('POST', `${entryPath(entryId)}/tasks`, { body: task }),
    updateTask: (entryId: string, task: Task, changes: Partial<TaskInput>) =>
      cma.request<Task>('PUT', taskPath(entryId, task.sys.id), {
        body: { body: task.body, assignedTo: task.assignedTo, status: task.status, dueDate: task.dueDate ?? null, ...changes },
        version: task.sys.version,
      }),
    deleteTask: (entryId: string, task: Task) => cma.request<void>('DELETE', taskPath(entryId, task.sys.id), { version: task.sys.version }),

    comments: (entryId: string) => cma.request<Collection<Comment>>('GET', `${entryPath(entryId)}/comments?limit=100`),
    /** A comment, or with `parentId` a reply to one (`X-Contentful-Parent-Id`). */
    createComment: (entryId: string, body: string, parentId?: string) =>
      cma.request<Comment>('POST', `${entryPath(entryId)}/comments`, {
        body: { body },
        headers: parentId ? { 'X-Contentful-Parent-Id': parentId } : undefined,
      }),
    updateComment: (entryId: string, comment: Comment, body: string) =>
      cma.request<Comment>('PUT', commentPath(entryId, comment.sys.id), { body: { body }, version: comment.sys.version }),
    deleteComment: (entryId: string, comment: Comment) =>
      cma.request<void>('DELETE', commentPath(entryId, comment.sys.id), { version: comment.sys.version }),

    /** The entry's pending scheduled actions, soonest first. */
    scheduledActions: (entryId: string) =>
      cma.request<Collection<ScheduledAction>>(
        'GET',
        `${space}/scheduled_actions?${environmentQuery}&entity.sys.id=${encodeURIComponent(entryId)}&sys.status[in]=scheduled&order=scheduledFor.datetime`,
      ),
    scheduledAction: (actionId: string) =>
      cma.request<ScheduledAction>('GET', `${space}/scheduled_actions/${encodeURIComponent(actionId)}?${environmentQuery}`),
    schedule: (entryId: string, action: ScheduledActionKind, datetime: string, timezone: string) =>
      cma.request<ScheduledAction>('POST', `${space}/scheduled_actions`, {
        body: {
          entity: { sys: { type: 'Link', linkType: 'Entry', id: entryId } },
          environment: { sys: { type: 'Link', linkType: 'Environment', id: environmentId } },
          action,
          scheduledFor: { datetime, timezone },
        },
      }),
    cancelScheduledAction: (actionId: string) =>
      cma.request<ScheduledAction>('DELETE', `${space}/scheduled_actions/${encodeURIComponent(actionId)}?${environmentQuery}`),

    workflowDefinitions: () => cma.request<Collection<WorkflowDefinition>>('GET', `${base}/workflow_definitions?limit=1000`),
    /** The entry's active workflows (completed ones are not listed). */
    workflows: (entryId: string) =>
      cma.request<Collection<Workflow>>(
        'GET',
        `${base}/workflows?sys.entity.sys.linkType=Entry&sys.entity.sys.id[in]=${encodeURIComponent(entryId)}`,
      ),
    startWorkflow: (entryId: string, definitionId: string) =>
      cma.request<Workflow>('POST', `${base}/workflows`, {
        body: {
          entity: { sys: { type: 'Link', linkType: 'Entry', id: entryId } },
          workflowDefinition: { sys: { type: 'Link', linkType: 'WorkflowDefinition', id: definitionId } },
        },
      }),
    moveWorkflow: (workflow: Workflow, stepId: string) =>
      cma.request<Workflow>('PUT', `${base}/workflows/${encodeURIComponent(workflow.sys.id)}`, {
        body: { stepId },
        version: workflow.sys.version,
      }),
    completeWorkflow: (workflow: Workflow) =>
      cma.request<void>('PUT', `${base}/workflows/${encodeURIComponent(workflow.sys.id)}/complete`, { version: workflow.sys.version }),
  };
}
export type CollaborationApi = ReturnType<typeof collaborationApi>;
