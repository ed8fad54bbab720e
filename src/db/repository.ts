import {
  type DeleteQueryBuilder,
  type DeleteResult,
  type Expression,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Updateable,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import { type ApiError, notFound, versionMismatch } from '../domain/errors.js';
import type { Paging } from '../domain/collections.js';
import { translateDatabaseError } from './errors.js';
import type { DB } from './schema.js';
import { versionLockedUpdate } from './versioned.js';

/** Tables whose rows have an id and the versioned columns: what a repository can hold. */
export type VersionedTableName = {
  [K in keyof DB]: DB[K] extends { id: string; version: unknown; updated_at: unknown } ? K : never;
}[keyof DB];

export type Row<T extends keyof DB> = Selectable<DB[T]>;

/** The scopes a resource lives in. Services hold the key; the repository turns it into filtered columns. */
export interface OrganizationKey {
  organizationId: string;
}
export interface SpaceKey {
  spaceId: string;
}
export interface EnvironmentKey {
  spaceId: string;
  environmentId: string;
}

export type ScopeColumns = Readonly<Record<string, string>>;

export const organizationColumns = (key: OrganizationKey): ScopeColumns => ({ organization_id: key.organizationId });
export const spaceColumns = (key: SpaceKey): ScopeColumns => ({ space_id: key.spaceId });
export const environmentColumns = (key: EnvironmentKey): ScopeColumns => ({
  space_id: key.spaceId,
  environment_id: key.environmentId,
});

type ScopeColumnName = 'organization_id' | 'space_id' | 'environment_id';
/** Columns a caller never writes itself: the scope and the audit columns are the repository's. */
type OwnColumns = ScopeColumnName | 'created_by' | 'updated_by' | 'version';
export type InsertValues<T extends keyof DB> = Omit<Insertable<DB[T]>, OwnColumns>;
export type UpdateValues<T extends keyof DB> = Omit<Updateable<DB[T]>, OwnColumns | 'id' | 'created_at' | 'updated_at'>;

/** A column to order by, ascending unless it says `desc`. */
export type Ordering<T extends keyof DB> = (keyof DB[T] & string) | `${keyof DB[T] & string} desc`;

export interface TableDefinition<T extends VersionedTableName, K> {
  table: T;
  /** The resource's name in 404 and 409 errors ('Role'). */
  type: string;
  /** The columns (and their values) a key stands for: every query of the repository is filtered on them. */
  scope: (key: K) => ScopeColumns;
  /** The order of `list`, unique column last. */
  order: readonly Ordering<T>[];
  /** What a unique violation means for this resource (a taken name is a 422, a taken id a 409, ...). */
  conflict?: (values: Record<string, unknown>) => ApiError;
  /**
   * For rows that carry no column of their scope (a team's memberships, an organization's spaces' roles): the
   * condition that ties them to it, added to every select, update and delete beside the scope's columns.
   */
  within?: (key: K) => Expression<SqlBool>;
}

/** Narrows a list to some of a scope's rows. */
export type Narrowing<T extends keyof DB> = (query: SelectQueryBuilder<DB, T, object>) => SelectQueryBuilder<DB, T, object>;

/** Kysely over table names only known at run time; the public methods give the caller's table its types back. */
type LooseDB = Record<string, Record<string, unknown>>;

/**
 * One resource's table. `in(key)` gives the rows of one scope, and every query built from there is
 * filtered on the scope's columns, so a query that forgets the tenant cannot be written by accident.
 */
export class Repository<T extends VersionedTableName, K> {
  constructor(
    protected readonly db: Kysely<DB>,
    readonly definition: TableDefinition<T, K>,
  ) {}

  in(key: K, db: Kysely<DB> = this.db): ScopedRows<T> {
    return new ScopedRows(db, this.definition, this.definition.scope(key), this.definition.within?.(key));
  }

  /** Runs `work` in one transaction; repositories opened with `in(key, trx)` take part in it. */
  transaction<R>(work: (trx: Kysely<DB>) => Promise<R>): Promise<R> {
    return this.db.transaction().execute(work);
  }
}

/**
 * The rows of any table in one scope (versioned or not: snapshots, uploads, call logs), filtered on the
 * scope's columns in every statement built from here.
 */
export class ScopedTable<T extends keyof DB> {
  protected readonly loose: Kysely<LooseDB>;

  constructor(
    readonly db: Kysely<DB>,
    protected readonly definition: { table: T; order: readonly Ordering<T>[] },
    readonly scope: ScopeColumns,
    private readonly condition?: Expression<SqlBool>,
  ) {
    this.loose = db as unknown as Kysely<LooseDB>;
  }

  protected get table(): string {
    return this.definition.table;
  }

  /** A select of this scope's rows, to narrow and pick columns from. */
  select(): SelectQueryBuilder<DB, T, object> {
    let query = this.loose.selectFrom(this.table);
    for (const [column, value] of Object.entries(this.scope)) query = query.where(column, '=', value);
    if (this.condition) query = query.where(this.condition);
    return query as unknown as SelectQueryBuilder<DB, T, object>;
  }

  /** An update of this scope's rows, to narrow further. */
  updating(): UpdateQueryBuilder<DB, T, T, UpdateResult> {
    let query = this.loose.updateTable(this.table);
    for (const [column, value] of Object.entries(this.scope)) query = query.where(column, '=', value);
    if (this.condition) query = query.where(this.condition);
    return query as unknown as UpdateQueryBuilder<DB, T, T, UpdateResult>;
  }

  /** A delete of this scope's rows, to narrow further. */
  deleting(): DeleteQueryBuilder<DB, T, DeleteResult> {
    let query = this.loose.deleteFrom(this.table);
    for (const [column, value] of Object.entries(this.scope)) query = query.where(column, '=', value);
    if (this.condition) query = query.where(this.condition);
    return query as unknown as DeleteQueryBuilder<DB, T, DeleteResult>;
  }

  /** An insert of one row of this scope: the scope's columns are added. */
  inserting(values: Omit<Insertable<DB[T]>, ScopeColumnName> & Partial<Insertable<DB[T]>>): InsertQueryBuilder<DB, T, InsertResult> {
    const query = this.loose.insertInto(this.table).values({ ...values, ...this.scope });
    return query as unknown as InsertQueryBuilder<DB, T, InsertResult>;
  }

  /** One page in the definition's order, and the total of the (narrowed) scope. */
  async list(paging: Paging, narrow: Narrowing<T> = (query) => query): Promise<{ rows: Row<T>[]; total: number }> {
    const base = narrow(this.select()) as unknown as SelectQueryBuilder<LooseDB, string, object>;
    let page = base.selectAll();
    for (const ordering of this.definition.order) {
      const [column, direction] = ordering.split(' ');
      page = page.orderBy(column, direction === 'desc' ? 'desc' : 'asc');
    }
    const [rows, count] = await Promise.all([
      page.offset(paging.skip).limit(paging.limit).execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as Row<T>[], total: Number(count.total) };
  }
}

/** The rows of a versioned resource's table in one scope. */
export class ScopedRows<T extends VersionedTableName> extends ScopedTable<T> {
  constructor(
    db: Kysely<DB>,
    protected override readonly definition: Omit<TableDefinition<T, never>, 'scope' | 'within'>,
    scope: ScopeColumns,
    condition?: Expression<SqlBool>,
  ) {
    super(db, definition, scope, condition);
  }

  async find(id: string): Promise<Row<T> | undefined> {
    const query = this.select() as unknown as SelectQueryBuilder<LooseDB, string, object>;
    const row = await query.selectAll().where('id', '=', id).executeTakeFirst();
    return row as Row<T> | undefined;
  }

  async exists(id: string): Promise<boolean> {
    const query = this.select() as unknown as SelectQueryBuilder<LooseDB, string, object>;
    return (await query.select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Inserts a row of this scope, created and last updated by `userId`. */
  async insert(values: InsertValues<T>, userId: string | null): Promise<Row<T>> {
    const row = { ...values, ...this.scope, created_by: userId, updated_by: userId };
    return this.guard(values as Record<string, unknown>, () =>
      this.loose.insertInto(this.table).values(row).returningAll().executeTakeFirstOrThrow(),
    ) as Promise<Row<T>>;
  }

  /**
   * Writes `values` to the row `id` if it still has `expectedVersion`, in one statement, and moves it to
   * the next version: two writers holding the same version can never both succeed. No row is a 404, a
   * stale or missing version a 409.
   */
  async update(id: string, expectedVersion: number | undefined, values: UpdateValues<T>, userId: string | null): Promise<Row<T>> {
    const { type } = this.definition;
    return versionLockedUpdate({
      type,
      id,
      expectedVersion,
      update: (version) =>
        this.guard(values as Record<string, unknown>, () =>
          (this.updating() as unknown as UpdateQueryBuilder<LooseDB, string, string, UpdateResult>)
            .set({ ...values, ...nextVersion(userId) })
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        ) as Promise<Row<T> | undefined>,
      exists: () => this.exists(id),
    });
  }

  /**
   * Deletes the row `id` (at `expectedVersion` when one is given) and returns it: no row is a 404, a
   * stale version a 409.
   */
  async delete(id: string, expectedVersion?: number): Promise<Row<T>> {
    let query = (this.deleting() as unknown as DeleteQueryBuilder<LooseDB, string, DeleteResult>).where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const row = await query.returningAll().executeTakeFirst();
    if (row) return row as Row<T>;
    const { type } = this.definition;
    if (expectedVersion === undefined || !(await this.exists(id))) throw notFound(type, id);
    throw versionMismatch(type, id);
  }

  /** Runs a write, translating its database errors once for every resource. */
  async guard<R>(values: Record<string, unknown>, write: () => Promise<R>): Promise<R> {
    const { conflict } = this.definition;
    try {
      return await write();
    } catch (err) {
      throw translateDatabaseError(err, conflict && (() => conflict(values)));
    }
  }
}

/** What every write of a versioned row sets besides its own columns: the next version, by `userId`, now. */
export const nextVersion = (userId: string | null) => ({ version: sql<number>`version + 1`, updated_at: new Date(), updated_by: userId });

/** The rows of a table that is not a versioned resource, in one scope; `order` is the order of `list`. */
export function tableIn<T extends keyof DB>(
  db: Kysely<DB>,
  table: T,
  scope: ScopeColumns,
  order: readonly Ordering<T>[] = [],
): ScopedTable<T> {
  return new ScopedTable(db, { table, order }, scope);
}

/** Another table's rows in the same scope, for a repository statement that spans tables (one transaction). */
export function rowsOf<T extends VersionedTableName>(db: Kysely<DB>, table: T, type: string, scope: ScopeColumns): ScopedRows<T> {
  return new ScopedRows(db, { table, type, order: ['id' as keyof DB[T] & string] }, scope);
}
