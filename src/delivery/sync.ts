import type { Kysely } from 'kysely';
import type { SecretBox } from '../auth/secret-box.js';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { currentHorizon, LOG_START, positionOf } from '../events/change-log.js';
import { badRequest } from '../domain/errors.js';
import type { PublishableRow } from '../resources/publishable/repository.js';
import type { DeliveryRepository } from './repository.js';
import type { DeliveryService } from './service.js';
import type { DeliveryScope } from './views.js';

/**
 * The Sync API (seed 003, "Synchronization"): an initial sync pages through everything published, then
 * delta syncs report what was published, unpublished or deleted since, read from the change log that is
 * written in the same transaction as each change. Tokens are signed, carry the position and the initial
 * filters, and belong to one space and environment.
 */

export const SYNC_TYPES = ['all', 'Entry', 'Asset', 'Deletion', 'DeletedEntry', 'DeletedAsset'] as const;
type SyncType = (typeof SYNC_TYPES)[number];

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface SyncToken {
  s: string;
  e: string;
  type: SyncType;
  ct?: string;
  limit: number;
  /**
   * The change-log position (src/events/change-log.ts) everything before which has been delivered (or is
   * being, in the initial phase): `x` the xid, `seq` the seq. Tokens from before migration 0026 have no `x`,
   * which reads as xid 0: the same place in the log.
   */
  seq: number;
  x?: string;
  /** Initial phase: the table and id the next page continues after. */
  initial?: { table: 'entries' | 'assets'; after: string };
}

const wantsEntries = (t: SyncType) => t === 'all' || t === 'Entry';
const wantsAssets = (t: SyncType) => t === 'all' || t === 'Asset';
const wantsDeletedEntries = (t: SyncType) => t === 'all' || t === 'Deletion' || t === 'DeletedEntry';
const wantsDeletedAssets = (t: SyncType) => t === 'all' || t === 'Deletion' || t === 'DeletedAsset';

export class SyncService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly rows: DeliveryRepository,
    private readonly delivery: DeliveryService,
    private readonly secrets: SecretBox,
    private readonly config: Config,
  ) {}

  private encode(token: SyncToken): string {
    const body = Buffer.from(JSON.stringify(token)).toString('base64url');
    return `${body}.${this.secrets.sign(body)}`;
  }

  private decode(raw: string, scope: DeliveryScope): SyncToken {
    const [body, signature] = raw.split('.');
    if (!body || !signature || !this.secrets.verify(body, signature)) throw badRequest('Invalid sync token', { param: 'sync_token' });
    const token = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SyncToken;
    if (token.s !== scope.spaceId || token.e !== scope.environmentId)
      throw badRequest('The sync token belongs to another space or environment', { param: 'sync_token' });
    return token;
  }

  private url(scope: DeliveryScope, token: SyncToken) {
    return `${this.config.publicUrl}/${scope.api === 'delivery' ? 'cdn' : 'preview'}/spaces/${scope.spaceId}/environments/${scope.environmentId}/sync?sync_token=${this.encode(token)}`;
  }

  async sync(scope: DeliveryScope, query: Record<string, unknown>) {
    if (scope.api !== 'delivery') throw badRequest('The Sync API is served by the Content Delivery API');
    const param = (name: string) => {
      const value = query[name];
      return Array.isArray(value) ? value[value.length - 1] : (value as string | undefined);
    };
    const raw = param('sync_token');
    let token: SyncToken;
    if (raw !== undefined) {
      token = this.decode(raw, scope);
    } else {
      if (param('initial') !== 'true') throw badRequest('Start with initial=true or continue with sync_token', { param: 'initial' });
      const type = (param('type') ?? 'all') as SyncType;
      if (!SYNC_TYPES.includes(type)) throw badRequest(`type must be one of ${SYNC_TYPES.join(', ')}`, { param: 'type' });
      const ct = param('content_type');
      if (ct !== undefined && type !== 'Entry') throw badRequest('content_type needs type=Entry', { param: 'content_type' });
      const limitText = param('limit');
      const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}`, { param: 'limit' });
      // Taken before the first page is read: whatever the pages may miss comes after it.
      const head = await currentHorizon(this.db);
      const firstTable = wantsEntries(type) ? 'entries' : 'assets';
      token = {
        s: scope.spaceId,
        e: scope.environmentId,
        type,
        ct,
        limit,
        seq: head.seq,
        x: head.xid,
        initial: wantsEntries(type) || wantsAssets(type) ? { table: firstTable, after: '' } : undefined,
      };
    }
    return token.initial ? this.initialPage(scope, token) : this.deltaPage(scope, token);
  }

  private async initialPage(scope: DeliveryScope, token: SyncToken) {
    const { table, after } = token.initial!;
    const rows = await this.rows.publishedAfter(scope, scope.api, table, after, token.ct, token.limit + 1);
    const page = rows.slice(0, token.limit);
    const items = await this.render(scope, table === 'entries' ? 'Entry' : 'Asset', page);
    let next: SyncToken;
    if (rows.length > token.limit) next = { ...token, initial: { table, after: page[page.length - 1].id } };
    else if (table === 'entries' && wantsAssets(token.type)) next = { ...token, initial: { table: 'assets', after: '' } };
    else next = { ...token, initial: undefined };
    return this.respond(scope, items, next, next.initial !== undefined);
  }

  private async deltaPage(scope: DeliveryScope, token: SyncToken) {
    const types = [
      ...(wantsEntries(token.type) || wantsDeletedEntries(token.type) ? ['Entry'] : []),
      ...(wantsAssets(token.type) || wantsDeletedAssets(token.type) ? ['Asset'] : []),
    ];
    const events = types.length
      ? await this.rows.publishingEventsAfter(scope, { xid: token.x ?? LOG_START.xid, seq: token.seq }, types, token.limit)
      : [];
    const latest = new Map<string, (typeof events)[number]>();
    for (const event of events) latest.set(`${event.entity_type}:${event.entity_id}`, event);
    const ids = (type: string) => [...latest.values()].filter((e) => e.entity_type === type).map((e) => e.entity_id);
    const [entryRows, assetRows] = await Promise.all([
      this.rows.published(scope, scope.api, 'entries', ids('Entry')),
      this.rows.published(scope, scope.api, 'assets', ids('Asset')),
    ]);
    const published = new Map<string, PublishableRow>([
      ...entryRows.map((r) => [`Entry:${r.id}`, r] as const),
      ...assetRows.map((r) => [`Asset:${r.id}`, r] as const),
    ]);
    const items: unknown[] = [];
    const entriesToRender: PublishableRow[] = [];
    const assetsToRender: PublishableRow[] = [];
    for (const [key, event] of latest) {
      const row = published.get(key);
      const isEntry = event.entity_type === 'Entry';
      if (row && event.action === 'publish') {
        if (isEntry && wantsEntries(token.type) && (!token.ct || row.content_type_id === token.ct)) entriesToRender.push(row);
        if (!isEntry && wantsAssets(token.type)) assetsToRender.push(row);
      } else if (!row && event.action !== 'publish') {
        const contentType = (event.payload as { sys?: { contentType?: { sys?: { id?: string } } } }).sys?.contentType?.sys?.id;
        if (isEntry && wantsDeletedEntries(token.type) && (!token.ct || contentType === token.ct)) items.push(event.payload);
        if (!isEntry && wantsDeletedAssets(token.type)) items.push(event.payload);
      }
    }
    items.push(...(await this.render(scope, 'Entry', entriesToRender)), ...(await this.render(scope, 'Asset', assetsToRender)));
    const last = events.length ? positionOf(events[events.length - 1]) : undefined;
    const next = last ? { ...token, x: last.xid, seq: last.seq } : token;
    return this.respond(scope, items, next, events.length === token.limit);
  }

  private async render(scope: DeliveryScope, type: 'Entry' | 'Asset', rows: PublishableRow[]) {
    if (rows.length === 0) return [];
    const render = await this.delivery.renderer(scope, await this.delivery.deliveredLocales(scope), { all: true });
    return render(type, rows);
  }

  private respond(scope: DeliveryScope, items: unknown[], next: SyncToken, morePages: boolean) {
    return {
      sys: { type: 'Array' },
      items,
      ...(morePages ? { nextPageUrl: this.url(scope, next) } : { nextSyncUrl: this.url(scope, next) }),
    };
  }
}
