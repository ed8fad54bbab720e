import { type Kysely, sql } from 'kysely';
import type { EnvironmentKey } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { PublishableRepository } from '../publishable/repository.js';

/** Assets, with the one write processing makes outside the life cycle. */
export class AssetRepository extends PublishableRepository {
  constructor(db: Kysely<DB>) {
    super(db, 'assets', 'Asset');
  }

  /**
   * Puts a processed file in the locale's place, only if the file is still `original` (an edit made while
   * processing wins). Whether it was written.
   */
  async replaceFile(key: EnvironmentKey, id: string, locale: string, original: unknown, processed: unknown): Promise<boolean> {
    const updated = await this.in(key)
      .updating()
      .set({
        fields: sql`jsonb_set(fields, array['file', ${locale}]::text[], ${JSON.stringify(processed)}::jsonb)`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where(sql<boolean>`fields -> 'file' -> ${locale} = ${JSON.stringify(original)}::jsonb`)
      .returning('id')
      .executeTakeFirst();
    return updated !== undefined;
  }
}
