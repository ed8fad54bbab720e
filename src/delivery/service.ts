import { collection } from '../domain/collections.js';
import { invalidQuery, notFound } from '../domain/errors.js';
import { environmentScope } from '../http/sys.js';
import { parseSearchQuery, type ParsedQuery } from '../query/parse.js';
import { applySelect } from '../query/select.js';
import type { DeliveryPrincipal } from '../resources/api-keys/service.js';
import { walkLinks } from '../domain/links.js';
import { MASTER } from '../domain/environments.js';
import type { PublishableRow, PublishableTable, PublishableType } from '../resources/publishable/repository.js';
import { requestedLocale, type PublishableSearch } from '../resources/publishable/search.js';
import { isDeliveredLocale, type LocaleInfo } from '../domain/field-types.js';
import type { DeliveryMetadata } from './metadata.js';
import type { DeliveryRepository } from './repository.js';
import type { TimelineRequest } from './timeline.js';
import { jsonArray, jsonWithParts, type DeliveryResponses } from './responses.js';
import type { DeliveryRenditions } from './renditions.js';
import {
  deliveryColumns,
  deliveryContentType,
  deliveryKeyColumns,
  type DeliveryKeyRow,
  DeliveryRendering,
  linkTargets,
  type DeliveryApi,
  type DeliveryEntity,
  type DeliveryScope,
  type LocaleChoice,
} from './views.js';

const DEFAULT_INCLUDE = 1;

/**
 * A kept rendition's UTF-8 bytes in memory of their own: `Buffer.from` puts short strings in slices of a
 * shared 8 KB slab, and one kept slice would keep its whole slab alive.
 */
function keptBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** `errors` of a collection: links to entries or assets that are missing or not shown (seed 003, "Links"). */
function unresolvedErrors(unresolved: { linkType: string; id: string }[]) {
  return unresolved.map((u) => ({
    sys: { id: 'notResolvable', type: 'error' },
    details: { type: 'Link', linkType: u.linkType, id: u.id },
  }));
}

/**
 * The Content Delivery API (published content) and the Content Preview API (latest drafts, archived left
 * out), read with a delivery or preview key. Links in collections are resolved level by level, one query
 * per table and level.
 */
export class DeliveryService {
  constructor(
    private readonly rows: DeliveryRepository,
    private readonly search: PublishableSearch,
    readonly metadata: DeliveryMetadata,
    readonly responses: DeliveryResponses,
    private readonly renditions: DeliveryRenditions,
  ) {}

  /** The key's space and environment (an alias counts when the key lists it); anything else is 404. */
  async scope(
    principal: DeliveryPrincipal,
    api: DeliveryApi,
    spaceId: string,
    requested = MASTER,
    localeBasedPublishing = false,
  ): Promise<DeliveryScope> {
    if (principal.spaceId !== spaceId) throw notFound('Space', spaceId);
    const resolved = await this.metadata.environment(spaceId, requested);
    if (resolved?.status !== 'ready') throw notFound('Environment', requested);
    const allowed = principal.environments.includes(requested) || principal.environments.includes(resolved.environmentId);
    if (!allowed) throw notFound('Environment', requested);
    return { api, spaceId, environmentId: resolved.environmentId, localeBased: api === 'delivery' && localeBasedPublishing };
  }

  async space(scope: DeliveryScope) {
    const [space, locales] = await Promise.all([this.rows.space(scope.spaceId), this.deliveredLocales(scope)]);
    return {
      sys: { type: 'Space', id: space.id },
      name: space.name,
      locales: locales.map((l) => ({ code: l.code, default: l.default, name: l.name ?? l.code, fallbackCode: l.fallbackCode })),
    };
  }

  async locales(scope: DeliveryScope, rawQuery: Record<string, unknown>) {
    const query = parseSearchQuery(rawQuery);
    const rows = await this.rows.deliveredLocales(scope);
    const items = rows.map((r) => ({
      code: r.code,
      name: r.name,
      default: r.is_default,
      fallbackCode: r.fallback_code,
      sys: { id: r.id, type: 'Locale', version: r.version },
    }));
    return collection(items.slice(query.skip, query.skip + query.limit), items.length, query);
  }

  async contentTypes(scope: DeliveryScope, rawQuery: Record<string, unknown>) {
    const query = parseSearchQuery(rawQuery);
    const idLists = query.filters.map((filter) => {
      if (filter.target.kind !== 'sys' || filter.target.path !== 'id' || (filter.op !== 'eq' && filter.op !== 'in')) {
        throw invalidQuery(`The query parameter "${filter.param}" is not supported on content types`, { param: filter.param });
      }
      return filter.raw.split(',');
    });
    const { rows, total } = await this.rows.contentTypes(scope, scope.api, idLists, query);
    return collection(
      rows.map((r) => deliveryContentType(r, scope.api)),
      total,
      query,
    );
  }

  async contentType(scope: DeliveryScope, id: string) {
    const row = await this.rows.contentType(scope, scope.api, id);
    if (!row) throw notFound('ContentType', id);
    return deliveryContentType(row, scope.api);
  }

  async tags(scope: DeliveryScope, rawQuery: Record<string, unknown>) {
    const query = parseSearchQuery(rawQuery);
    const rows = await this.metadata.publicTags(scope);
    const items = rows.map((r) => ({
      name: r.name,
      sys: { id: r.id, type: 'Tag', visibility: r.visibility, ...environmentScope(r.space_id, r.environment_id) },
    }));
    return collection(items.slice(query.skip, query.skip + query.limit), items.length, query);
  }

  async tag(scope: DeliveryScope, id: string) {
    const tag = (await this.metadata.publicTags(scope)).find((t) => t.id === id);
    if (!tag) throw notFound('Tag', id);
    return {
      name: tag.name,
      sys: { id: tag.id, type: 'Tag', visibility: tag.visibility, ...environmentScope(tag.space_id, tag.environment_id) },
    };
  }

  async collection(scope: DeliveryScope, table: PublishableTable, rawQuery: Record<string, unknown>, withTotal = true) {
    const query = parseSearchQuery(rawQuery);
    const result = await this.search.run(scope, table, query, scope.api, {
      lookups: this.metadata,
      withTotal,
      columns: deliveryColumns(table, scope.api),
      localeBased: scope.localeBased,
    });
    const choice: LocaleChoice = query.locale === '*' ? { all: true } : { all: false, code: result.locale };
    const type: PublishableType = table === 'entries' ? 'Entry' : 'Asset';
    const rows = scope.timeline ? await scope.timeline.overlay(type, result.rows) : result.rows;
    const render = await this.renderer(scope, result.locales, choice);
    let items = await render(type, rows);
    if (query.select) items = items.map((i) => applySelect(i, query.select!) as typeof i);
    // A timeline's unpublished entities leave the page, and its total.
    const total = (result.total ?? result.rows.length) - (result.rows.length - rows.length);
    const body: Record<string, unknown> = { ...collection(items, total, query) };
    if (table === 'entries') Object.assign(body, await this.includes(scope, rows, query, choice, render));
    return body;
  }

  /**
   * A collection as UTF-8 JSON, assembled from renditions (`renditionBodies`): the search reads which rows
   * match and their keys, and so does each include level. `select` and timelines take the object path.
   */
  async collectionBody(scope: DeliveryScope, table: PublishableTable, rawQuery: Record<string, unknown>): Promise<Buffer[]> {
    const query = parseSearchQuery(rawQuery);
    if (query.select || scope.timeline) return [Buffer.from(JSON.stringify(await this.collection(scope, table, rawQuery)))];
    const result = await this.search.run(scope, table, query, scope.api, {
      lookups: this.metadata,
      columns: deliveryKeyColumns(table, scope.api),
      localeBased: scope.localeBased,
    });
    const choice: LocaleChoice = query.locale === '*' ? { all: true } : { all: false, code: result.locale };
    const rendering = await this.rendering(scope, result.locales, choice);
    const items = await this.renditionBodies(scope, rendering, table, result.rows);
    const total = (result.total ?? result.rows.length) - (result.rows.length - items.length);
    const body: Record<string, unknown> = { ...collection([], total, query) };
    const parts: Record<string, Buffer[]> = { items: jsonArray(items) };
    if (table === 'entries') {
      const { entries, assets, unresolved } = await walkLinks<DeliveryKeyRow>({
        roots: result.rows,
        depth: query.include ?? DEFAULT_INCLUDE,
        collect: linkTargets,
        load: (entryIds, assetIds) =>
          Promise.all([
            this.loadVisible(scope, 'entries', entryIds, choice, true),
            this.loadVisible(scope, 'assets', assetIds, choice, true),
          ]),
      });
      if (entries.length || assets.length) {
        const [entryBodies, assetBodies] = await Promise.all([
          this.renditionBodies(scope, rendering, 'entries', entries),
          this.renditionBodies(scope, rendering, 'assets', assets),
        ]);
        const included: Record<string, unknown> = {};
        const includedParts: Record<string, Buffer[]> = {};
        if (entryBodies.length) includedParts.Entry = jsonArray(entryBodies);
        if (assetBodies.length) includedParts.Asset = jsonArray(assetBodies);
        for (const kind of Object.keys(includedParts)) included[kind] = null;
        body.includes = null;
        parts.includes = jsonWithParts(included, includedParts);
      }
      if (unresolved.length) body.errors = unresolvedErrors(unresolved);
    }
    return jsonWithParts(body, parts);
  }

  /** One entry or asset by id as UTF-8 JSON (read in full: one statement, kept or not), from its rendition when kept. */
  async oneBody(scope: DeliveryScope, table: PublishableTable, id: string, rawQuery: Record<string, unknown>): Promise<Buffer> {
    if (scope.timeline) return Buffer.from(JSON.stringify(await this.one(scope, table, id, rawQuery)));
    const { choice, locales } = await this.localeChoice(scope, rawQuery);
    const type: PublishableType = table === 'entries' ? 'Entry' : 'Asset';
    const [row] = await this.loadVisible(scope, table, [id], choice);
    if (!row) throw notFound(type, id);
    return this.renderedBody(scope, await this.rendering(scope, locales, choice), type, row);
  }

  private async localeChoice(scope: DeliveryScope, rawQuery: Record<string, unknown>) {
    const requested = typeof rawQuery.locale === 'string' ? rawQuery.locale : undefined;
    const locales = await this.metadata.locales(scope);
    const choice: LocaleChoice = requested === '*' ? { all: true } : { all: false, code: requestedLocale(locales, requested) };
    return { choice, locales };
  }

  /** One entry or asset by id: a lookup of its own (no search grammar, order or count). */
  async one(scope: DeliveryScope, table: PublishableTable, id: string, rawQuery: Record<string, unknown>) {
    const { choice, locales } = await this.localeChoice(scope, rawQuery);
    const type: PublishableType = table === 'entries' ? 'Entry' : 'Asset';
    const [row] = await this.loadVisible(scope, table, [id], choice);
    if (!row) throw notFound(type, id);
    const render = await this.renderer(scope, locales, choice);
    return (await render(type, [row]))[0];
  }

  async deliveredLocales(scope: DeliveryScope): Promise<LocaleInfo[]> {
    return (await this.metadata.locales(scope)).filter(isDeliveredLocale);
  }

  /** Renders rows in the delivery shape, loading the content types and public tags they need at once. */
  async renderer(scope: DeliveryScope, locales: LocaleInfo[], choice: LocaleChoice) {
    const rendering = await this.rendering(scope, locales, choice);
    return async (type: PublishableType, rows: PublishableRow[]) => {
      await this.addContentTypes(scope, rendering, rows);
      return rows.map((row) => rendering.entity(type, row));
    };
  }

  private async rendering(scope: DeliveryScope, locales: LocaleInfo[], choice: LocaleChoice) {
    return new DeliveryRendering(scope.api, choice, locales, await this.metadata.publicTags(scope));
  }

  /** Loads the definitions of the rows' content types the rendering lacks. */
  private async addContentTypes(scope: DeliveryScope, rendering: DeliveryRendering, rows: PublishableRow[]) {
    const missing = [
      ...new Set(rows.map((r) => r.content_type_id).filter((id): id is string => Boolean(id) && !rendering.hasContentType(id!))),
    ];
    if (missing.length === 0) return;
    const found = await this.metadata.definitions(scope, missing);
    for (const id of missing) rendering.addContentType(id, found.get(id)?.fields ?? []);
  }

  /**
   * The renditions of rows read with `deliveryKeyColumns`, in their order: kept ones where there are, the
   * others read in full (one statement) and rendered. A row gone since it was matched is left out.
   */
  private async renditionBodies(
    scope: DeliveryScope,
    rendering: DeliveryRendering,
    table: PublishableTable,
    rows: PublishableRow[],
  ): Promise<Buffer[]> {
    const type: PublishableType = table === 'entries' ? 'Entry' : 'Asset';
    await this.addContentTypes(scope, rendering, rows);
    const kept = rows.map((row) => this.renditions.get(rendering.renditionKey(type, row)));
    const missing = rows.filter((_, i) => kept[i] === undefined);
    if (missing.length === 0) return kept as Buffer[];
    // Read as the API shows them now: a row changed since it was matched is rendered as it is now.
    const full = await this.rows.visible(
      scope,
      scope.api,
      table,
      missing.map((r) => r.id),
    );
    await this.addContentTypes(scope, rendering, full);
    const rendered = new Map(full.map((row) => [row.id, this.renderAndKeep(rendering, type, row)]));
    return rows.map((row, i) => kept[i] ?? rendered.get(row.id)).filter((body): body is Buffer => body !== undefined);
  }

  /** A full row's rendition: the kept one, or rendered now and kept. */
  private async renderedBody(scope: DeliveryScope, rendering: DeliveryRendering, type: PublishableType, row: PublishableRow) {
    await this.addContentTypes(scope, rendering, [row]);
    return this.renditions.get(rendering.renditionKey(type, row)) ?? this.renderAndKeep(rendering, type, row);
  }

  /** Renders a full row and keeps its rendition (its content types already added to `rendering`). */
  private renderAndKeep(rendering: DeliveryRendering, type: PublishableType, row: PublishableRow): Buffer {
    const body = keptBytes(JSON.stringify(rendering.entity(type, row)));
    this.renditions.set(rendering.renditionKey(type, row), body);
    return body;
  }

  /**
   * `includes` for an entry collection: linked entries and assets up to `include` levels (default 1, max
   * 10), never repeating what `items` holds, and `errors` with `notResolvable` for links to nothing.
   */
  private async includes(
    scope: DeliveryScope,
    rows: PublishableRow[],
    query: ParsedQuery,
    choice: LocaleChoice,
    render: (type: PublishableType, rows: PublishableRow[]) => Promise<DeliveryEntity[]>,
  ) {
    const { entries, assets, unresolved } = await walkLinks({
      roots: rows,
      depth: query.include ?? DEFAULT_INCLUDE,
      linksOf: (row) => (scope.api === 'delivery' ? row.published_fields : row.fields),
      load: (entryIds, assetIds) =>
        Promise.all([this.loadVisible(scope, 'entries', entryIds, choice), this.loadVisible(scope, 'assets', assetIds, choice)]),
    });
    const result: Record<string, unknown> = {};
    if (entries.length || assets.length) {
      result.includes = {
        ...(entries.length ? { Entry: await render('Entry', entries) } : {}),
        ...(assets.length ? { Asset: await render('Asset', assets) } : {}),
      };
    }
    if (unresolved.length) result.errors = unresolvedErrors(unresolved);
    return result;
  }

  /**
   * Entries or assets by id as the API shows them: with locale-based publishing, published in the chosen
   * locale. `keysOnly`: read with `deliveryKeyColumns`, for `renditionBodies`.
   */
  private async loadVisible(
    scope: DeliveryScope,
    table: PublishableTable,
    ids: string[],
    choice: LocaleChoice,
    keysOnly = false,
  ): Promise<PublishableRow[]> {
    const publishedLocale = scope.localeBased && !choice.all ? choice.code : undefined;
    const columns = keysOnly ? deliveryKeyColumns(table, scope.api) : deliveryColumns(table, scope.api);
    const rows = await this.rows.visible(scope, scope.api, table, ids, publishedLocale, columns);
    return scope.timeline ? scope.timeline.overlay(table === 'entries' ? 'Entry' : 'Asset', rows) : rows;
  }

  /** The scope of a timeline preview (CPA only): the releases up to `release[lte]` or `timestamp[lte]`. */
  async timelineScope(scope: DeliveryScope, request: TimelineRequest): Promise<DeliveryScope> {
    return { ...scope, timeline: await this.rows.timeline(scope, request) };
  }
}
