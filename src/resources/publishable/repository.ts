import { type RawBuilder, sql, type Kysely } from 'kysely';
import { insertForEachRow } from '../../db/cte.js';
import { oneOf } from '../../db/lists.js';
import type { EnvironmentKey } from '../../db/repository.js';
import type { DB, EntryRow, LocalizedFields } from '../../db/schema.js';
import { QueryTemplate } from '../../db/template.js';
import { type ApiError, badRequest, notFound, versionMismatch } from '../../domain/errors.js';
import { type PublishableType, stateViolation, type Transition } from '../../domain/publishing.js';
import { EVENT_JSON_COLUMNS, eventRow, type ContentEvent } from '../../events/outbox.js';
import { SNAPSHOT_JSON_COLUMNS, type publishSnapshotRow } from '../snapshots/service.js';

/**
 * Entries and assets in the database. A transition (src/domain/publishing.ts) is written by one statement
 * locked on the version it was computed from, with its event and snapshot, so concurrent writers cannot
 * both win and no write is lost; a delete is one DELETE whose WHERE clause holds its precondition. When a
 * write matches nothing, the row is read once to say why (404, 409 or 400).
 */

export type PublishableTable = 'entries' | 'assets';
export type { PublishableType };

/** Entries and assets share these columns; entry-only columns are never touched here. */
export type PublishableRow = Omit<EntryRow, 'content_type_id'> & { content_type_id?: string };

const STORED_COLUMNS = [
  'space_id',
  'environment_id',
  'id',
  'fields',
  'tags',
  'concepts',
  'published_fields',
  'published_tags',
  'published_concepts',
  'published_locales',
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

/**
 * A column to read: its name, or `{ iso: name }` for a timestamp read as the ISO 8601 text the APIs show
 * (UTC, milliseconds): the delivery APIs' rendition keys and views take it as it comes, and pg parses no
 * Date for it (that parsing was a twentieth of a computed page's CPU); or `{ json: name }` for a JSON
 * column read as its text, for a reader that parses it only when it has not seen that text before.
 */
export type ReadColumn = string | { iso: string } | { json: string };

const ISO_8601 = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);

function isoText(column: string, alias?: string) {
  return sql<string>`to_char(${sql.ref(alias ? `${alias}.${column}` : column)} at time zone 'UTC', ${ISO_8601})`;
}

/** A computed column's expression and name; undefined for a plain column. */
function readExpression(column: ReadColumn, alias?: string) {
  if (typeof column === 'string') return undefined;
  if ('iso' in column) return { expression: isoText(column.iso, alias), name: column.iso };
  return { expression: sql<string>`${sql.ref(alias ? `${alias}.${column.json}` : column.json)}::text`, name: column.json };
}

/** `columns` as a select list inside raw SQL (`select ${...} from ...`). */
export function columnList(columns: readonly ReadColumn[], alias: string) {
  return sql.join(
    columns.map((c) => {
      const read = readExpression(c, alias);
      return read ? sql`${read.expression} as ${sql.ref(read.name)}` : sql.ref(`${alias}.${c}`);
    }),
  );
}

/** `columns` as the selections of a Kysely select. Typed as `never`, like `publishableColumns`. */
export function columnSelections(columns: readonly ReadColumn[], alias?: string): never {
  return columns.map((c) => {
    const read = readExpression(c, alias);
    return read ? read.expression.as(read.name) : alias ? `${alias}.${c}` : c;
  }) as never;
}

/** The version a client sent must be the one read; without one (transitions allow that) the row as read is taken. */
export function assertVersion(type: PublishableType, current: PublishableRow, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionMismatch(type, current.id);
}

/** What a write records beside the row, in the same statement: its event and, for publishes in master, a snapshot. */
export interface WriteRecords {
  event: ContentEvent;
  snapshot?: ReturnType<typeof publishSnapshotRow>;
}

/**
 * What a publish checked without reading, for the write to hold in its own statement: the entry has no
 * unresolved task, and every entry and asset its draft links to exists (ids distinct).
 */
export interface PublishGuard {
  entryIds: string[];
  assetIds: string[];
}

const JSON_COLUMNS = new Set(['fields', 'published_fields']);

const prefixed = (prefix: string, row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [`${prefix}${k}`, v]));

/** The entries or assets table. `in(key)` gives one environment's rows; every statement is filtered on it. */
export class PublishableRepository {
  constructor(
    protected readonly db: Kysely<DB>,
    readonly table: PublishableTable,
    readonly type: PublishableType,
  ) {}

  in(key: EnvironmentKey, db: Kysely<DB> = this.db): PublishableRows {
    return new PublishableRows(this, db, key);
  }

  transaction<R>(work: (trx: Kysely<DB>) => Promise<R>): Promise<R> {
    return this.db.transaction().execute(work);
  }

  /** The write of `PublishableRows.write`, compiled once per set of changed columns, records and guard (see QueryTemplate). */
  readonly writeStatement = new QueryTemplate<Record<string, unknown>>((db, v) => {
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.keys(v)
          .filter((k) => k.startsWith(prefix))
          .map((k) => [k.slice(prefix.length), v[k]]),
      );
    const key = { spaceId: v['key.spaceId'] as string, environmentId: v['key.environmentId'] as string };
    let update = db
      .updateTable(this.table as 'entries')
      .set(part('set.'))
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('id', '=', v['key.id'] as string)
      .where('version', '=', v['key.version'] as number)
      .returning('id');
    if ('guard.entryIds' in v) update = update.where(this.publishGuard(key, v['guard.entryIds'], v['guard.assetIds']));
    const snapshotRow = part('snapshot.');
    const snapshot = Object.keys(snapshotRow).length
      ? sql`, snapshot as (${insertForEachRow('snapshots', 'changed', snapshotRow, SNAPSHOT_JSON_COLUMNS)})`
      : sql``;
    const statement = sql`with changed as (${update})${snapshot}
      ${insertForEachRow('events', 'changed', part('event.'), EVENT_JSON_COLUMNS)} returning 1`;
    return { compile: () => statement.compile(db) };
  });

  /** The condition a guarded write holds the row to (`PublishGuard`); only entries are published guarded. */
  protected publishGuard(_key: EnvironmentKey, _entryIds: unknown, _assetIds: unknown): RawBuilder<boolean> {
    throw new Error(`${this.type} writes are not guarded`);
  }
}

/** The entries or assets of one environment. */
export class PublishableRows {
  private readonly table: PublishableTable;
  private readonly type: PublishableType;

  constructor(
    private readonly repository: PublishableRepository,
    readonly db: Kysely<DB>,
    readonly key: EnvironmentKey,
  ) {
    this.table = repository.table;
    this.type = repository.type;
  }

  /** A select of this environment's rows, to narrow and pick columns from. */
  select() {
    return this.db
      .selectFrom(this.table as 'entries')
      .where('space_id', '=', this.key.spaceId)
      .where('environment_id', '=', this.key.environmentId);
  }

  /** An update of this environment's rows, to narrow further. */
  updating() {
    return this.db
      .updateTable(this.table as 'entries')
      .where('space_id', '=', this.key.spaceId)
      .where('environment_id', '=', this.key.environmentId);
  }

  async find(id: string): Promise<PublishableRow | undefined> {
    return this.select().select(publishableColumns(this.table)).where('id', '=', id).executeTakeFirst() as Promise<
      PublishableRow | undefined
    >;
  }

  async require(id: string): Promise<PublishableRow> {
    const row = await this.find(id);
    if (!row) throw notFound(this.type, id);
    return row;
  }

  async findMany(ids: string[]): Promise<PublishableRow[]> {
    if (ids.length === 0) return [];
    return this.select().select(publishableColumns(this.table)).where('id', '=', oneOf(ids)).execute() as Promise<PublishableRow[]>;
  }

  /** Inserts a new draft; undefined when the id is taken. */
  async insertDraft(
    id: string,
    draft: { fields: LocalizedFields; tags: string[]; concepts: string[]; contentTypeId?: string },
    userId: string | null,
  ): Promise<PublishableRow | undefined> {
    return (await this.db
      .insertInto(this.table as 'entries')
      .values({
        space_id: this.key.spaceId,
        environment_id: this.key.environmentId,
        id,
        content_type_id: draft.contentTypeId as string,
        fields: JSON.stringify(draft.fields),
        tags: draft.tags,
        concepts: draft.concepts,
        created_by: userId,
        updated_by: userId,
      })
      .onConflict((oc) => oc.columns(['space_id', 'environment_id', 'id']).doNothing())
      .returning(publishableColumns(this.table))
      .executeTakeFirst()) as PublishableRow | undefined;
  }

  /**
   * Writes `next`, computed from `current` for `transition`, with its records, in one statement that only
   * matches while the row still has `current.version`. When it matches nothing, the row is read once to
   * say why: gone (404), in a state that refuses the transition (400), or changed meanwhile (409).
   */
  async write(transition: Exclude<Transition, 'delete'>, current: PublishableRow, next: PublishableRow, records: WriteRecords) {
    const violation = stateViolation(this.type, current, transition);
    if (violation) throw badRequest(violation);
    const { values, shape } = this.writeOf(current, next, records);
    const written = await this.repository.writeStatement.execute(this.db, values, shape);
    if (written.rows.length === 0) throw await this.explainRefusal(current.id, transition, current.version);
  }

  /** The values of `writeStatement` for `next` over `current` (only the columns that changed are set), and its shape. */
  private writeOf(current: PublishableRow, next: PublishableRow, records: WriteRecords) {
    const changes: Record<string, unknown> = {};
    for (const column of STORED_COLUMNS) {
      const value = next[column];
      if (value !== current[column]) changes[column] = JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value;
    }
    const values: Record<string, unknown> = {
      'key.spaceId': this.key.spaceId,
      'key.environmentId': this.key.environmentId,
      'key.id': current.id,
      'key.version': current.version,
      ...prefixed('set.', changes),
      ...prefixed('event.', eventRow(records.event)),
      ...prefixed('snapshot.', records.snapshot ?? {}),
    };
    return { values, shape: `${Object.keys(changes).join(',')}|${records.snapshot ? 'snapshot' : ''}` };
  }

  /**
   * A publish checked without reading (`PublishGuard`): writes `next` in one statement while the row still
   * has `current.version` and the guard holds. False when it wrote nothing; the caller then decides from a read.
   */
  async publishGuarded(current: PublishableRow, next: PublishableRow, records: WriteRecords, guard: PublishGuard): Promise<boolean> {
    if (stateViolation(this.type, current, 'publish')) return false;
    const { values, shape } = this.writeOf(current, next, records);
    const written = await this.repository.writeStatement.execute(
      this.db,
      { ...values, 'guard.entryIds': guard.entryIds, 'guard.assetIds': guard.assetIds },
      `${shape}|guarded`,
    );
    return written.rows.length > 0;
  }

  async delete(id: string, expectedVersion: number | undefined): Promise<PublishableRow> {
    let query = this.db
      .deleteFrom(this.table as 'entries')
      .where('space_id', '=', this.key.spaceId)
      .where('environment_id', '=', this.key.environmentId)
      .where('id', '=', id)
      .where('published_version', 'is', null);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const row = (await query.returning(publishableColumns(this.table)).executeTakeFirst()) as PublishableRow | undefined;
    if (row) return row;
    throw await this.explainRefusal(id, 'delete', expectedVersion);
  }

  private async explainRefusal(id: string, transition: Transition, expectedVersion: number | undefined): Promise<ApiError> {
    const current = await this.find(id);
    if (!current) return notFound(this.type, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      return versionMismatch(this.type, id);
    }
    return badRequest(stateViolation(this.type, current, transition) ?? `Cannot ${transition} this ${this.type.toLowerCase()}`);
  }
}
