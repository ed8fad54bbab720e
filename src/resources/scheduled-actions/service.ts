import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { DB, ScheduledActionRow } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { ApiError, badRequest, notFound, validationFailed, versionMismatch } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import { dropUndefined, iso, link, userLink } from '../../http/sys.js';
import type { AssetService } from '../assets/service.js';
import type { EntryService } from '../entries/service.js';
import type { ReleaseService } from '../releases/service.js';
import type { EnvironmentScopeResolver } from '../environments/scope.js';
import { actAsCreator, type Outcome, writeWithEvent } from '../background/acting.js';
import { BackgroundWorker } from '../background/worker.js';
import { type ScheduledActionFilters, ScheduledActionRepository } from './repository.js';

/** Contentful's limit: "a limit of 200 scheduled actions in pending status per environment". */
export const MAX_PENDING_PER_ENVIRONMENT = 200;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** An action a process took this long ago and never finished was interrupted (that process stopped). */
const ABANDONED_AFTER_MS = 5 * 60_000;

export interface ScheduledActionInput {
  entity: { sys: { linkType: string; id: string } };
  environment?: { sys: { id: string } };
  action: 'publish' | 'unpublish';
  scheduledFor: { datetime: string; timezone?: string };
  payload?: Record<string, unknown>;
}

export function scheduledActionView(row: ScheduledActionRow) {
  return dropUndefined({
    sys: dropUndefined({
      id: row.id,
      type: 'ScheduledAction',
      version: row.version,
      space: link('Space', row.space_id),
      status: row.status,
      createdAt: iso(row.created_at),
      createdBy: userLink(row.created_by),
      updatedAt: iso(row.updated_at),
      updatedBy: userLink(row.updated_by),
      canceledAt: iso(row.canceled_at),
      canceledBy: userLink(row.canceled_by),
    }),
    action: row.action,
    entity: link(row.entity_type, row.entity_id),
    environment: link('Environment', row.environment_id),
    scheduledFor: row.scheduled_for_json,
    ...(row.payload ? { payload: row.payload } : {}),
    ...(row.error ? { error: row.error } : {}),
  });
}

/**
 * Scheduled actions (`/spaces/{space}/scheduled_actions`): publish or unpublish an entry or asset at a
 * time, at most 200 pending per environment, version-locked changes while scheduled, cancel with DELETE.
 * `runDue` carries out the due ones as the user who scheduled them (their roles and policies apply then):
 * each is claimed by one statement first, so with several processes on one database each runs once.
 */
export class ScheduledActionService {
  private readonly rows: ScheduledActionRepository;
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly scopes: EnvironmentScopeResolver,
    private readonly entries: EntryService,
    private readonly assets: AssetService,
    private readonly releases: ReleaseService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    pollMs: number,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.rows = new ScheduledActionRepository(db);
    this.worker = new BackgroundWorker(
      'scheduled actions',
      () => this.runNext(),
      clock,
      pollMs,
      logger,
      () => this.settleAbandoned(),
    );
  }

  private now() {
    return new Date(this.clock.now());
  }

  async create(actor: Actor, spaceId: string, input: ScheduledActionInput) {
    const environmentId = input.environment?.sys.id;
    if (!environmentId) throw validationFailed([{ name: 'required', path: ['environment'], details: 'The environment is required' }]);
    const scope = await this.scopes.resolve(actor, spaceId, environmentId);
    const { entityType, scheduledFor } = await this.checked(actor, scope, input);
    if ((await this.rows.pending(spaceId, scope.environmentId)) >= MAX_PENDING_PER_ENVIRONMENT)
      throw badRequest(`An environment can have at most ${MAX_PENDING_PER_ENVIRONMENT} pending scheduled actions`);
    const row = (await writeWithEvent(
      this.db,
      (trx) =>
        new ScheduledActionRepository(trx).insert({
          space_id: spaceId,
          environment_id: scope.environmentId,
          id: generateId(),
          entity_type: entityType,
          entity_id: input.entity.sys.id,
          action: input.action,
          scheduled_for: scheduledFor,
          scheduled_for_json: input.scheduledFor,
          payload: input.payload ?? null,
          created_by: actor.userId,
          updated_by: actor.userId,
        }),
      this.event('create', actor.userId),
    ))!;
    return scheduledActionView(row);
  }

  async get(actor: Actor, spaceId: string, environmentId: string, id: string) {
    const scope = await this.scopes.resolve(actor, spaceId, environmentId);
    const row = await this.rows.find(spaceId, scope.environmentId, id);
    if (!row) throw notFound('ScheduledAction', id);
    return scheduledActionView(row);
  }

  async list(actor: Actor, spaceId: string, query: Record<string, unknown>) {
    const requested = stringParam(query, 'environment.sys.id');
    if (!requested) throw badRequest('The query parameter "environment.sys.id" is required');
    const scope = await this.scopes.resolve(actor, spaceId, requested);
    const filters = parseFilters(query, scope.environmentId);
    const rows = await this.rows.list(spaceId, filters);
    const items = rows.slice(0, filters.limit).map(scheduledActionView);
    const next = rows.length > filters.limit ? Buffer.from(String(filters.skip + filters.limit)).toString('base64url') : undefined;
    return { sys: { type: 'Array' }, items, limit: filters.limit, pages: next ? { next } : {} };
  }

  async update(actor: Actor, spaceId: string, id: string, input: ScheduledActionInput, version: number | undefined) {
    const environmentId = input.environment?.sys.id;
    if (!environmentId) throw validationFailed([{ name: 'required', path: ['environment'], details: 'The environment is required' }]);
    if (version === undefined)
      throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required', { type: 'ScheduledAction', id });
    const scope = await this.scopes.resolve(actor, spaceId, environmentId);
    const { entityType, scheduledFor } = await this.checked(actor, scope, input);
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        new ScheduledActionRepository(trx).update(
          spaceId,
          scope.environmentId,
          id,
          version,
          {
            entity_type: entityType,
            entity_id: input.entity.sys.id,
            action: input.action,
            scheduled_for: scheduledFor,
            scheduled_for_json: input.scheduledFor,
            payload: input.payload ?? null,
            updated_by: actor.userId,
          },
          this.now(),
        ),
      this.event('save', actor.userId),
    );
    if (row) return scheduledActionView(row);
    throw await this.refusal(spaceId, scope.environmentId, id, version);
  }

  /** `DELETE`: the action is kept as `canceled` and never runs. */
  async cancel(actor: Actor, spaceId: string, environmentId: string, id: string) {
    const scope = await this.scopes.resolve(actor, spaceId, environmentId);
    const row = await writeWithEvent(
      this.db,
      (trx) => new ScheduledActionRepository(trx).cancel(spaceId, scope.environmentId, id, actor.userId, this.now()),
      this.event('delete', actor.userId),
    );
    if (row) return scheduledActionView(row);
    throw await this.refusal(spaceId, scope.environmentId, id, undefined);
  }

  private async refusal(spaceId: string, environmentId: string, id: string, version: number | undefined) {
    const current = await this.rows.find(spaceId, environmentId, id);
    if (!current) return notFound('ScheduledAction', id);
    if (current.status !== 'scheduled') return badRequest(`The scheduled action is ${current.status} and cannot be changed`);
    return version !== undefined && current.version !== version
      ? versionMismatch('ScheduledAction', id)
      : badRequest('The scheduled action cannot be changed');
  }

  /** The entity must exist and be readable by the caller, the time valid and in the future. */
  private async checked(actor: Actor, scope: Awaited<ReturnType<EnvironmentScopeResolver['resolve']>>, input: ScheduledActionInput) {
    const entityType = input.entity.sys.linkType;
    if (entityType !== 'Entry' && entityType !== 'Asset' && entityType !== 'Release')
      throw validationFailed([
        { name: 'in', path: ['entity', 'sys', 'linkType'], details: 'Only entries, assets and releases can be scheduled' },
      ]);
    try {
      if (entityType === 'Release') await this.releases.get(scope, input.entity.sys.id);
      else await (entityType === 'Entry' ? this.entries : this.assets).get(actor, scope, input.entity.sys.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw badRequest('The resource could not be found.');
      throw err;
    }
    const at = Date.parse(input.scheduledFor.datetime);
    if (Number.isNaN(at))
      throw validationFailed([
        { name: 'type', path: ['scheduledFor', 'datetime'], details: 'The datetime must be an ISO 8601 date and time' },
      ]);
    if (at <= this.clock.now())
      throw validationFailed([{ name: 'range', path: ['scheduledFor', 'datetime'], details: 'The datetime must be in the future' }]);
    return { entityType: entityType as 'Entry' | 'Asset' | 'Release', scheduledFor: new Date(at) };
  }

  /** Polls for due actions while the server runs. */
  start() {
    this.worker.start();
  }

  stop() {
    return this.worker.stop();
  }

  /** Runs every action due now, one after another; answers how many ran. */
  runDue(): Promise<number> {
    return this.worker.run();
  }

  /** Takes the next due action and carries it out; false when none is due. Each run first settles abandoned ones. */
  private async runNext(): Promise<boolean> {
    const now = this.now();
    const row = await this.rows.claimDue(now);
    if (!row) return false;
    this.metrics.scheduledActionStarted(now.getTime() - new Date(row.scheduled_for).getTime());
    await this.finish(row, await this.execute(row));
    return true;
  }

  /** The webhook event of a change (`ScheduledAction.<action>`), with the action as it is after it. */
  private event(action: 'create' | 'save' | 'delete' | 'execute', userId: string | null) {
    return { type: 'ScheduledAction' as const, action, payload: scheduledActionView, userId };
  }

  /** Records the outcome, with the `ScheduledAction.execute` event. */
  private finish(row: ScheduledActionRow, outcome: Outcome) {
    return writeWithEvent(
      this.db,
      (trx) => new ScheduledActionRepository(trx).finish(row, outcome, this.now()),
      this.event('execute', row.created_by),
    );
  }

  private execute(row: ScheduledActionRow): Promise<Outcome> {
    const action = {
      kind: 'scheduled-action',
      id: row.id,
      createdBy: row.created_by,
      spaceId: row.space_id,
      environmentId: row.environment_id,
      triggerHeaders: { 'X-Contentful-Scheduled-Action-Id': row.id },
    };
    return actAsCreator(
      action,
      { scopes: this.scopes, logger: this.logger },
      async (actor, scope) => {
        if (row.entity_type === 'Release') return this.releases.carryOut(actor, scope, row.entity_id, row.action);
        const service = row.entity_type === 'Entry' ? this.entries : this.assets;
        if (row.action === 'publish') await service.publish(actor, scope, row.entity_id, undefined);
        else await service.unpublish(actor, scope, row.entity_id, undefined);
        return { status: 'succeeded' };
      },
      () => this.rows.release(row),
    );
  }

  /**
   * Actions a stopped process had taken but not finished: settled from the entity (published, or not
   * published, since the action was taken), never run a second time.
   */
  private async settleAbandoned() {
    for (const row of await this.rows.abandoned(new Date(this.clock.now() - ABANDONED_AFTER_MS))) {
      const done = await this.rows.entityChangedSince(row);
      await this.finish(
        row,
        done
          ? { status: 'succeeded' }
          : {
              status: 'failed',
              error: { sys: { type: 'Error', id: 'ServerError' }, message: 'The server stopped while carrying out the action' },
            },
      );
    }
  }
}

function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const DATETIME_OPS = { '': '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function parseFilters(query: Record<string, unknown>, environmentId: string): ScheduledActionFilters {
  const list = (value: string) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const filters: ScheduledActionFilters = { environmentId, descending: false, skip: 0, limit: DEFAULT_LIMIT };
  for (const [param, raw] of Object.entries(query)) {
    if (typeof raw !== 'string') throw badRequest(`The query parameter "${param}" must be given once`);
    const datetime = /^scheduledFor\.datetime(?:\[(lt|lte|gt|gte)\])?$/.exec(param);
    if (param === 'environment.sys.id' || param === 'access_token') continue;
    else if (param === 'sys.id' || param === 'sys.id[in]') filters.ids = list(raw);
    else if (param === 'sys.status' || param === 'sys.status[in]') filters.statuses = list(raw);
    else if (param === 'entity.sys.id') filters.entityId = raw;
    // Contentful's web app asks for the scheduled entries and assets this way (its reference field editors).
    else if (param === 'entity.sys.linkType' || param === 'entity.sys.linkType[in]') filters.entityTypes = list(raw);
    else if (datetime) {
      if (Number.isNaN(Date.parse(raw))) throw badRequest(`The query parameter "${param}" needs an ISO 8601 date`);
      filters.datetime = [...(filters.datetime ?? []), { op: DATETIME_OPS[(datetime[1] ?? '') as keyof typeof DATETIME_OPS], value: raw }];
    } else if (param === 'order') {
      if (raw !== 'scheduledFor.datetime' && raw !== '-scheduledFor.datetime')
        throw badRequest('Scheduled actions are ordered by scheduledFor.datetime');
      filters.descending = raw.startsWith('-');
    } else if (param === 'limit') {
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT)
        throw badRequest(`The query parameter "limit" must be from 1 to ${MAX_LIMIT}`);
      filters.limit = Number(raw);
    } else if (param === 'next') {
      const skip = Number(Buffer.from(raw, 'base64url').toString());
      if (!Number.isInteger(skip) || skip < 0) throw badRequest('The query parameter "next" is not a page of this collection');
      filters.skip = skip;
    } else throw badRequest(`The query parameter "${param}" is not supported on scheduled actions`);
  }
  return filters;
}
