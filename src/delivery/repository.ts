import { type Kysely, sql } from 'kysely';
import { type LogPosition, readableAfter } from '../events/change-log.js';
import { oneOf } from '../db/lists.js';
import { type EnvironmentKey, environmentColumns, tableIn } from '../db/repository.js';
import type { DB } from '../db/schema.js';
import { publishedInLocale } from '../query/compile.js';
import { columnSelections, type PublishableRow, type PublishableTable } from '../resources/publishable/repository.js';
import { TimelinePreview, type TimelineRequest } from './timeline.js';
import { type DeliveryApi, deliveryColumns } from './views.js';

/**
 * What the delivery and preview APIs read besides searches: the space, delivered locales, content types
 * and entities by id. Delivery sees published content only; preview sees drafts but not archived ones.
 */
export class DeliveryRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Opens a timeline preview of the environment (its releases and their schedule, read now). */
  timeline(key: EnvironmentKey, request: TimelineRequest) {
    return TimelinePreview.open(this.db, key, request);
  }

  async space(spaceId: string) {
    return this.db.selectFrom('spaces').select(['id', 'name']).where('id', '=', spaceId).executeTakeFirstOrThrow();
  }

  /** The locales delivery serves, default first. */
  async deliveredLocales(key: EnvironmentKey) {
    return tableIn(this.db, 'locales', environmentColumns(key))
      .select()
      .selectAll()
      .where('content_delivery_api', '=', true)
      .orderBy('is_default', 'desc')
      .orderBy('created_at')
      .execute();
  }

  /** The public tags, by name (private tags never reach delivery). */
  async publicTags(key: EnvironmentKey) {
    return tableIn(this.db, 'tags', environmentColumns(key))
      .select()
      .selectAll()
      .where('visibility', '=', 'public')
      .orderBy('name')
      .execute();
  }

  private contentTypeRows(key: EnvironmentKey, api: DeliveryApi) {
    const rows = tableIn(this.db, 'content_types', environmentColumns(key)).select();
    return api === 'delivery' ? rows.where('published', 'is not', null) : rows;
  }

  /** A page of content types (all, or those of `idLists`, each list narrowing further) and their total. */
  async contentTypes(key: EnvironmentKey, api: DeliveryApi, idLists: string[][], paging: { skip: number; limit: number }) {
    const base = idLists.reduce((rows, ids) => rows.where('id', '=', oneOf(ids)), this.contentTypeRows(key, api));
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }

  async contentType(key: EnvironmentKey, api: DeliveryApi, id: string) {
    return this.contentTypeRows(key, api).selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The entries or assets of `ids` the API may show, with the columns it renders (or `columns`); with `publishedLocale`
   * (locale-based publishing), only those published in that locale.
   */
  async visible(
    key: EnvironmentKey,
    api: DeliveryApi,
    table: PublishableTable,
    ids: string[],
    publishedLocale?: string,
    columns = deliveryColumns(table, api),
  ): Promise<PublishableRow[]> {
    if (ids.length === 0) return [];
    const rows = tableIn(this.db, table as 'entries', environmentColumns(key))
      .select()
      .select(columnSelections(columns))
      .where('id', '=', oneOf(ids));
    const shown = api === 'delivery' ? rows.where('published_version', 'is not', null) : rows.where('archived_version', 'is', null);
    return (publishedLocale ? shown.where(publishedInLocale(publishedLocale)) : shown).execute() as Promise<PublishableRow[]>;
  }

  /** The published entries or assets of `ids`. */
  async published(key: EnvironmentKey, api: DeliveryApi, table: PublishableTable, ids: string[]): Promise<PublishableRow[]> {
    if (ids.length === 0) return [];
    return this.publishedRows(key, api, table).where('id', '=', oneOf(ids)).execute() as Promise<PublishableRow[]>;
  }

  /** A page of an initial sync: published rows by id after `after` (and of one content type when given). */
  async publishedAfter(
    key: EnvironmentKey,
    api: DeliveryApi,
    table: PublishableTable,
    after: string,
    contentTypeId: string | undefined,
    limit: number,
  ): Promise<PublishableRow[]> {
    let rows = this.publishedRows(key, api, table).where('id', '>', after);
    if (table === 'entries' && contentTypeId) rows = rows.where('content_type_id', '=', contentTypeId);
    return rows.orderBy('id').limit(limit).execute() as Promise<PublishableRow[]>;
  }

  private publishedRows(key: EnvironmentKey, api: DeliveryApi, table: PublishableTable) {
    return tableIn(this.db, table as 'entries', environmentColumns(key))
      .select()
      .select(columnSelections(deliveryColumns(table, api)))
      .where('published_version', 'is not', null);
  }

  /** The publish, unpublish and delete events of `types` after a position of the change log, in its order. */
  async publishingEventsAfter(key: EnvironmentKey, position: LogPosition, types: string[], limit: number) {
    return tableIn(this.db, 'events', environmentColumns(key))
      .select()
      .select(['seq', sql<string>`xid::text`.as('xid'), 'entity_type', 'entity_id', 'action', 'payload'])
      .where(readableAfter(position))
      .where('entity_type', 'in', types)
      .where('action', 'in', ['publish', 'unpublish', 'delete'])
      .orderBy('xid')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }
}
