import { sql, type Expression, type Kysely, type SqlBool, type UpdateObject } from 'kysely';
import type { DB, EntryRow } from '../../db/schema.js';
import { ApiError, badRequest, notFound } from '../../http/errors.js';
import type { EnvironmentScope } from '../environments/scope.js';

/**
 * The editorial life cycle shared by entries and assets (seed 001, "Publishing", "Archiving"):
 * draft -> published -> changed -> published ..., archive only when unpublished, nothing but unarchive
 * while archived, delete only when unpublished. Every transition is one UPDATE whose WHERE clause holds
 * both the state precondition and the optional version check, so concurrent writers cannot both win;
 * when it matches nothing, the row is read once to say why (404, 409 or 400).
 */

export type PublishableTable = 'entries' | 'assets';
export type PublishableType = 'Entry' | 'Asset';

/** Entries and assets share these columns; entry-only columns are never touched here. */
export type PublishableRow = Omit<EntryRow, 'content_type_id'> & { content_type_id?: string };

const STORED_COLUMNS = [
  'space_id', 'environment_id', 'id', 'fields', 'tags', 'published_fields', 'published_tags', 'published_version', 'published_counter',
  'first_published_at', 'published_at', 'published_by', 'archived_at', 'archived_version', 'archived_by',
  'version', 'created_by', 'updated_by', 'created_at', 'updated_at',
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

/** The same rules as SQL, so the check and the write are one statement. */
function statePrecondition(transition: Transition): Expression<SqlBool> {
  switch (transition) {
    case 'publish':
    case 'update':
      return sql<SqlBool>`archived_version is null`;
    case 'unpublish':
      return sql<SqlBool>`published_version is not null`;
    case 'archive':
      return sql<SqlBool>`archived_version is null and published_version is null`;
    case 'unarchive':
      return sql<SqlBool>`archived_version is not null`;
    case 'delete':
      return sql<SqlBool>`published_version is null`;
  }
}

/** The column changes of each transition; `version` always moves on by one. */
export function transitionChanges(transition: Exclude<Transition, 'update' | 'delete'>, userId: string) {
  const now = sql<Date>`now()`;
  const changes: Record<string, unknown> = {
    version: sql`version + 1`,
    updated_at: now,
    updated_by: userId,
  };
  switch (transition) {
    case 'publish':
      Object.assign(changes, {
        published_fields: sql`fields`,
        published_tags: sql`tags`,
        published_version: sql`version`,
        published_counter: sql`published_counter + 1`,
        published_at: now,
        published_by: userId,
        first_published_at: sql`coalesce(first_published_at, now())`,
      });
      break;
    case 'unpublish':
      Object.assign(changes, { published_fields: null, published_tags: null, published_version: null, published_at: null, published_by: null });
      break;
    case 'archive':
      Object.assign(changes, { archived_at: now, archived_version: sql`version`, archived_by: userId });
      break;
    case 'unarchive':
      Object.assign(changes, { archived_at: null, archived_version: null, archived_by: null });
      break;
  }
  return changes as UpdateObject<DB, 'entries'>;
}

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

  /**
   * Applies `changes` when the row is in a state that allows `transition` and (when given) still has
   * `expectedVersion`. Returns the updated row; otherwise throws the reason.
   */
  async transition(
    db: Kysely<DB>,
    scope: EnvironmentScope,
    id: string,
    transition: Exclude<Transition, 'delete'>,
    changes: UpdateObject<DB, 'entries'>,
    expectedVersion: number | undefined,
  ): Promise<PublishableRow> {
    let query = db
      .updateTable(this.table as 'entries')
      .set(changes)
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('id', '=', id)
      .where(statePrecondition(transition));
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const row = (await query.returning(publishableColumns(this.table)).executeTakeFirst()) as PublishableRow | undefined;
    if (row) return row;
    throw await this.explainRefusal(db, scope, id, transition, expectedVersion);
  }

  async delete(db: Kysely<DB>, scope: EnvironmentScope, id: string, expectedVersion: number | undefined): Promise<PublishableRow> {
    let query = db
      .deleteFrom(this.table as 'entries')
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('id', '=', id)
      .where(statePrecondition('delete'));
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
      return new ApiError('VersionMismatch', 'Version mismatch', { type: this.type, id });
    }
    return badRequest(stateViolation(this.type, current, transition) ?? `Cannot ${transition} this ${this.type.toLowerCase()}`);
  }
}
