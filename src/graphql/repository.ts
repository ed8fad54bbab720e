import { type Expression, type Kysely, sql, type SqlBool } from 'kysely';
import { oneOf } from '../db/lists.js';
import { type EnvironmentKey, environmentColumns, tableIn } from '../db/repository.js';
import type { DB } from '../db/schema.js';
import type { CompiledOrder } from '../query/compile.js';
import { columnList, columnSelections, type PublishableTable, type ReadColumn } from '../resources/publishable/repository.js';

/**
 * The columns GraphQL renders an entry or asset from: the published copy, or the draft in preview; times as
 * ISO text, fields as JSON text (`ParsedFields` parses a text it has not seen).
 */
export function graphColumns(table: PublishableTable, preview: boolean): ReadColumn[] {
  return [
    'space_id',
    'environment_id',
    'id',
    ...(table === 'entries' ? ['content_type_id'] : []),
    ...(preview
      ? [{ json: 'fields' }, 'tags', 'concepts']
      : [{ json: 'published_fields' }, 'published_tags', 'published_concepts', 'published_locales']),
    { iso: 'published_at' },
    { iso: 'first_published_at' },
    'published_version',
  ];
}

export interface StoredGraphRow {
  space_id: string;
  environment_id: string;
  id: string;
  content_type_id?: string;
  fields?: string | null;
  tags?: string[] | null;
  concepts?: string[] | null;
  published_fields?: string | null;
  published_tags?: string[] | null;
  published_concepts?: string[] | null;
  published_locales?: string[] | null;
  published_at: string | null;
  first_published_at: string | null;
  published_version: number | null;
}

/**
 * What GraphQL reads besides searches: entries and assets by id (one statement per batch of links) and the
 * entries linking to a batch of targets, each target's own page (one statement for all of them).
 */
export class GraphRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async visible(key: EnvironmentKey, preview: boolean, table: PublishableTable, ids: string[]): Promise<StoredGraphRow[]> {
    if (ids.length === 0) return [];
    const rows = tableIn(this.db, table as 'entries', environmentColumns(key))
      .select()
      .select(columnSelections(graphColumns(table, preview)))
      .where('id', '=', oneOf(ids));
    const shown = preview ? rows.where('archived_version', 'is', null) : rows.where('published_version', 'is not', null);
    return (await shown.execute()) as unknown as StoredGraphRow[];
  }

  /**
   * For each target (`Entry:<id>` or `Asset:<id>`), a page of the entries linking to it (of one content
   * type when given, in `order`), and their number.
   */
  async linking(
    key: EnvironmentKey,
    preview: boolean,
    targets: string[],
    page: { contentTypeId?: string; skip: number; limit: number; order: CompiledOrder[]; withTotal: boolean },
  ): Promise<{ rows: (StoredGraphRow & { cf_target: string })[]; totals: Map<string, number> }> {
    const links = sql.ref(preview ? 'e.links' : 'e.published_links');
    const conditions: Expression<SqlBool>[] = [
      sql<SqlBool>`e.space_id = ${key.spaceId}`,
      sql<SqlBool>`e.environment_id = ${key.environmentId}`,
      sql<SqlBool>`${links} @> array[t.target]`,
      preview ? sql<SqlBool>`e.archived_version is null` : sql<SqlBool>`e.published_version is not null`,
      ...(page.contentTypeId ? [sql<SqlBool>`e.content_type_id = ${page.contentTypeId}`] : []),
    ];
    const where = sql.join(conditions, sql` and `);
    const columns = columnList(graphColumns('entries', preview), 'e');
    const order = sql.join(page.order.map((o) => sql`${o.expression} ${sql.raw(o.desc ? 'desc nulls last' : 'asc nulls last')}`));
    const [rows, totals] = await Promise.all([
      page.limit === 0
        ? { rows: [] }
        : sql<StoredGraphRow & { cf_target: string }>`
        select t.target as cf_target, p.* from unnest(${targets}::text[]) t(target)
        cross join lateral (select ${columns} from entries e where ${where} order by ${order} offset ${page.skip} limit ${page.limit}) p`.execute(
            this.db,
          ),
      page.withTotal
        ? sql<{ target: string; total: number }>`
        select t.target, (select count(*)::int from entries e where ${where}) as total from unnest(${targets}::text[]) t(target)`.execute(
            this.db,
          )
        : { rows: [] },
    ]);
    return { rows: rows.rows, totals: new Map(totals.rows.map((r) => [r.target, r.total])) };
  }
}
