import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { DB, ReleaseActionRow, ReleaseRow } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { ApiError, badRequest, notFound, validationFailed, versionMismatch } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, iso, link, userLink } from '../../http/sys.js';
import type { AssetService } from '../assets/service.js';
import {
  actAsCreator,
  type Outcome,
  type PublishTarget,
  publishTogether,
  recordedError,
  unpublishEach,
  writeWithEvent,
} from '../background/acting.js';
import { BackgroundWorker } from '../background/worker.js';
import type { EntryService } from '../entries/service.js';
import type { EnvironmentScope, EnvironmentScopeResolver } from '../environments/scope.js';
import { type ReleaseFilters, ReleaseRepository } from './repository.js';
import { ReleaseVersionRepository } from './versions-repository.js';

/** The most entities one release holds. */
export const MAX_RELEASE_ENTITIES = 1000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export interface ReleaseInput {
  title: string;
  entities: { items: unknown[] };
  sys?: { schemaVersion?: string };
  metadata?: Record<string, unknown>;
}

/** One entity of a release: its link, and (Release.v2) what publishing the release does with it. */
export interface ReleaseItem {
  linkType: 'Entry' | 'Asset';
  id: string;
  action: 'publish' | 'unpublish';
}

export function releaseItems(entities: unknown[]): ReleaseItem[] {
  return entities.map((item) => {
    const v2 = item as { entity?: { sys: { linkType: 'Entry' | 'Asset'; id: string } }; action?: 'publish' | 'unpublish' };
    const sys = v2.entity?.sys ?? (item as { sys: { linkType: 'Entry' | 'Asset'; id: string } }).sys;
    return { linkType: sys.linkType, id: sys.id, action: v2.action ?? 'publish' };
  });
}

export function releaseView(row: ReleaseRow) {
  return dropUndefined({
    sys: dropUndefined({
      id: row.id,
      type: 'Release',
      version: row.version,
      status: row.status,
      space: link('Space', row.space_id),
      environment: link('Environment', row.environment_id),
      createdBy: userLink(row.created_by),
      updatedBy: userLink(row.updated_by),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      archivedBy: userLink(row.archived_by),
      archivedAt: iso(row.archived_at),
      lastAction: row.last_action_id ? link('ReleaseAction', row.last_action_id) : undefined,
      schemaVersion: row.schema_version === 'Release.v2' ? 'Release.v2' : undefined,
    }),
    title: row.title,
    entities: { sys: { type: 'Array' }, items: row.entities },
    metadata: row.metadata ?? undefined,
  });
}

export function releaseActionView(row: ReleaseActionRow) {
  return {
    sys: {
      id: row.id,
      type: 'ReleaseAction',
      space: link('Space', row.space_id),
      environment: link('Environment', row.environment_id),
      release: link('Release', row.release_id),
      status: row.status,
      createdBy: userLink(row.created_by),
      createdAt: iso(row.created_at),
      updatedBy: userLink(row.updated_by),
      updatedAt: iso(row.updated_at),
    },
    action: row.action,
    ...(row.error ? { error: row.error } : {}),
  };
}

/** A `Release.<action>` webhook event, with the release as it is after the change. */
function releaseEvent(action: 'create' | 'save' | 'delete' | 'archive' | 'unarchive', userId: string | null) {
  return { type: 'Release' as const, action, payload: releaseView, userId };
}

function entityError(item: Pick<ReleaseItem, 'linkType' | 'id'>, error: ApiError) {
  return {
    entity: link(item.linkType, item.id),
    error: recordedError(error),
  };
}

/**
 * Releases: a titled set of entries and assets (version-locked, archivable) published, unpublished or
 * validated through release actions, which run in the background as the user who started them. Publishing
 * a release is atomic: every entity is checked first and all are published in one transaction, or none.
 */
export class ReleaseService {
  private readonly rows: ReleaseRepository;
  private readonly versions: ReleaseVersionRepository;
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
    this.rows = new ReleaseRepository(db);
    this.versions = new ReleaseVersionRepository(db);
    this.worker = new BackgroundWorker('release actions', () => this.runNext(), clock, pollMs, logger);
  }

  private now() {
    return new Date(this.clock.now());
  }

  private checkEntities(input: ReleaseInput) {
    const items = input.entities.items;
    if (items.length > MAX_RELEASE_ENTITIES)
      throw validationFailed([
        {
          name: 'size',
          path: ['entities', 'items'],
          details: `A release holds at most ${MAX_RELEASE_ENTITIES} entities`,
          value: items.length,
        },
      ]);
    try {
      for (const item of releaseItems(items)) {
        if ((item.linkType !== 'Entry' && item.linkType !== 'Asset') || typeof item.id !== 'string') throw new Error();
      }
    } catch {
      throw validationFailed([{ name: 'type', path: ['entities', 'items'], details: 'Release entities are links to entries and assets' }]);
    }
  }

  async create(actor: Actor, scope: EnvironmentScope, input: ReleaseInput) {
    this.checkEntities(input);
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        new ReleaseRepository(trx).insert(scope, {
          id: generateId(),
          title: input.title,
          entities: input.entities.items,
          schema_version: input.sys?.schemaVersion ?? null,
          metadata: input.metadata ?? null,
          created_by: actor.userId,
        }),
      releaseEvent('create', actor.userId),
    );
    return releaseView(row!);
  }

  /** The release, or 404. */
  async release(scope: EnvironmentScope, id: string) {
    const row = await this.rows.find(scope, id);
    if (!row) throw notFound('Release', id);
    return row;
  }

  async get(scope: EnvironmentScope, id: string) {
    return releaseView(await this.release(scope, id));
  }

  async list(scope: EnvironmentScope, query: Record<string, unknown>) {
    const filters = parseReleaseFilters(query);
    const rows = await this.rows.list(scope, filters);
    const next = rows.length > filters.limit ? Buffer.from(String(filters.skip + filters.limit)).toString('base64url') : undefined;
    return {
      sys: { type: 'Array' },
      items: rows.slice(0, filters.limit).map(releaseView),
      limit: filters.limit,
      pages: next ? { next } : {},
    };
  }

  private async changed(
    scope: EnvironmentScope,
    id: string,
    version: number | undefined,
    changes: Parameters<ReleaseRepository['update']>[3],
  ) {
    if (version === undefined)
      throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required', { type: 'Release', id });
    // The change's webhook event: archive, unarchive, or save.
    const action = changes.status === 'archived' ? 'archive' : changes.status === 'active' ? 'unarchive' : 'save';
    const row = await writeWithEvent(
      this.db,
      (trx) => new ReleaseRepository(trx).update(scope, id, version, changes, this.now()),
      releaseEvent(action, changes.updated_by ?? null),
    );
    if (row) return row;
    await this.release(scope, id);
    throw versionMismatch('Release', id);
  }

  async update(actor: Actor, scope: EnvironmentScope, id: string, input: ReleaseInput, version: number | undefined) {
    this.checkEntities(input);
    if ((await this.release(scope, id)).status === 'archived')
      throw badRequest('An archived release cannot be changed; unarchive it first');
    const row = await this.changed(scope, id, version, {
      title: input.title,
      entities: input.entities.items,
      metadata: input.metadata ?? null,
      updated_by: actor.userId,
    });
    return releaseView(row);
  }

  async delete(actor: Actor, scope: EnvironmentScope, id: string) {
    const deleted = await writeWithEvent(
      this.db,
      (trx) => new ReleaseRepository(trx).delete(scope, id),
      releaseEvent('delete', actor.userId),
    );
    if (!deleted) throw notFound('Release', id);
  }

  async archive(actor: Actor, scope: EnvironmentScope, id: string, version: number | undefined) {
    if ((await this.release(scope, id)).status === 'archived') throw badRequest('The release is already archived');
    return releaseView(
      await this.changed(scope, id, version, {
        status: 'archived',
        archived_by: actor.userId,
        archived_at: this.now(),
        updated_by: actor.userId,
      }),
    );
  }

  async unarchive(actor: Actor, scope: EnvironmentScope, id: string, version: number | undefined) {
    if ((await this.release(scope, id)).status !== 'archived') throw badRequest('The release is not archived');
    return releaseView(
      await this.changed(scope, id, version, { status: 'active', archived_by: null, archived_at: null, updated_by: actor.userId }),
    );
  }

  /**
   * Adds an entity to an open release (an entry or asset created in it), in the release's own item shape
   * (Release.v2: `{ entity, action: 'publish' }`), as a version-locked save of the release.
   */
  async addEntity(actor: Actor, scope: EnvironmentScope, release: ReleaseRow, item: Pick<ReleaseItem, 'linkType' | 'id'>) {
    const added =
      release.schema_version === 'Release.v2' ? { entity: link(item.linkType, item.id), action: 'publish' } : link(item.linkType, item.id);
    const entities = [...release.entities, added];
    this.checkEntities({ title: release.title, entities: { items: entities } });
    return this.changed(scope, release.id, release.version, { entities, updated_by: actor.userId });
  }

  /** Starts a release action (`publish`, `unpublish` or `validate`), answered at once and run in the background. */
  async startAction(actor: Actor, scope: EnvironmentScope, id: string, action: 'publish' | 'unpublish' | 'validate', version?: number) {
    const release = await this.release(scope, id);
    if (release.status === 'archived')
      throw badRequest(`An archived release cannot be ${action === 'validate' ? 'validated' : `${action}ed`}`);
    if (version !== undefined && version !== release.version) throw versionMismatch('Release', id);
    const row = (await writeWithEvent(
      this.db,
      (trx) => new ReleaseRepository(trx).insertAction(scope, { id: generateId(), release_id: id, action, created_by: actor.userId }),
      { type: 'ReleaseAction', action: 'create', payload: releaseActionView, userId: actor.userId },
    ))!;
    await this.rows.update(scope, id, release.version, { last_action_id: row.id }, this.now());
    this.worker.kick();
    return releaseActionView(row);
  }

  /**
   * A release action started and carried out now, for a scheduled action (which answers with its outcome):
   * it is recorded and announced like one a client starts.
   */
  async carryOut(actor: Actor, scope: EnvironmentScope, id: string, action: 'publish' | 'unpublish'): Promise<Outcome> {
    const started = await this.startAction(actor, scope, id, action);
    await this.runWaiting();
    const done = await this.rows.findAction(scope, id, started.sys.id);
    if (done?.status === 'succeeded') return { status: 'succeeded' };
    return {
      status: 'failed',
      error: (done?.error ?? { sys: { type: 'Error', id: 'ServerError' }, message: 'The release action did not finish' }) as Record<
        string,
        unknown
      >,
    };
  }

  async getAction(scope: EnvironmentScope, releaseId: string, actionId: string) {
    const row = await this.rows.findAction(scope, releaseId, actionId);
    if (!row) throw notFound('ReleaseAction', actionId);
    return releaseActionView(row);
  }

  async listActions(scope: EnvironmentScope, query: Record<string, unknown>) {
    const list = (name: string) =>
      typeof query[name] === 'string'
        ? (query[name] as string)
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : undefined;
    const limit = typeof query.limit === 'string' && /^\d+$/.test(query.limit) ? Math.min(Number(query.limit), MAX_LIMIT) : DEFAULT_LIMIT;
    const rows = await this.rows.listActions(scope, {
      releaseIds: list('sys.release.sys.id[in]'),
      ids: list('sys.id[in]'),
      statuses: list('sys.status[in]'),
      action: typeof query.action === 'string' ? query.action : undefined,
      limit,
    });
    return { sys: { type: 'Array' }, items: rows.map(releaseActionView), limit, pages: {} };
  }

  start() {
    this.worker.start();
  }

  stop() {
    return this.worker.stop();
  }

  /** Runs every waiting release action; answers how many ran. */
  runWaiting(): Promise<number> {
    return this.worker.run();
  }

  private async runNext(): Promise<boolean> {
    const row = await this.rows.claimNextAction(this.now());
    if (!row) return false;
    const outcome = await this.execute(row);
    await writeWithEvent(this.db, (trx) => new ReleaseRepository(trx).finishAction(row, outcome, this.now()), {
      type: 'ReleaseAction',
      action: 'execute',
      payload: releaseActionView,
      userId: row.created_by,
    });
    return true;
  }

  private execute(row: ReleaseActionRow): Promise<Outcome> {
    const action = {
      kind: 'release-action',
      id: row.id,
      createdBy: row.created_by,
      spaceId: row.space_id,
      environmentId: row.environment_id,
      triggerHeaders: { 'X-Contentful-Release-Id': row.release_id, 'X-Contentful-Release-Action-Id': row.id },
    };
    return actAsCreator(
      action,
      { scopes: this.scopes, logger: this.logger },
      async (actor, scope) => {
        const items = await this.withVersions(scope, row.release_id, releaseItems((await this.release(scope, row.release_id)).entities));
        const errors =
          row.action === 'unpublish'
            ? await this.unpublish(actor, scope, items)
            : await this.publish(actor, scope, items, row.action === 'validate');
        if (errors.length === 0) return { status: 'succeeded' };
        return {
          status: 'failed',
          error: { sys: { type: 'Error', id: 'InvalidEntry' }, message: 'Validation error', details: { errors } },
        };
      },
      () => this.rows.releaseAction(row),
    );
  }

  /** The release's items, each with the release's own version of it (Timeline) as the draft to publish. */
  private async withVersions(scope: EnvironmentScope, releaseId: string, items: ReleaseItem[]): Promise<(ReleaseItem & PublishTarget)[]> {
    const versions = new Map((await this.versions.ofRelease(scope, releaseId)).map((v) => [`${v.entity_type}:${v.entity_id}`, v]));
    return items.map((item) => {
      const version = versions.get(`${item.linkType}:${item.id}`);
      return version ? { ...item, draft: { fields: version.fields, tags: version.tags } } : item;
    });
  }

  /** Unpublishes every published entity of the release; reports those it could not. */
  private async unpublish(actor: Actor, scope: EnvironmentScope, items: ReleaseItem[]) {
    return (await unpublishEach(this, actor, scope, items, true)).map((r) => entityError(r.target, r.error));
  }

  /**
   * Publishes the release (Release.v2 entities marked `unpublish` are unpublished after), all or nothing;
   * with `checkOnly`, only the checks (`validate`).
   */
  private async publish(actor: Actor, scope: EnvironmentScope, items: (ReleaseItem & PublishTarget)[], checkOnly: boolean) {
    const refused = await publishTogether(
      this.db,
      this,
      actor,
      scope,
      items.filter((i) => i.action === 'publish'),
      checkOnly,
    );
    if (refused.length || checkOnly) return refused.map((r) => entityError(r.target as ReleaseItem, r.error));
    return this.unpublish(
      actor,
      scope,
      items.filter((i) => i.action === 'unpublish'),
    );
  }
}

function parseReleaseFilters(query: Record<string, unknown>): ReleaseFilters {
  const filters: ReleaseFilters = { skip: 0, limit: DEFAULT_LIMIT };
  const list = (raw: string) =>
    raw
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  for (const [param, raw] of Object.entries(query)) {
    if (typeof raw !== 'string') throw badRequest(`The query parameter "${param}" must be given once`);
    if (param === 'sys.id[in]') filters.ids = list(raw);
    else if (param === 'sys.id[nin]') filters.excludedIds = list(raw);
    else if (param === 'sys.status[in]') filters.statuses = list(raw);
    else if (param === 'sys.status[nin]') filters.excludedStatuses = list(raw);
    else if (param === 'entities.sys.id[in]') filters.entityIds = list(raw);
    else if (param === 'title[match]') filters.title = raw;
    else if (param === 'sys.schemaVersion') filters.schemaVersion = raw;
    else if (param === 'limit') {
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT)
        throw badRequest(`The query parameter "limit" must be from 1 to ${MAX_LIMIT}`);
      filters.limit = Number(raw);
    } else if (param === 'pageNext') {
      const skip = Number(Buffer.from(raw, 'base64url').toString());
      if (!Number.isInteger(skip) || skip < 0) throw badRequest('The query parameter "pageNext" is not a page of this collection');
      filters.skip = skip;
    }
  }
  return filters;
}
