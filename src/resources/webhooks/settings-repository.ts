import { type Kysely, sql } from 'kysely';
import type { DB, WebhookRetryPolicyRow, WebhookSigningSecretRow } from '../../db/schema.js';

/** A space's webhook settings: one row per space and setting, keyed by the space id alone. */
type SettingsTable = 'webhook_signing_secrets' | 'webhook_retry_policies';

/** Kysely over either settings table (they share every column but the setting's own). */
type LooseDB = Record<string, Record<string, unknown>>;

interface SettingsRows {
  webhook_signing_secrets: WebhookSigningSecretRow;
  webhook_retry_policies: WebhookRetryPolicyRow;
}

type SettingValues<T extends SettingsTable> = Omit<
  SettingsRows[T],
  'space_id' | 'version' | 'created_by' | 'updated_by' | 'created_at' | 'updated_at'
>;

/** The space's webhook signing secret and retry policy; each statement names the space it acts on. */
export class WebhookSettingsRepository {
  private readonly loose: Kysely<LooseDB>;

  constructor(private readonly db: Kysely<DB>) {
    this.loose = db as unknown as Kysely<LooseDB>;
  }

  async find<T extends SettingsTable>(table: T, spaceId: string): Promise<SettingsRows[T] | undefined> {
    const row = await this.loose
      .selectFrom(table as string)
      .selectAll()
      .where('space_id', '=', spaceId)
      .executeTakeFirst();
    return row as SettingsRows[T] | undefined;
  }

  /** Creates the setting, or replaces its value and moves it to the next version, in one statement. */
  async upsert<T extends SettingsTable>(table: T, spaceId: string, values: SettingValues<T>, userId: string): Promise<SettingsRows[T]> {
    const row = await this.loose
      .insertInto(table as string)
      .values({ ...values, space_id: spaceId, created_by: userId, updated_by: userId })
      .onConflict((oc) =>
        oc.column('space_id').doUpdateSet({
          ...values,
          version: sql`${sql.table(table)}.version + 1`,
          updated_by: userId,
          updated_at: new Date(),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return row as unknown as SettingsRows[T];
  }

  /** Deletes the setting; says whether there was one. */
  async delete(table: SettingsTable, spaceId: string): Promise<boolean> {
    const result = await this.db.deleteFrom(table).where('space_id', '=', spaceId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
