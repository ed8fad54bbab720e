import { type Kysely, sql } from 'kysely';
import type { EnvironmentKey } from '../../db/repository.js';
import type { BulkActionRow, DB } from '../../db/schema.js';

/** Bulk actions of an environment, and the worker's claim on the next one waiting. */
export class BulkActionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(key: EnvironmentKey, row: Pick<BulkActionRow, 'id' | 'action' | 'payload' | 'api_version' | 'created_by'>) {
    return this.db
      .insertInto('bulk_actions')
      .values({ ...row, space_id: key.spaceId, environment_id: key.environmentId, payload: JSON.stringify(row.payload) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(key: EnvironmentKey, id: string) {
    return this.db
      .selectFrom('bulk_actions')
      .selectAll()
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Takes the oldest waiting action for this process (created -> inProgress), skipping ones being taken. */
  async claimNext(now: Date): Promise<BulkActionRow | undefined> {
    const result = await sql<BulkActionRow>`
      update bulk_actions b set status = 'inProgress', claimed_at = ${now}, updated_at = ${now}
      where (b.space_id, b.id) = (
        select space_id, id from bulk_actions where status = 'created' order by created_at, id limit 1 for update skip locked)
      returning b.*`.execute(this.db);
    return result.rows[0];
  }

  async finish(row: BulkActionRow, outcome: { status: 'succeeded' | 'failed'; error?: Record<string, unknown> }, now: Date) {
    return this.db
      .updateTable('bulk_actions')
      .set({ status: outcome.status, error: outcome.error ? JSON.stringify(outcome.error) : null, updated_at: now })
      .where('space_id', '=', row.space_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .returningAll()
      .executeTakeFirst();
  }

  /** Gives an action back to be taken again (its run could not start: the database was away). */
  async release(row: BulkActionRow) {
    await this.db
      .updateTable('bulk_actions')
      .set({ status: 'created', claimed_at: null })
      .where('space_id', '=', row.space_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .execute();
  }
}
