import type { Kysely } from 'kysely';
import { oneOf } from '../../db/lists.js';
import { type InsertValues, nextVersion, Repository, rowsOf, type SpaceKey, spaceColumns, type UpdateValues } from '../../db/repository.js';
import type { ApiKeyRow, DB } from '../../db/schema.js';

/** The preview keys of a space: read on their own, written with their delivery key. */
export const previewColumns = (key: SpaceKey) => ({ space_id: key.spaceId, kind: 'preview' });

/** Delivery keys (the repository's scope), their preview keys, and the environments a key may name. */
export class ApiKeyRepository extends Repository<'api_keys', SpaceKey> {
  private previews(key: SpaceKey, db: Kysely<DB>) {
    return rowsOf(db, 'api_keys', 'PreviewApiKey', previewColumns(key));
  }

  /** Which of `ids` are environments or aliases of the space. */
  async knownEnvironmentIds(key: SpaceKey, ids: string[]): Promise<Set<string>> {
    const [environments, aliases] = await Promise.all(
      (['environments', 'environment_aliases'] as const).map((table) =>
        rowsOf(this.db, table, 'Environment', spaceColumns(key)).select().select('id').where('id', '=', oneOf(ids)).execute(),
      ),
    );
    return new Set([...environments, ...aliases].map((r) => r.id));
  }

  /** Inserts a delivery key and its preview key in one transaction. */
  insertPair(
    key: SpaceKey,
    delivery: InsertValues<'api_keys'>,
    preview: InsertValues<'api_keys'>,
    userId: string | null,
  ): Promise<ApiKeyRow> {
    return this.transaction(async (trx) => {
      const previewRow = await this.previews(key, trx).insert({ ...preview, kind: 'preview' }, userId);
      return this.in(key, trx).insert({ ...delivery, kind: 'delivery', preview_key_id: previewRow.id }, userId);
    });
  }

  /** A version-locked update of a delivery key that its preview key follows, in one transaction. */
  updatePair(key: SpaceKey, id: string, expectedVersion: number | undefined, values: UpdateValues<'api_keys'>, userId: string | null) {
    return this.transaction(async (trx) => {
      const row = await this.in(key, trx).update(id, expectedVersion, values, userId);
      if (row.preview_key_id)
        await this.previews(key, trx)
          .updating()
          .set({ ...values, ...nextVersion(userId) })
          .where('id', '=', row.preview_key_id)
          .execute();
      return row;
    });
  }

  /** Deletes a delivery key and its preview key. */
  async deletePair(key: SpaceKey, id: string): Promise<void> {
    await this.transaction(async (trx) => {
      const row = await this.in(key, trx).delete(id);
      if (row.preview_key_id) await this.previews(key, trx).deleting().where('id', '=', row.preview_key_id).execute();
    });
  }

  /** The key a token belongs to, in any space: the token is all a delivery request names. */
  byTokenHash(tokenHash: string) {
    return this.db
      .selectFrom('api_keys')
      .select(['space_id', 'id', 'kind', 'environments'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }
}
