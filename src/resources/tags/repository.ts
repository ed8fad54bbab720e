import { sql } from 'kysely';
import { oneOf } from '../../db/lists.js';
import type { Kysely } from 'kysely';
import { type EnvironmentKey, environmentColumns, Repository, rowsOf, type TableDefinition } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { validationFailed } from '../../domain/errors.js';

export const tagTable: TableDefinition<'tags', EnvironmentKey> = {
  table: 'tags',
  type: 'Tag',
  scope: environmentColumns,
  order: ['name', 'id'],
  conflict: ({ name }) =>
    validationFailed([{ name: 'taken', path: ['name'], value: name, details: `A tag named "${name}" already exists` }]),
};

const TAGGED_TABLES = ['entries', 'assets'] as const;

/** Tags of an environment, and the entries and assets that carry them. */
export class TagRepository extends Repository<'tags', EnvironmentKey> {
  /** The ids of `ids` that are not tags of the environment (entries and assets may only carry existing tags). */
  async missingIds(key: EnvironmentKey, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.in(key).select().select('id').where('id', '=', oneOf(ids)).execute();
    const existing = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !existing.has(id));
  }

  /** Deletes a tag (at `expectedVersion` when given) and takes it off every entry and asset of the environment. */
  async deleteEverywhere(key: EnvironmentKey, id: string, expectedVersion: number | undefined): Promise<void> {
    await this.transaction(async (trx) => {
      await this.in(key, trx).delete(id, expectedVersion);
      for (const table of TAGGED_TABLES) {
        await rowsOf(trx, table, 'Entry', this.definition.scope(key))
          .updating()
          .set({ tags: sql`array_remove(tags, ${id}::text)`, published_tags: sql`array_remove(published_tags, ${id}::text)` })
          .where(sql<boolean>`(tags @> array[${id}::text] or published_tags @> array[${id}::text])`)
          .execute();
      }
    });
  }
}

export const missingTagIds = (db: Kysely<DB>, key: EnvironmentKey, ids: string[]) => new TagRepository(db, tagTable).missingIds(key, ids);
