import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, TagRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { oneOf } from '../../db/lists.js';
import { collection } from '../../domain/collections.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { environmentScope, versionedSys } from '../../http/sys.js';
import { parseSearchQuery } from '../../query/parse.js';
import type { EnvironmentScope } from '../environments/scope.js';

export type TagVisibility = 'public' | 'private';

export function tagView(row: TagRow) {
  return {
    name: row.name,
    sys: {
      id: row.id,
      type: 'Tag',
      visibility: row.visibility,
      ...versionedSys(row),
      ...environmentScope(row.space_id, row.environment_id),
    },
  };
}

/** The tag ids an entry or asset body carries in `metadata.tags`. */
export const tagIdsOf = (input: { metadata?: { tags?: { sys: { id: string } }[] } }) => (input.metadata?.tags ?? []).map((t) => t.sys.id);

/** The tag ids of `ids` that do not exist in the environment (entries and assets may only carry existing tags). */
export async function missingTagIds(db: Kysely<DB>, scope: { spaceId: string; environmentId: string }, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .selectFrom('tags')
    .select('id')
    .where('space_id', '=', scope.spaceId)
    .where('environment_id', '=', scope.environmentId)
    .where('id', '=', oneOf(ids))
    .execute();
  const existing = new Set(found.map((t) => t.id));
  return ids.filter((id) => !existing.has(id));
}

export function assertTagsExist(missing: string[]) {
  if (missing.length) {
    throw validationFailed(
      missing.map((id) => ({ name: 'notResolvable', path: ['metadata', 'tags'], value: id, details: `The tag "${id}" does not exist` })),
    );
  }
}

const nameTaken = (name: string) =>
  validationFailed([{ name: 'taken', path: ['name'], value: name, details: `A tag named "${name}" already exists` }]);

/** Tags of an environment: unique ids and names, a visibility fixed at creation, version-locked renames. */
export class TagService {
  constructor(private readonly db: Kysely<DB>) {}

  private rows(db: Kysely<DB>, scope: EnvironmentScope) {
    return db.selectFrom('tags').where('space_id', '=', scope.spaceId).where('environment_id', '=', scope.environmentId);
  }

  /** Tags support `sys.id` and `sys.id[in]` filters, `skip` and `limit`; they are ordered by name. */
  async list(_actor: Actor, scope: EnvironmentScope, rawQuery: Record<string, unknown>) {
    const query = parseSearchQuery(rawQuery);
    let base = this.rows(this.db, scope);
    for (const filter of query.filters) {
      const byId = filter.target.kind === 'sys' && filter.target.path === 'id' && (filter.op === 'eq' || filter.op === 'in');
      if (!byId)
        throw new ApiError('InvalidQuery', `The query parameter "${filter.param}" is not supported on tags`, { param: filter.param });
      base = base.where('id', '=', oneOf(filter.raw.split(',')));
    }
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('name').orderBy('id').offset(query.skip).limit(query.limit).execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(tagView), count.total, query);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.rows(this.db, scope).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Tag', id);
    return tagView(row);
  }

  async put(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    name: string,
    visibility: TagVisibility,
    expectedVersion: number | undefined,
  ) {
    scope.permissions.require('Tags', 'manage');
    const existing = await this.rows(this.db, scope).select('id').where('id', '=', id).executeTakeFirst();
    const duplicate = (err: unknown): never => {
      if ((err as { code?: string }).code === '23505') throw nameTaken(name);
      throw err;
    };
    if (!existing) {
      const row = await this.db
        .insertInto('tags')
        .values({
          space_id: scope.spaceId,
          environment_id: scope.environmentId,
          id,
          name,
          visibility,
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(duplicate);
      return { created: true, tag: tagView(row) };
    }
    const row = await versionLockedUpdate({
      type: 'Tag',
      id,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('tags')
          .set((eb) => ({ name, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
          .where('space_id', '=', scope.spaceId)
          .where('environment_id', '=', scope.environmentId)
          .where('id', '=', id)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst()
          .catch(duplicate),
      exists: async () => true,
    });
    return { created: false, tag: tagView(row) };
  }

  /** Deleting a tag also takes it off every entry and asset of the environment. */
  async delete(_actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    scope.permissions.require('Tags', 'manage');
    await this.db.transaction().execute(async (trx) => {
      let query = trx
        .deleteFrom('tags')
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('id', '=', id);
      if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
      const deleted = await query.returning('id').executeTakeFirst();
      if (!deleted) {
        const exists = await this.rows(trx, scope).select('id').where('id', '=', id).executeTakeFirst();
        if (!exists) throw notFound('Tag', id);
        throw new ApiError('VersionMismatch', 'Version mismatch', { type: 'Tag', id });
      }
      for (const table of ['entries', 'assets'] as const) {
        await trx
          .updateTable(table as 'entries')
          .set({ tags: sql`array_remove(tags, ${id}::text)`, published_tags: sql`array_remove(published_tags, ${id}::text)` })
          .where('space_id', '=', scope.spaceId)
          .where('environment_id', '=', scope.environmentId)
          .where(sql<boolean>`(tags @> array[${id}::text] or published_tags @> array[${id}::text])`)
          .execute();
      }
    });
  }
}
