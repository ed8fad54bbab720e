import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Actor, expandScopes } from '../../auth/actor.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import type { BulkActionRow, DB } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { iso, link, userLink } from '../../http/sys.js';
import type { AssetService } from '../assets/service.js';
import type { EntryService } from '../entries/service.js';
import type { EnvironmentScope, EnvironmentScopeResolver } from '../environments/scope.js';
import { BackgroundWorker } from '../background/worker.js';
import { BulkActionRepository } from './repository.js';

/** Contentful's limit on the entities of one bulk action. */
export const MAX_BULK_ITEMS = 200;

export type BulkActionType = 'publish' | 'unpublish' | 'validate';

/** One entity of a bulk action: a link, with the version to publish for `publish`. */
export interface BulkItem {
  linkType: 'Entry' | 'Asset';
  id: string;
  version?: number;
}

export function bulkActionView(row: BulkActionRow) {
  return {
    sys: {
      id: row.id,
      type: 'BulkAction',
      status: row.status,
      space: link('Space', row.space_id),
      environment: link('Environment', row.environment_id),
      createdBy: userLink(row.created_by),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    },
    action: row.action,
    payload: row.payload,
    ...(row.error ? { error: row.error } : {}),
  };
}

/** The entities of a bulk action's body: v1 `{ entities: { items: [link] } }`, v2 `{ entities: [{ entity: link }] }`. */
export function bulkItems(payload: Record<string, unknown>): BulkItem[] {
  const entities = payload.entities as { items?: unknown[] } | unknown[];
  const links = Array.isArray(entities) ? entities.map((e) => (e as { entity?: unknown }).entity) : (entities?.items ?? []);
  return links.map((l) => {
    const sys = (l as { sys: { linkType: 'Entry' | 'Asset'; id: string; version?: number } }).sys;
    return { linkType: sys.linkType, id: sys.id, version: sys.version };
  });
}

/** The error of one entity of a failed bulk action, in Contentful's error shape. */
function entityError(item: BulkItem, error: ApiError) {
  const entity =
    item.version === undefined ? link(item.linkType, item.id) : { sys: { ...link(item.linkType, item.id).sys, version: item.version } };
  return {
    entity,
    error: { sys: { type: 'Error', id: error.id }, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}

/**
 * Bulk actions: publish, unpublish or validate up to 200 entries and assets, created at once and carried
 * out in the background as the user who created them (their roles and policies apply). A publish checks
 * every entity first (its version and its validation) and publishes them all in one transaction, or none
 * when one fails; an unpublish does what it can and reports each entity it could not.
 */
export class BulkActionService {
  private readonly rows: BulkActionRepository;
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly scopes: EnvironmentScopeResolver,
    private readonly entries: EntryService,
    private readonly assets: AssetService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    pollMs: number,
  ) {
    this.rows = new BulkActionRepository(db);
    this.worker = new BackgroundWorker('bulk actions', () => this.runNext(), clock, pollMs, logger);
  }

  async create(actor: Actor, scope: EnvironmentScope, action: BulkActionType, payload: Record<string, unknown>, apiVersion: 1 | 2) {
    const items = bulkItems(payload);
    if (items.length === 0 || items.length > MAX_BULK_ITEMS)
      throw validationFailed([
        { name: 'size', path: ['entities'], details: `A bulk action takes from 1 to ${MAX_BULK_ITEMS} entities`, value: items.length },
      ]);
    const row = await this.rows.insert(scope, { id: generateId(), action, payload, api_version: apiVersion, created_by: actor.userId });
    // Started here at once; the poll of any process would take it too (after a restart, say).
    this.worker.kick();
    return bulkActionView(row);
  }

  async get(scope: EnvironmentScope, id: string) {
    const row = await this.rows.find(scope, id);
    if (!row) throw notFound('BulkAction', id);
    return bulkActionView(row);
  }

  start() {
    this.worker.start();
  }

  stop() {
    return this.worker.stop();
  }

  /** Runs every waiting bulk action, one after another; answers how many ran. */
  runWaiting(): Promise<number> {
    return this.worker.run();
  }

  /** Takes the oldest waiting action and carries it out; false when none waits. */
  private async runNext(): Promise<boolean> {
    const row = await this.rows.claimNext(new Date(this.clock.now()));
    if (!row) return false;
    await this.rows.finish(row, await this.execute(row), new Date(this.clock.now()));
    return true;
  }

  private async execute(row: BulkActionRow): Promise<{ status: 'succeeded' | 'failed'; error?: Record<string, unknown> }> {
    try {
      if (!row.created_by) throw new ApiError('BadRequest', 'The bulk action has no user to act as');
      const actor: Actor = {
        userId: row.created_by,
        tokenId: `bulk-action:${row.id}`,
        scopes: expandScopes(['content_management_manage']),
      };
      const scope = await this.scopes.resolve(actor, row.space_id, row.environment_id);
      const items = bulkItems(row.payload);
      const errors =
        row.action === 'unpublish' ? await this.unpublish(actor, scope, items) : await this.publish(actor, scope, items, row.action);
      if (errors.length === 0) return { status: 'succeeded' };
      return {
        status: 'failed',
        error: { sys: { type: 'Error', id: 'BulkActionFailed' }, message: 'Not every entity could be processed', details: { errors } },
      };
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        await this.rows.release(row);
        throw err;
      }
      const apiError = err instanceof ApiError ? err : new ApiError('ServerError', 'The bulk action could not be carried out');
      if (!(err instanceof ApiError)) this.logger.error({ err, bulkAction: row.id }, 'bulk action failed');
      return { status: 'failed', error: { sys: { type: 'Error', id: apiError.id }, message: apiError.message } };
    }
  }

  private service(item: BulkItem) {
    return item.linkType === 'Entry' ? this.entries : this.assets;
  }

  /**
   * A publish (or only its checks, for `validate`): entries and assets are checked in a few statements for
   * the whole action, and published in one transaction, or not at all when any check fails.
   */
  private async publish(actor: Actor, scope: EnvironmentScope, items: BulkItem[], action: 'publish' | 'validate') {
    const of = (linkType: BulkItem['linkType']) =>
      items.filter((i) => i.linkType === linkType).map((i) => ({ id: i.id, version: i.version }));
    const [entries, assets] = await Promise.all([
      this.entries.planPublish(actor, scope, of('Entry')),
      this.assets.planPublish(actor, scope, of('Asset')),
    ]);
    const errors = items.flatMap((item) => {
      const error = (item.linkType === 'Entry' ? entries : assets).errors.get(item.id);
      return error ? [entityError(item, error)] : [];
    });
    if (errors.length || action === 'validate') return errors;
    await this.db.transaction().execute(async (trx) => {
      await entries.write(trx);
      await assets.write(trx);
    });
    entries.written();
    assets.written();
    return errors;
  }

  private async unpublish(actor: Actor, scope: EnvironmentScope, items: BulkItem[]) {
    const errors: ReturnType<typeof entityError>[] = [];
    for (const item of items) {
      try {
        await this.service(item).unpublish(actor, scope, item.id, undefined);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        errors.push(entityError(item, err));
      }
    }
    return errors;
  }
}
