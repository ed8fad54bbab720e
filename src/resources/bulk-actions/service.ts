import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { BulkActionRow, DB } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { type ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { iso, link, userLink } from '../../http/sys.js';
import type { AssetService } from '../assets/service.js';
import type { EntryService } from '../entries/service.js';
import type { EnvironmentScope, EnvironmentScopeResolver } from '../environments/scope.js';
import { actAsCreator, type Outcome, publishTogether, recordedError, unpublishEach, writeWithEvent } from '../background/acting.js';
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
    error: recordedError(error),
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
    readonly entries: EntryService,
    readonly assets: AssetService,
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
    const row = (await writeWithEvent(
      this.db,
      (trx) =>
        new BulkActionRepository(trx).insert(scope, {
          id: generateId(),
          action,
          payload,
          api_version: apiVersion,
          created_by: actor.userId,
        }),
      { type: 'BulkAction', action: 'create', payload: bulkActionView, userId: actor.userId },
    ))!;
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
    const outcome = await this.execute(row);
    await writeWithEvent(this.db, (trx) => new BulkActionRepository(trx).finish(row, outcome, new Date(this.clock.now())), {
      type: 'BulkAction',
      action: 'execute',
      payload: bulkActionView,
      userId: row.created_by,
    });
    return true;
  }

  private execute(row: BulkActionRow): Promise<Outcome> {
    const action = {
      kind: 'bulk-action',
      id: row.id,
      createdBy: row.created_by,
      spaceId: row.space_id,
      environmentId: row.environment_id,
      triggerHeaders: { 'X-Contentful-Bulk-Action-Id': row.id },
    };
    return actAsCreator(
      action,
      { scopes: this.scopes, logger: this.logger },
      async (actor, scope) => {
        const items = bulkItems(row.payload);
        const errors =
          row.action === 'unpublish'
            ? (await unpublishEach(this, actor, scope, items, false)).map((r) => entityError(r.target, r.error))
            : (await publishTogether(this.db, this, actor, scope, items, row.action === 'validate')).map((r) =>
                entityError(r.target, r.error),
              );
        if (errors.length === 0) return { status: 'succeeded' };
        return {
          status: 'failed',
          error: { sys: { type: 'Error', id: 'BulkActionFailed' }, message: 'Not every entity could be processed', details: { errors } },
        };
      },
      () => this.rows.release(row),
    );
  }
}
