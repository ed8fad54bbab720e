import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { ChangeKind, WriteNotices } from '../cache/changes.js';
import {
  type InsertValues,
  type Narrowing,
  Repository,
  type Row,
  type TableDefinition,
  type UpdateValues,
  type VersionedTableName,
} from '../db/repository.js';
import type { DB } from '../db/schema.js';
import { collection, type Paging } from '../domain/collections.js';
import { notFound } from '../domain/errors.js';
import { generateId } from '../domain/ids.js';

/**
 * A simple resource, declared: its table and scope, how a row is shown, which columns an input writes,
 * who may read and write it, and which caches a write makes stale. The service below gives every
 * declared resource the same list, get, create-or-update and delete, with version locking, `sys` and
 * cache notices behaving the same everywhere.
 */
export interface ResourceDeclaration<T extends VersionedTableName, K, Input, View> extends TableDefinition<T, K> {
  view: (row: Row<T>) => View;
  /** The columns an input writes on create, and on update unless `changeable` says otherwise. */
  values: (input: Input) => Omit<InsertValues<T>, 'id'> & UpdateValues<T>;
  /** The columns an input may change once the resource exists. */
  changeable?: (input: Input) => UpdateValues<T>;
  /** Throws when the actor may not read (list, get) the resources of `key`. */
  canRead: (actor: Actor, key: K) => Promise<void> | void;
  /** Throws when the actor may not create, change or delete them. */
  canWrite: (actor: Actor, key: K) => Promise<void> | void;
  /** What a write of this resource makes stale. */
  changes: ChangeKind;
}

export interface PutResult<View> {
  created: boolean;
  item: View;
}

/**
 * The reads of a declared resource, and its common delete. A resource whose writes have rules of their
 * own (keys that come in pairs, sealed secrets, locked locales) extends this and writes through its
 * repository, so no generic write that would skip those rules is on it.
 */
export class VersionedResourceReader<T extends VersionedTableName, K, Input, View> {
  constructor(
    db: Kysely<DB>,
    protected readonly declaration: ResourceDeclaration<T, K, Input, View>,
    protected readonly notices: WriteNotices,
    /** The resource's own repository, when it has statements beyond the common ones. */
    protected readonly repository: Repository<T, K> = new Repository(db, declaration),
  ) {}

  async list(actor: Actor, key: K, paging: Paging, narrow?: Narrowing<T>) {
    await this.declaration.canRead(actor, key);
    const { rows, total } = await this.repository.in(key).list(paging, narrow);
    return collection(rows.map(this.declaration.view), total, paging);
  }

  async get(actor: Actor, key: K, id: string): Promise<View> {
    await this.declaration.canRead(actor, key);
    const row = await this.repository.in(key).find(id);
    if (!row) throw notFound(this.declaration.type, id);
    return this.declaration.view(row);
  }

  /** Deletes by id (at `expectedVersion` when given). */
  protected async remove(actor: Actor, key: K, id: string, expectedVersion?: number): Promise<void> {
    await this.declaration.canWrite(actor, key);
    await this.repository.in(key).delete(id, expectedVersion);
    this.written();
  }

  protected written(): void {
    this.notices.written(this.declaration.changes);
  }
}

/** A declared resource with the common writes: create, create-or-update by id, delete. */
export class VersionedResourceService<T extends VersionedTableName, K, Input, View> extends VersionedResourceReader<T, K, Input, View> {
  async create(actor: Actor, key: K, input: Input, id: string = generateId()): Promise<View> {
    await this.declaration.canWrite(actor, key);
    const row = await this.repository.in(key).insert({ ...this.declaration.values(input), id } as InsertValues<T>, actor.userId);
    this.written();
    return this.declaration.view(row);
  }

  /** PUT on an id: creates the resource when it does not exist yet, otherwise a version-locked update. */
  async put(actor: Actor, key: K, id: string, input: Input, expectedVersion: number | undefined): Promise<PutResult<View>> {
    await this.declaration.canWrite(actor, key);
    const rows = this.repository.in(key);
    if (!(await rows.exists(id))) {
      const row = await rows.insert({ ...this.declaration.values(input), id } as InsertValues<T>, actor.userId);
      this.written();
      return { created: true, item: this.declaration.view(row) };
    }
    const { changeable = this.declaration.values } = this.declaration;
    const row = await rows.update(id, expectedVersion, changeable(input), actor.userId);
    this.written();
    return { created: false, item: this.declaration.view(row) };
  }

  delete(actor: Actor, key: K, id: string, expectedVersion?: number): Promise<void> {
    return this.remove(actor, key, id, expectedVersion);
  }
}
