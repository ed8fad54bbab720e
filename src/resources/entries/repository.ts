import { type Kysely, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { oneOf } from '../../db/lists.js';
import type { EnvironmentKey } from '../../db/repository.js';
import type { ContentTypeDefinitionJson, DB } from '../../db/schema.js';
import { QueryTemplate } from '../../db/template.js';
import type { localeInfo } from '../locales/repository.js';
import { localeRows } from '../locales/repository.js';
import { PublishableRepository, type PublishableRow, publishableColumns } from '../publishable/repository.js';

/** An entry as a write reads it, with its active content type and the environment's locales. */
export type EntryForWriteRow = PublishableRow & {
  active_content_type: ContentTypeDefinitionJson | null;
  /** The content type's `metadata.taxonomy`, as stored. */
  taxonomy_validations: unknown;
  environment_locales: Parameters<typeof localeInfo>[0][];
};

/** Entries, with the reads a write and a publish check them against. */
export class EntryRepository extends PublishableRepository {
  constructor(db: Kysely<DB>) {
    super(db, 'entries', 'Entry');
  }

  /** Read before every entry write: compiled once (see QueryTemplate). */
  private readonly forWriteStatement = new QueryTemplate<{ spaceId: string; environmentId: string; id: string }>((db, v) =>
    db
      .selectFrom('entries as e')
      .select(publishableColumns('entries', 'e'))
      .select((eb) => [
        eb
          .selectFrom('content_types as ct')
          .select('ct.published')
          .where('ct.space_id', '=', v.spaceId)
          .where('ct.environment_id', '=', v.environmentId)
          .whereRef('ct.id', '=', 'e.content_type_id')
          .as('active_content_type'),
        eb
          .selectFrom('content_types as ct')
          .select(sql<unknown>`ct.metadata -> 'taxonomy'`.as('taxonomy'))
          .where('ct.space_id', '=', v.spaceId)
          .where('ct.environment_id', '=', v.environmentId)
          .whereRef('ct.id', '=', 'e.content_type_id')
          .as('taxonomy_validations'),
        jsonArrayFrom(localeRows(db, v)).as('environment_locales'),
      ])
      .where('e.space_id', '=', v.spaceId)
      .where('e.environment_id', '=', v.environmentId)
      .where('e.id', '=', v.id),
  );

  /** The entry with its active content type and the environment's locales, in one query. */
  async forWrite(key: EnvironmentKey, id: string): Promise<EntryForWriteRow | undefined> {
    const { rows } = await this.forWriteStatement.execute<EntryForWriteRow>(this.db, {
      spaceId: key.spaceId,
      environmentId: key.environmentId,
      id,
    });
    return rows[0];
  }

  /** The entries and assets that links name, in any state, in two queries (for a publish's link check). */
  async linkTargets(key: EnvironmentKey, entryIds: string[], assetIds: string[]) {
    const assets = new PublishableRepository(this.db, 'assets', 'Asset').in(key);
    return Promise.all([
      entryIds.length ? this.in(key).select().select(['id', 'content_type_id']).where('id', '=', oneOf(entryIds)).execute() : [],
      assetIds.length ? assets.select().select(['id', 'fields', 'published_fields']).where('id', '=', oneOf(assetIds)).execute() : [],
    ]);
  }

  /** Up to ten other entries of the content type whose published value of a field in a locale is `value`. */
  async publishedWithValue(key: EnvironmentKey, contentTypeId: string, exceptId: string, fieldId: string, locale: string, value: unknown) {
    return this.in(key)
      .select()
      .select('id')
      .where('content_type_id', '=', contentTypeId)
      .where('id', '<>', exceptId)
      .where(sql<boolean>`published_fields @> ${JSON.stringify({ [fieldId]: { [locale]: value } })}::jsonb`)
      .limit(10)
      .execute();
  }
}
