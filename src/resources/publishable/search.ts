import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { invalidQuery } from '../../domain/errors.js';
import { publishedInLocale, SearchCompiler, tokensOnlyMatch, type SearchApi, type SearchContentType } from '../../query/compile.js';
import { readCursorPage } from '../../query/cursor.js';
import type { ParsedQuery } from '../../query/parse.js';
import { checkSelect } from '../../query/select.js';
import type { LocaleInfo } from '../../domain/field-types.js';
import type { ContentTypeService } from '../content-types/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { environmentLocales } from '../locales/repository.js';
import {
  columnList,
  columnSelections,
  publishableColumns,
  type PublishableRow,
  type PublishableTable,
  type ReadColumn,
} from './repository.js';

/** Where a search reads the environment's locales and active content types (the delivery APIs cache them). */
export interface SearchLookups {
  locales(scope: Pick<EnvironmentScope, 'spaceId' | 'environmentId'>): Promise<LocaleInfo[]>;
  definitions(scope: Pick<EnvironmentScope, 'spaceId' | 'environmentId'>, ids: string[]): Promise<Map<string, SearchContentType>>;
}

export interface SearchResult {
  rows: PublishableRow[];
  /** Absent in cursor mode, which never counts. */
  total?: number;
  pages?: { next?: string; prev?: string };
  locales: LocaleInfo[];
  /** The locale field filters used: the `locale` parameter or the default locale. */
  locale: string;
  contentType?: SearchContentType;
}

/** The delivery orders `published_search` has the columns of (src/query/compile.ts, `sysColumn`). */
const PUBLISHED_SEARCH_ORDERS = new Set([
  'sys.updatedAt',
  'sys.createdAt',
  'sys.publishedAt',
  'sys.firstPublishedAt',
  'sys.id',
  'sys.contentType.sys.id',
]);

/**
 * Whether a delivery search is full text or `[match]` on fields, by tokens alone (a content type and an
 * order on sys times or ids allowed): what `published_search` can answer. Phrases, other filters and links
 * read the entity rows.
 */
function matchedByPublishedSearch(query: ParsedQuery): boolean {
  if (query.query === undefined && query.filters.length === 0) return false;
  if (query.query !== undefined && !tokensOnlyMatch(query.query)) return false;
  const fieldMatches = query.filters.every(
    (f) => f.op === 'match' && f.target.kind === 'field' && f.target.sub.length === 0 && tokensOnlyMatch(f.raw),
  );
  if (!fieldMatches) return false;
  if (query.linksToEntry !== undefined || query.linksToAsset !== undefined || query.mimetypeGroup !== undefined) return false;
  return query.order.every((key) => PUBLISHED_SEARCH_ORDERS.has(key.path));
}

/** The locale a `locale` parameter names (the default locale when absent or `*`); an unknown code is a 400. */
export function requestedLocale(locales: LocaleInfo[], requested: string | undefined): string {
  if (requested !== undefined && requested !== '*' && !locales.some((l) => l.code === requested)) {
    throw invalidQuery(`Unknown locale: ${requested}`, { param: 'locale' });
  }
  return requested && requested !== '*' ? requested : (locales.find((l) => l.default)?.code ?? 'en-US');
}

/**
 * Runs a parsed search over entries or assets of one environment: one query for the page and one for
 * the total, both built by the shared compiler.
 */
export class PublishableSearch {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly contentTypes: ContentTypeService,
  ) {}

  private readonly direct: SearchLookups = {
    locales: (scope) => environmentLocales(this.db, scope),
    definitions: (scope, ids) => this.contentTypes.activeDefinitions(this.db, scope, ids),
  };

  /**
   * `readable` narrows the search to what the caller's roles let them read; `withTotal: false` skips the
   * count (a lookup by id needs none); `columns` reads only those (cursor pages read all: tokens hold the
   * order keys).
   */
  async run(
    scope: Pick<EnvironmentScope, 'spaceId' | 'environmentId'>,
    table: PublishableTable,
    query: ParsedQuery,
    api: SearchApi,
    options: {
      readable?: Expression<SqlBool>;
      lookups?: SearchLookups;
      withTotal?: boolean;
      columns?: readonly ReadColumn[];
      /** Conditions compiled elsewhere (GraphQL's `where`), on the rows aliased `e`. */
      where?: (locale: string) => Expression<SqlBool>[];
      /** Delivery with locale-based publishing: only rows published in the requested locale (all with `locale=*`). */
      localeBased?: boolean;
    } = {},
  ): Promise<SearchResult> {
    const { readable, lookups = this.direct, withTotal = true } = options;
    const locales = await lookups.locales(scope);
    const locale = requestedLocale(locales, query.locale);

    const wanted = [query.contentType, ...query.referenceContentTypes.values()].filter((id): id is string => Boolean(id));
    const definitions =
      table === 'entries' && wanted.length ? await lookups.definitions(scope, wanted) : new Map<string, SearchContentType>();
    const contentType = query.contentType ? definitions.get(query.contentType) : undefined;
    const referenceTypes = new Map<string, SearchContentType>();
    for (const [fieldId, id] of query.referenceContentTypes) {
      const definition = definitions.get(id);
      if (definition) referenceTypes.set(fieldId, definition);
    }
    if (query.select) checkSelect(query.select, table, contentType);

    // The CMA reads the locale each filter names; the delivery APIs read non-localized fields in the default locale.
    const defaultLocale = api === 'management' ? undefined : locales.find((l) => l.default)?.code;
    const publishedLocale = api === 'delivery' && options.localeBased && query.locale !== '*' ? locale : undefined;
    const context = { table, api, spaceId: scope.spaceId, locale, defaultLocale, contentType, referenceTypes, publishedLocale };
    const compiled = new SearchCompiler(context).compile(query);
    let base = this.db
      .selectFrom(`${table} as e` as 'entries as e')
      .where('e.space_id', '=', scope.spaceId)
      .where('e.environment_id', '=', scope.environmentId);
    if (api === 'delivery') base = base.where('e.published_version', 'is not', null);
    if (publishedLocale) base = base.where(publishedInLocale(publishedLocale, 'e'));
    if (api === 'preview') base = base.where('e.archived_version', 'is', null);
    if (readable) base = base.where(readable);
    for (const condition of [...compiled.where, ...(options.where?.(locale) ?? [])]) base = base.where(condition);

    const selected: readonly ReadColumn[] = options.columns ?? (publishableColumns(table) as unknown as string[]);
    const selectedOf = (alias: string) => columnList(selected, alias);
    const direction = (desc: boolean) => sql.raw(desc ? 'desc nulls last' : 'asc nulls last');
    const keys = compiled.order.map((key, i) => ({ ...key, name: `k${i}` }));
    const matches = base.select([sql.ref('e.id').as('id'), ...keys.map((key) => key.expression.as(key.name))]);
    const orderOf = (alias: string) => sql.join(keys.map((key) => sql`${sql.ref(`${alias}.${key.name}`)} ${direction(key.desc)}`));
    // The page's ids and order keys, taken from `source` (the matches); the rows are then read by key.
    const pageOf = (source: RawBuilder<unknown>) =>
      sql`(select * from ${source} m order by ${orderOf('m')} offset ${query.skip} limit ${query.limit}) p`;
    const byKey = sql`${sql.table(table)} e on e.space_id = ${scope.spaceId} and e.environment_id = ${scope.environmentId} and e.id = p.id`;

    if (!query.cursor && withTotal && compiled.readsAllMatches) {
      // The CDA's full text and field matches by tokens alone are matched, counted and ordered in the narrow
      // copy of the published search columns (migrations 0043 and 0044), whose columns carry the same names:
      // the keys apply as they are, and the conditions are compiled for its qualified words.
      let source = matches;
      if (api === 'delivery' && !publishedLocale && !readable && !options.where && matchedByPublishedSearch(query)) {
        let narrow = this.db
          .selectFrom('published_search as e' as 'entries as e')
          .where('e.space_id', '=', scope.spaceId)
          .where('e.environment_id', '=', scope.environmentId)
          .where(sql<SqlBool>`e.entity_type = ${table === 'entries' ? 'Entry' : 'Asset'}`);
        const narrowed = new SearchCompiler({ ...context, publishedSearch: true }).compile(query);
        for (const condition of narrowed.where) narrow = narrow.where(condition);
        source = narrow.select([sql.ref('e.id').as('id'), ...keys.map((key) => key.expression.as(key.name))]);
      }
      // One scan of the matches (id and order keys) gives both the total and the page, whose rows are then
      // read by key: half the table reads of a count and a page (bench: full text 128 -> 67 ms).
      const result = await sql<PublishableRow & { cf_total: number }>`
        with matches as materialized (${source})
        select ${selectedOf('e')}, t.total as cf_total
        from (select count(*)::int as total from matches) t
        left join lateral ${pageOf(sql`matches`)} on true
        left join ${byKey}
        order by ${orderOf('p')}`.execute(this.db);
      const total = result.rows[0]?.cf_total ?? 0;
      const rows = result.rows.filter((r) => r.id !== null).map(({ cf_total: _total, ...row }) => row as PublishableRow);
      return { rows, total, locales, locale, contentType };
    }

    if (!query.cursor) {
      const pageRows = async (): Promise<PublishableRow[]> => {
        // A skipped page finds its ids first (an index-only scan where the order's index covers the query)
        // and reads only its own rows: reading every skipped row made deep pages cost ~1 ms per thousand.
        if (query.skip > 0)
          return (
            await sql<PublishableRow>`select ${selectedOf('e')} from ${pageOf(sql`(${matches})`)} join ${byKey} order by ${orderOf('p')}`.execute(
              this.db,
            )
          ).rows;
        let page = base.select(columnSelections(selected, 'e'));
        for (const key of compiled.order) page = page.orderBy(sql`${key.expression} ${direction(key.desc)}`);
        return page.limit(query.limit).execute();
      };
      const [rows, count] = await Promise.all([
        pageRows(),
        withTotal ? base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow() : undefined,
      ]);
      return { rows, total: count ? Number(count.total) : rows.length, locales, locale, contentType };
    }

    const { rows, pages } = await readCursorPage(compiled.order, query, (after, orderBy, limit) => {
      let page = base.select(publishableColumns(table, 'e'));
      if (after) page = page.where(after);
      for (const key of orderBy) page = page.orderBy(key);
      return page.limit(limit).execute();
    });
    return { rows, pages, locales, locale, contentType };
  }
}
