import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** The actions Contentful names in its webhook topics (seed 000, "Webhooks"). */
export const CONTENT_ACTIONS = [
  'create',
  'save',
  'auto_save',
  'archive',
  'unarchive',
  'publish',
  'unpublish',
  'delete',
  'complete',
  'execute',
] as const;
export type ContentAction = (typeof CONTENT_ACTIONS)[number];

/** Content (with tasks and comments), and the action events of Contentful's webhook reference ("Action events"). */
export type EventEntityType =
  | 'Entry'
  | 'Asset'
  | 'ContentType'
  | 'Task'
  | 'Comment'
  | 'Workflow'
  | 'ScheduledAction'
  | 'BulkAction'
  | 'Release'
  | 'ReleaseAction';

export interface ContentEvent {
  spaceId: string;
  environmentId: string;
  entityType: EventEntityType;
  entityId: string;
  action: ContentAction;
  /** What a webhook for this event sends: the entity, its published copy, or a deletion object. */
  payload: Record<string, unknown>;
  userId: string | null;
  /** Headers the webhook calls about this change carry: the action that made it (a bulk action, ...). */
  triggerHeaders?: Record<string, string>;
}

export function topicOf(entityType: EventEntityType, action: ContentAction): string {
  return `ContentManagement.${entityType}.${action}`;
}

/** Columns of `eventRow` that hold JSON text. */
export const EVENT_JSON_COLUMNS = ['payload', 'trigger_headers'] as const;

/** The `events` row of a change, for an insert of its own or one that rides along with the write (src/db/cte.ts). */
export function eventRow(event: ContentEvent) {
  return {
    space_id: event.spaceId,
    environment_id: event.environmentId,
    entity_type: event.entityType,
    entity_id: event.entityId,
    action: event.action,
    topic: topicOf(event.entityType, event.action),
    payload: JSON.stringify(event.payload),
    user_id: event.userId,
    trigger_headers: event.triggerHeaders ? JSON.stringify(event.triggerHeaders) : null,
  };
}

/**
 * Records a change. Call it with the transaction that makes the change (or insert `eventRow` in the same
 * statement), so that an event exists exactly when its change committed: webhooks and sync read from this
 * log and can neither miss a change nor report one that rolled back.
 */
export async function recordEvent(db: Kysely<DB>, event: ContentEvent): Promise<void> {
  await db.insertInto('events').values(eventRow(event)).execute();
}
