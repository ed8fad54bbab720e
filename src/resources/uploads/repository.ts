import type { Kysely } from 'kysely';
import { rowsOf, type SpaceKey, spaceColumns, tableIn } from '../../db/repository.js';
import type { DB, UploadRow } from '../../db/schema.js';

/** Uploads of a space, and the environments one may be made in. */
export class UploadRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private in(key: SpaceKey) {
    return tableIn(this.db, 'uploads', spaceColumns(key));
  }

  environmentExists(key: SpaceKey, environmentId: string): Promise<boolean> {
    return rowsOf(this.db, 'environments', 'Environment', spaceColumns(key)).exists(environmentId);
  }

  insert(key: SpaceKey, values: Omit<UploadRow, 'space_id'>): Promise<UploadRow> {
    return this.in(key).inserting(values).returningAll().executeTakeFirstOrThrow();
  }

  /** The upload `id` unless it expired by `now`. */
  findLive(key: SpaceKey, id: string, now: Date): Promise<UploadRow | undefined> {
    return this.in(key).select().selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  }

  delete(key: SpaceKey, id: string): Promise<UploadRow | undefined> {
    return this.in(key).deleting().where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** Deletes the uploads of every space that expired by `now`, returning their blob keys. */
  async deleteExpired(now: Date): Promise<string[]> {
    const rows = await this.db.deleteFrom('uploads').where('expires_at', '<=', now).returning('blob_key').execute();
    return rows.map((row) => row.blob_key);
  }
}
