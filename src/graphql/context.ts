import DataLoader from 'dataloader';
import type { Expression, SqlBool } from 'kysely';
import type { LocaleInfo } from '../domain/field-types.js';
import type { DeliveryMetadata } from '../delivery/metadata.js';
import { resolveLocale } from '../delivery/views.js';
import type { OrderKey, ParsedQuery } from '../query/parse.js';
import { SearchCompiler, type SearchContentType } from '../query/compile.js';
import type { PublishableTable } from '../resources/publishable/repository.js';
import type { PublishableSearch } from '../resources/publishable/search.js';
import { contentfulError, unknownLocale } from './errors.js';
import type { ParsedFields } from './parsed-fields.js';
import { graphColumns, type GraphRepository, type StoredGraphRow } from './repository.js';

export interface GraphScope {
  spaceId: string;
  environmentId: string;
}

/** How a part of the answer is read: published or draft content, in which locale, with or without fallbacks. */
export interface View {
  preview: boolean;
  locale: string;
  fallback: boolean;
}

/** An entry or asset as the resolvers see it, with the view it was reached through. */
export interface Entity {
  table: PublishableTable;
  id: string;
  contentTypeId?: string;
  spaceId: string;
  environmentId: string;
  fields: Record<string, Record<string, unknown>>;
  tags: string[];
  /** `contentfulMetadata.concepts`: taxonomy concept ids. */
  concepts: string[];
  publishedAt: string | null;
  firstPublishedAt: string | null;
  publishedVersion: number | null;
  /** The published locales of locale-based publishing (null: every locale, or a draft read in preview). */
  publishedLocales: string[] | null;
  view: View;
}

export interface ViewArgs {
  preview?: boolean | null;
  locale?: string | null;
  useFallbackLocale?: boolean | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}

export interface GraphDependencies {
  rows: GraphRepository;
  search: PublishableSearch;
  metadata: DeliveryMetadata;
  fields: ParsedFields;
}

/**
 * One GraphQL request: its scope and token, the environment's locales and public tags, and loaders that
 * batch every lookup by id (one statement per table, preview flag and tick of the event loop), so a page
 * of entries with two levels of links costs a fixed number of statements whatever its size.
 */
export class GraphContext {
  readonly byCode: Map<string, LocaleInfo>;
  readonly defaultLocale: string;
  private readonly loaders = new Map<string, DataLoader<string, Entity | undefined>>();
  private readonly linkLoaders = new Map<string, DataLoader<string, Page<Entity>>>();

  constructor(
    private readonly deps: GraphDependencies,
    readonly scope: GraphScope,
    readonly tokenKind: 'delivery' | 'preview',
    readonly locales: LocaleInfo[],
    readonly publicTags: Map<string, string>,
    /** `http:` or `https:`, for asset URLs (stored protocol-relative). */
    readonly protocol: string,
    /** `X-Contentful-Locale-Based-Publishing: true`: published content shows only in its published locales. */
    readonly localeBased: boolean,
  ) {
    this.byCode = new Map(locales.map((l) => [l.code, l]));
    this.defaultLocale = locales.find((l) => l.default)?.code ?? 'en-US';
  }

  rootView(): View {
    return { preview: false, locale: this.defaultLocale, fallback: true };
  }

  /** The view below a field: its arguments override what it inherits (locale and preview cascade). */
  view(parent: View, args: ViewArgs): View {
    const preview = args.preview ?? parent.preview;
    if (preview && this.tokenKind !== 'preview') {
      throw contentfulError(
        'Query execution error. Previewing content (preview: true) needs a Content Preview API access token',
        'ACCESS_TOKEN_INVALID',
      );
    }
    const locale = args.locale ?? parent.locale;
    if (!this.byCode.has(locale)) throw unknownLocale(locale);
    return { preview, locale, fallback: args.useFallbackLocale ?? parent.fallback };
  }

  /** A field's value in the view's locale: fallbacks followed unless turned off, non-localized from the default. */
  value(entity: Entity, fieldId: string, localized: boolean, view: View): unknown {
    // Locale-based publishing: every field of an entity is null in a locale it has not published (sys resolves).
    if (this.localeBased && entity.publishedLocales && !entity.publishedLocales.includes(view.locale)) return null;
    const byLocale = entity.fields[fieldId];
    if (!byLocale || typeof byLocale !== 'object') return null;
    if (!localized) return byLocale[this.defaultLocale] ?? null;
    if (!view.fallback) return byLocale[view.locale] ?? null;
    return resolveLocale(byLocale, view.locale, this.byCode) ?? null;
  }

  entity(table: PublishableTable, id: string, view: View): Promise<Entity | undefined> {
    return this.loader(table, view).load(id);
  }

  private loader(table: PublishableTable, view: View) {
    const key = `${table}|${view.preview}|${view.locale}|${view.fallback}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids: readonly string[]) => {
        const rows = await this.deps.rows.visible(this.scope, view.preview, table, [...new Set(ids)]);
        const byId = new Map(rows.map((row) => [row.id, this.toEntity(table, row, view)]));
        return ids.map((id) => byId.get(id));
      });
      this.loaders.set(key, loader);
    }
    return loader;
  }

  toEntity(table: PublishableTable, row: StoredGraphRow, view: View): Entity {
    return {
      table,
      id: row.id,
      contentTypeId: row.content_type_id,
      spaceId: row.space_id,
      environmentId: row.environment_id,
      fields: this.deps.fields.parse(view.preview ? row.fields : row.published_fields),
      tags: (view.preview ? row.tags : row.published_tags) ?? [],
      concepts: (view.preview ? row.concepts : row.published_concepts) ?? [],
      publishedAt: row.published_at,
      firstPublishedAt: row.first_published_at,
      publishedVersion: row.published_version,
      publishedLocales: view.preview ? null : (row.published_locales ?? null),
      view,
    };
  }

  /** A page of a root collection: the search engine's SQL for the type, `where` and `order`. */
  async collection(
    table: PublishableTable,
    view: View,
    page: {
      contentTypeId?: string;
      skip: number;
      limit: number;
      order: OrderKey[];
      where?: (compilerFor: (definition?: SearchContentType) => SearchCompiler) => Expression<SqlBool>[];
      withTotal: boolean;
    },
  ): Promise<Page<Entity>> {
    const query: ParsedQuery = {
      contentType: page.contentTypeId,
      filters: [],
      referenceContentTypes: new Map(),
      order: page.order,
      skip: page.skip,
      limit: page.limit,
      locale: view.locale,
      cursor: false,
    };
    const api = view.preview ? 'preview' : 'delivery';
    const result = await this.deps.search.run(this.scope, table, query, api, {
      lookups: this.deps.metadata,
      withTotal: page.withTotal,
      columns: graphColumns(table, view.preview),
      where: page.where
        ? (locale) =>
            page.where!(
              (definition) =>
                new SearchCompiler({
                  table,
                  api,
                  spaceId: this.scope.spaceId,
                  locale,
                  defaultLocale: this.defaultLocale,
                  contentType: definition,
                  referenceTypes: new Map(),
                }),
            )
        : undefined,
    });
    const items = (result.rows as unknown as StoredGraphRow[]).map((row) => this.toEntity(table, row, view));
    return { items, total: result.total ?? items.length, skip: page.skip, limit: page.limit };
  }

  /** The entries linking to an entry or asset (`linkedFrom`), batched over every target of the answer. */
  linkedFrom(
    target: Entity,
    view: View,
    page: { contentTypeId?: string; definition?: SearchContentType; skip: number; limit: number; order: OrderKey[]; withTotal: boolean },
  ): Promise<Page<Entity>> {
    const key = JSON.stringify([view, page.contentTypeId, page.skip, page.limit, page.order, page.withTotal]);
    let loader = this.linkLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (targets: readonly string[]) => {
        const compiler = new SearchCompiler({
          table: 'entries',
          api: view.preview ? 'preview' : 'delivery',
          spaceId: this.scope.spaceId,
          locale: view.locale,
          defaultLocale: this.defaultLocale,
          contentType: page.definition,
          referenceTypes: new Map(),
        });
        const { rows, totals } = await this.deps.rows.linking(this.scope, view.preview, [...new Set(targets)], {
          contentTypeId: page.contentTypeId,
          skip: page.skip,
          limit: page.limit,
          order: compiler.orderBy(page.order.length ? page.order : [{ param: 'order', path: 'sys.id', desc: false }]),
          withTotal: page.withTotal,
        });
        return targets.map((t) => {
          const items = rows.filter((r) => r.cf_target === t).map((r) => this.toEntity('entries', r, view));
          return { items, total: totals.get(t) ?? items.length, skip: page.skip, limit: page.limit };
        });
      });
      this.linkLoaders.set(key, loader);
    }
    return loader.load(`${target.table === 'entries' ? 'Entry' : 'Asset'}:${target.id}`);
  }
}
