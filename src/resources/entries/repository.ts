import { type Kysely, type RawBuilder, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { EnvironmentKey } from '../../db/repository.js';
import type { ContentTypeDefinitionJson, DB } from '../../db/schema.js';
import { QueryTemplate } from '../../db/template.js';
import { hasUnresolvedTasks, unresolvedTasksExist } from '../tasks/repository.js';
import type { localeInfo } from '../locales/repository.js';
import { localeRows } from '../locales/repository.js';
import { PublishableRepository, type PublishableRow, publishableColumns } from '../publishable/repository.js';

/** An entry as a write reads it, with its active content type and the environment's locales. */
export type EntryForWriteRow = PublishableRow & {
  active_content_type: ContentTypeDefinitionJson | null;
  /** The content type's `metadata.taxonomy`, as stored. */
  taxonomy_validations: unknown;
  environment_locales: Parameters<typeof localeInfo>[0][];
} & Partial<PublishChecks>;

/** What a publish also reads with the entry: its unresolved tasks, and what its draft links to. */
export interface PublishChecks {
  unresolved_tasks: boolean;
  /** Every entry and asset the draft links to (`Entry:<id>`, `Asset:<id>`), and those of them that exist. */
  draft_links: string[];
  link_targets: LinkTarget[];
}

/** An entry or asset a link names, as a publish's link check reads it. */
export interface LinkTarget {
  kind: 'Entry' | 'Asset';
  id: string;
  content_type_id: string | null;
  /** An asset's published file (its draft's while never published). */
  file: unknown;
}

/** The entries of `entryIds` and assets of `assetIds` (text arrays), in any state, as `LinkTarget` rows. */
function linkTargetRows(key: { spaceId: string; environmentId: string }, entryIds: RawBuilder<unknown>, assetIds: RawBuilder<unknown>) {
  return sql<LinkTarget>`
    select 'Entry' as kind, id, content_type_id, null::jsonb as file from entries
     where space_id = ${key.spaceId} and environment_id = ${key.environmentId} and id = any(${entryIds})
    union all
    select 'Asset', id, null, coalesce(published_fields, fields) -> 'file' from assets
     where space_id = ${key.spaceId} and environment_id = ${key.environmentId} and id = any(${assetIds})`;
}

/** The ids of `linkType` among an entry's link targets column (`Entry:<id>`, `Asset:<id>`). */
const linkedIds = (linkType: 'Entry' | 'Asset') =>
  sql`array(select substr(t, ${linkType.length + 2}) from unnest(e.links) t where t like ${`${linkType}:%`})`;

/** Entries, with the reads a write and a publish check them against. */
export class EntryRepository extends PublishableRepository {
  constructor(db: Kysely<DB>) {
    super(db, 'entries', 'Entry');
  }

  /** Read before every entry write: compiled once per purpose (see QueryTemplate). */
  private readonly forWriteStatement = new QueryTemplate<{ spaceId: string; environmentId: string; id: string }>((db, v, purpose) =>
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
        ...(purpose === 'publish'
          ? [
              hasUnresolvedTasks(v, 'e.id'),
              sql<string[]>`e.links`.as('draft_links'),
              sql<
                LinkTarget[]
              >`(select coalesce(json_agg(l), '[]'::json) from (${linkTargetRows(v, linkedIds('Entry'), linkedIds('Asset'))}) l)`.as(
                'link_targets',
              ),
            ]
          : []),
      ])
      .where('e.space_id', '=', v.spaceId)
      .where('e.environment_id', '=', v.environmentId)
      .where('e.id', '=', v.id),
  );

  /** `PublishGuard`: no unresolved task on the entry written, and every linked entry and asset (distinct ids) exists. */
  protected override publishGuard(key: EnvironmentKey, entryIds: unknown, assetIds: unknown): RawBuilder<boolean> {
    const existing = (table: 'entries' | 'assets', ids: unknown) =>
      sql`(select count(*) from ${sql.table(table)} l where l.space_id = ${key.spaceId} and l.environment_id = ${key.environmentId}
        and l.id = any(${ids}::text[])) = cardinality(${ids}::text[])`;
    return sql<boolean>`not ${unresolvedTasksExist(key, 'entries.id')} and ${existing('entries', entryIds)} and ${existing('assets', assetIds)}`;
  }

  /** The entry with its active content type and the environment's locales, and for a publish `PublishChecks`, in one query. */
  async forWrite(key: EnvironmentKey, id: string, purpose: 'save' | 'publish'): Promise<EntryForWriteRow | undefined> {
    const { rows } = await this.forWriteStatement.execute<EntryForWriteRow>(
      this.db,
      { spaceId: key.spaceId, environmentId: key.environmentId, id },
      purpose,
    );
    return rows[0];
  }

  /**
   * The entries and assets that links name, in any state, in one statement (for a publish's link check).
   * A single publish reads its draft's with the entry (`forWrite`).
   */
  async linkTargets(key: EnvironmentKey, entryIds: string[], assetIds: string[]): Promise<LinkTarget[]> {
    if (entryIds.length === 0 && assetIds.length === 0) return [];
    return (await linkTargetRows(key, sql`${entryIds}::text[]`, sql`${assetIds}::text[]`).execute(this.db)).rows;
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
