import { sql, type Kysely } from 'kysely';
import { insertForEachRow } from '../../db/cte.js';
import type { DB, EntryRow, LocalizedFields } from '../../db/schema.js';
import { QueryTemplate } from '../../db/template.js';
import { EVENT_JSON_COLUMNS, eventRow, type ContentEvent } from '../../events/outbox.js';
import { type ApiError, badRequest, notFound, versionMismatch } from '../../domain/errors.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { SNAPSHOT_JSON_COLUMNS, type publishSnapshotRow } from '../snapshots/service.js';

/**
 * The editorial life cycle shared by entries and assets (seed 001, "Publishing", "Archiving"):
 * draft -> published -> changed -> published ..., archive only when unpublished, nothing but unarchive
 * while archived, delete only when unpublished. A transition is computed from the row as read, checked,
 * and written by one statement locked on the version it was computed from (with its event and snapshot),
 * so concurrent writers cannot both win and no write is lost; a delete is one DELETE whose WHERE clause
 * holds its precondition. When a write matches nothing, the row is read once to say why (404, 409 or 400).
 */

export type PublishableTable = 'entries' | 'assets';
export type PublishableType = 'Entry' | 'Asset';

/** Entries and assets share these columns; entry-only columns are never touched here. */
export type PublishableRow = Omit<EntryRow, 'content_type_id'> & { content_type_id?: string };

const STORED_COLUMNS = [
  'space_id',
  'environment_id',
  'id',
  'fields',
  'tags',
  'published_fields',
  'published_tags',
  'published_version',
  'published_counter',
  'first_published_at',
  'published_at',
  'published_by',
  'archived_at',
  'archived_version',
  'archived_by',
  'version',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
] as const;

/**
 * The columns entries and assets are read with: everything but the generated search columns (tsvectors
 * and link arrays only the indexes need; reading them back doubled what every query moved and parsed).
 * Typed as `never` so Kysely's select and returning take the list as it is.
 */
export function publishableColumns(table: PublishableTable, alias?: string): never {
  const columns: string[] = table === 'entries' ? [...STORED_COLUMNS, 'content_type_id'] : [...STORED_COLUMNS];
  return (alias ? columns.map((c) => `${alias}.${c}`) : columns) as never;
}

export type Transition = 'publish' | 'unpublish' | 'archive' | 'unarchive' | 'update' | 'delete';

export const isPublished = (row: PublishableRow) => row.published_version !== null;
export const isArchived = (row: PublishableRow) => row.archived_version !== null;

/** Why a transition is refused in the current state, or undefined when it is allowed. */
export function stateViolation(type: PublishableType, row: PublishableRow, transition: Transition): string | undefined {
  const name = type.toLowerCase();
  switch (transition) {
    case 'publish':
      return isArchived(row) ? `Cannot publish an archived ${name}; unarchive it first` : undefined;
    case 'unpublish':
      return isPublished(row) ? undefined : `Cannot unpublish a ${name} that is not published`;
    case 'archive':
      if (isArchived(row)) return `The ${name} is already archived`;
      return isPublished(row) ? `Cannot archive a published ${name}; unpublish it first` : undefined;
    case 'unarchive':
      return isArchived(row) ? undefined : `Cannot unarchive a ${name} that is not archived`;
    case 'update':
      return isArchived(row) ? `Cannot update an archived ${name}; unarchive it first` : undefined;
    case 'delete':
      return isPublished(row) ? `Cannot delete a published ${name}; unpublish it first` : undefined;
  }
}

/**
 * The row after `transition`, computed from the current one (the write is then locked on the current
 * version, so nothing else can have changed it in between). `version` always moves on by one.
 */
export function transitionedRow(
  transition: Exclude<Transition, 'update' | 'delete'>,
  current: PublishableRow,
  userId: string,
  now: Date,
): PublishableRow {
  const next: PublishableRow = { ...current, version: current.version + 1, updated_at: now, updated_by: userId };
  switch (transition) {
    case 'publish':
      return {
        ...next,
        published_fields: current.fields,
        published_tags: current.tags,
        published_version: current.version,
        published_counter: current.published_counter + 1,
        published_at: now,
        published_by: userId,
        first_published_at: current.first_published_at ?? now,
      };
    case 'unpublish':
      return { ...next, published_fields: null, published_tags: null, published_version: null, published_at: null, published_by: null };
    case 'archive':
      return { ...next, archived_at: now, archived_version: current.version, archived_by: userId };
    case 'unarchive':
      return { ...next, archived_at: null, archived_version: null, archived_by: null };
  }
}

/** The row after a save of new draft fields and tags. */
export function savedRow(
  current: PublishableRow,
  draft: { fields: LocalizedFields; tags: string[] },
  userId: string,
  now: Date,
): PublishableRow {
  return { ...current, fields: draft.fields, tags: draft.tags, version: current.version + 1, updated_at: now, updated_by: userId };
}

/** What a write records beside the row, in the same statement: its event and, for publishes in master, a snapshot. */
export interface WriteRecords {
  event: ContentEvent;
  snapshot?: ReturnType<typeof publishSnapshotRow>;
}

const JSON_COLUMNS = new Set(['fields', 'published_fields']);

const prefixed = (prefix: string, row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [`${prefix}${k}`, v]));

export class PublishableStore {
  constructor(
    private readonly table: PublishableTable,
    readonly type: PublishableType,
  ) {}

  async find(db: Kysely<DB>, scope: EnvironmentScope, id: string): Promise<PublishableRow | undefined> {
    return db
      .selectFrom(this.table as 'entries')
      .select(publishableColumns(this.table))
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('id', '=', id)
      .executeTakeFirst() as Promise<PublishableRow | undefined>;
  }

  async require(db: Kysely<DB>, scope: EnvironmentScope, id: string): Promise<PublishableRow> {
    const row = await this.find(db, scope, id);
    if (!row) throw notFound(this.type, id);
    return row;
  }

  /** The version a client sent must be the one read; without one (transitions allow that) the row as read is taken. */
  assertVersion(current: PublishableRow, expectedVersion: number | undefined) {
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionMismatch(this.type, current.id);
  }

  /**
   * Writes `next`, computed from `current` for `transition`, with its records, in one statement that only
   * matches while the row still has `current.version`. When it matches nothing, the row is read once to
   * say why: gone (404), in a state that refuses the transition (400), or changed meanwhile (409).
   */
  async write(
    db: Kysely<DB>,
    scope: EnvironmentScope,
    transition: Exclude<Transition, 'delete'>,
    current: PublishableRow,
    next: PublishableRow,
    records: WriteRecords,
  ) {
    const violation = stateViolation(this.type, current, transition);
    if (violation) throw badRequest(violation);
    const changes: Record<string, unknown> = {};
    for (const column of STORED_COLUMNS) {
      const value = next[column];
      if (value !== current[column]) changes[column] = JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value;
    }
    const values: Record<string, unknown> = {
      'key.spaceId': scope.spaceId,
      'key.environmentId': scope.environmentId,
      'key.id': current.id,
      'key.version': current.version,
      ...prefixed('set.', changes),
      ...prefixed('event.', eventRow(records.event)),
      ...prefixed('snapshot.', records.snapshot ?? {}),
    };
    const written = await this.writeStatement.execute(
      db,
      values,
      `${Object.keys(changes).join(',')}|${records.snapshot ? 'snapshot' : ''}`,
    );
    if (written.rows.length === 0) throw await this.explainRefusal(db, scope, current.id, transition, current.version);
  }

  /** The write of `write`, compiled once per set of changed columns and records (see QueryTemplate). */
  private readonly writeStatement = new QueryTemplate<Record<string, unknown>>((db, v) => {
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.keys(v)
          .filter((k) => k.startsWith(prefix))
          .map((k) => [k.slice(prefix.length), v[k]]),
      );
    const update = db
      .updateTable(this.table as 'entries')
      .set(part('set.'))
      .where('space_id', '=', v['key.spaceId'] as string)
      .where('environment_id', '=', v['key.environmentId'] as string)
      .where('id', '=', v['key.id'] as string)
      .where('version', '=', v['key.version'] as number)
      .returning('id');
    const snapshotRow = part('snapshot.');
    const snapshot = Object.keys(snapshotRow).length
      ? sql`, snapshot as (${insertForEachRow('snapshots', 'changed', snapshotRow, SNAPSHOT_JSON_COLUMNS)})`
      : sql``;
    const statement = sql`with changed as (${update})${snapshot}
      ${insertForEachRow('events', 'changed', part('event.'), EVENT_JSON_COLUMNS)} returning 1`;
    return { compile: () => statement.compile(db) };
  });

  async delete(db: Kysely<DB>, scope: EnvironmentScope, id: string, expectedVersion: number | undefined): Promise<PublishableRow> {
    let query = db
      .deleteFrom(this.table as 'entries')
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('id', '=', id)
      .where('published_version', 'is', null);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const row = (await query.returning(publishableColumns(this.table)).executeTakeFirst()) as PublishableRow | undefined;
    if (row) return row;
    throw await this.explainRefusal(db, scope, id, 'delete', expectedVersion);
  }

  private async explainRefusal(
    db: Kysely<DB>,
    scope: EnvironmentScope,
    id: string,
    transition: Transition,
    expectedVersion: number | undefined,
  ): Promise<ApiError> {
    const current = await this.find(db, scope, id);
    if (!current) return notFound(this.type, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      return versionMismatch(this.type, id);
    }
    return badRequest(stateViolation(this.type, current, transition) ?? `Cannot ${transition} this ${this.type.toLowerCase()}`);
  }
}
