import { type Kysely, sql } from 'kysely';
import { Repository, type SpaceKey, spaceColumns, tableIn, type TableDefinition } from '../../db/repository.js';
import type { DB, EnvironmentRow } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';

export const environmentTable: TableDefinition<'environments', SpaceKey> = {
  table: 'environments',
  type: 'Environment',
  scope: spaceColumns,
  order: ['created_at', 'id'],
};

export async function insertEnvironment(
  db: Kysely<DB>,
  values: { spaceId: string; id: string; name: string; userId: string | null },
): Promise<EnvironmentRow> {
  return new EnvironmentRepository(db).in(values).insert({ id: values.id, name: values.name }, values.userId);
}

/** Environments of a space, their aliases, and the statements an environment copy makes. */
export class EnvironmentRepository extends Repository<'environments', SpaceKey> {
  constructor(db: Kysely<DB>) {
    super(db, environmentTable);
  }

  /** One page of the space's environments (or only `onlyId`) and their total. */
  async page(key: SpaceKey, paging: Paging, onlyId?: string) {
    return this.in(key).list(paging, (rows) => (onlyId === undefined ? rows : rows.where('id', '=', onlyId)));
  }

  /** The alias ids of the space by the environment they lead to. */
  async aliasesByTarget(key: SpaceKey): Promise<Map<string, string[]>> {
    const rows = await tableIn(this.db, 'environment_aliases', spaceColumns(key))
      .select()
      .select(['id', 'target_environment_id'])
      .orderBy('id')
      .execute();
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.target_environment_id, [...(map.get(r.target_environment_id) ?? []), r.id]);
    return map;
  }

  async isAliasId(key: SpaceKey, id: string): Promise<boolean> {
    const alias = await tableIn(this.db, 'environment_aliases', spaceColumns(key))
      .select()
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return alias !== undefined;
  }

  /** A new environment waiting for its copy of `sourceId`; undefined when the id was taken meanwhile. */
  async insertQueued(key: SpaceKey, id: string, name: string, sourceId: string, userId: string | null) {
    return this.in(key)
      .inserting({ id, name, status: 'queued', source_environment_id: sourceId, created_by: userId, updated_by: userId })
      .onConflict((oc) => oc.columns(['space_id', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst() as Promise<EnvironmentRow | undefined>;
  }

  /** Every copy still queued, in every space: what a starting process resumes. */
  async queuedCopies() {
    return this.db.selectFrom('environments').select(['space_id', 'id', 'source_environment_id']).where('status', '=', 'queued').execute();
  }

  /** Takes the copy lock of an environment for the transaction, if no one else holds it. */
  async tryCopyLock(trx: Kysely<DB>, key: SpaceKey, id: string): Promise<boolean> {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${copyLockKey(key, id)})) as locked`.execute(
      trx,
    );
    return rows[0]?.locked === true;
  }

  /** Waits for the copy lock of an environment, for the transaction. */
  async copyLock(trx: Kysely<DB>, key: SpaceKey, id: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${copyLockKey(key, id)}))`.execute(trx);
  }

  /** The status, with the row locked without blocking the foreign-key checks of writes on other connections. */
  async lockedStatus(trx: Kysely<DB>, key: SpaceKey, id: string) {
    const row = await this.in(key, trx).select().select('status').where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
    return row?.status;
  }

  async markReady(trx: Kysely<DB>, key: SpaceKey, id: string): Promise<void> {
    await this.in(key, trx).updating().set({ status: 'ready', updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** Marks a still-queued environment failed; whether it was still queued. */
  async markFailed(trx: Kysely<DB>, key: SpaceKey, id: string): Promise<boolean> {
    const marked = await this.in(key, trx)
      .updating()
      .set({ status: 'failed', updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returning('id')
      .executeTakeFirst();
    return marked !== undefined;
  }

  /** Deletes an environment (at `expectedVersion` when given) unless an alias leads to it; whether it did. */
  async deleteUnlessAliased(key: SpaceKey, id: string, expectedVersion: number | undefined): Promise<boolean> {
    let query = this.in(key).deleting().where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const deleted = await query
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('environment_aliases as a')
              .select('a.id')
              .where('a.space_id', '=', key.spaceId)
              .where('a.target_environment_id', '=', id),
          ),
        ),
      )
      .returning('id')
      .executeTakeFirst();
    return deleted !== undefined;
  }
}

export type ResolvedEnvironment = { environmentId: string; aliasId?: string; status: string };
export type EnvironmentMatch = { id: string; status: string; alias_id: string | null };

/** An alias id shadows an environment of the same id: that is how the `master` alias redirects `master`. */
export function environmentLookup(db: Kysely<DB>, spaceId: string, requested: string) {
  return db
    .selectFrom('environments as e')
    .leftJoin('environment_aliases as a', (join) => join.onRef('a.space_id', '=', 'e.space_id').on('a.id', '=', requested))
    .select(['e.id', 'e.status', 'a.id as alias_id'])
    .where('e.space_id', '=', spaceId)
    .where((eb) =>
      eb.or([eb.and([eb('a.id', 'is', null), eb('e.id', '=', requested)]), eb('e.id', '=', eb.ref('a.target_environment_id'))]),
    )
    .limit(1);
}

export const resolvedEnvironment = (row: EnvironmentMatch | null | undefined): ResolvedEnvironment | undefined =>
  row ? { environmentId: row.id, aliasId: row.alias_id ?? undefined, status: row.status } : undefined;

export async function resolveEnvironmentId(db: Kysely<DB>, spaceId: string, requested: string): Promise<ResolvedEnvironment | undefined> {
  return resolvedEnvironment(await environmentLookup(db, spaceId, requested).executeTakeFirst());
}

const copyLockKey = (key: SpaceKey, id: string) => `environment-copy:${key.spaceId}/${id}`;
