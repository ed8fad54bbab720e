import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import type { DB, EnvironmentRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { ApiError, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, link, versionedSys } from '../../http/sys.js';
import { copyEnvironmentContent, removeEnvironmentContent } from './cloning.js';
import { MASTER } from '../../domain/environments.js';
import { EnvironmentRepository, resolveEnvironmentId } from './repository.js';
import type { WriteNotices } from '../../cache/changes.js';

export function environmentView(row: EnvironmentRow, aliases: string[], aliasId?: string) {
  return {
    name: aliasId ?? row.name,
    sys: dropUndefined({
      type: 'Environment',
      id: aliasId ?? row.id,
      ...versionedSys(row),
      space: link('Space', row.space_id),
      status: link('Status', row.status),
      aliasedEnvironment: aliasId ? link('Environment', row.id) : undefined,
      aliases: aliases.map((a) => link('EnvironmentAlias', a)),
    }),
  };
}

/** Delays between attempts at a copy the database interrupted. */
const COPY_RETRY_FIRST_MS = 1_000;
const COPY_RETRY_MAX_MS = 30_000;

/**
 * Environments of a space. A new one is a copy of its source made inside the database; the request
 * answers at once with status `queued` and the copy runs after it, so clients poll until `ready`, which
 * is set when the whole copy is written: a failed copy leaves no rows and says `failed`.
 */
export class EnvironmentService {
  /** `copyConnections`: how many connections one copy writes on at once (1 on the embedded database). */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly logger: Logger,
    private readonly copyConnections: number,
    private readonly notices: WriteNotices,
    private readonly environments = new EnvironmentRepository(db),
    /** Times the retries of interrupted copies; tests move a manual one. */
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Copies run one after another in a process: a copy holds its main connection while it waits for the
   * others, so copies started together could otherwise take the whole pool and wait on each other.
   */
  private copies: Promise<void> = Promise.resolve();

  /** Cancels each retry waiting for its delay. */
  private readonly retryTimers = new Set<() => void>();

  /** Each copy starts in a later turn of the event loop, after the answer that accepted it. */
  private enqueueCopy(spaceId: string, source: string, target: string, attempt = 0) {
    this.copies = this.copies.then(() => nextTurn()).then(() => this.copy(spaceId, source, target, attempt));
  }

  /** Runs `work` after the delay for the `attempt`-th retry. */
  private later(attempt: number, work: () => void) {
    const cancel = this.clock.after(Math.min(COPY_RETRY_FIRST_MS * 2 ** attempt, COPY_RETRY_MAX_MS), () => {
      this.retryTimers.delete(cancel);
      work();
    });
    this.retryTimers.add(cancel);
  }

  /** Cancels the retries of interrupted copies (they stay queued and resume at the next start). */
  stop() {
    for (const cancel of this.retryTimers) cancel();
    this.retryTimers.clear();
  }

  /** Members without the Environments permission only see (and use) the environment `master` leads to. */
  async list(actor: Actor, spaceId: string, paging: Paging) {
    const { permissions } = await this.spaceAccess.require(actor, spaceId);
    let onlyId: string | undefined;
    if (!permissions.allows('Environments', 'manage')) {
      const master = await resolveEnvironmentId(this.db, spaceId, MASTER);
      onlyId = master?.environmentId ?? MASTER;
    }
    const [{ rows, total }, aliases] = await Promise.all([
      this.environments.page({ spaceId }, paging, onlyId),
      this.environments.aliasesByTarget({ spaceId }),
    ]);
    return collection(
      rows.map((r) => environmentView(r, aliases.get(r.id) ?? [])),
      total,
      paging,
    );
  }

  async get(actor: Actor, spaceId: string, requested: string) {
    const { permissions } = await this.spaceAccess.require(actor, spaceId);
    const resolved = await resolveEnvironmentId(this.db, spaceId, requested);
    if (!resolved || !permissions.inEnvironment(requested === MASTER || resolved.aliasId === MASTER))
      throw notFound('Environment', requested);
    const row = await this.find(spaceId, resolved.environmentId);
    return environmentView(row!, (await this.environments.aliasesByTarget({ spaceId })).get(row!.id) ?? [], resolved.aliasId);
  }

  private find(spaceId: string, id: string) {
    return this.environments.in({ spaceId }).find(id);
  }

  /** PUT: creates the environment (copying the source) or renames an existing one (version-locked). */
  async put(
    actor: Actor,
    spaceId: string,
    id: string | undefined,
    name: string,
    source: string | undefined,
    expectedVersion: number | undefined,
  ) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'Environments', 'manage');
    if (id !== undefined && (await this.find(spaceId, id)))
      return { created: false, environment: await this.rename(actor, spaceId, id, name, expectedVersion) };
    return { created: true, environment: await this.create(actor, spaceId, id ?? generateId(), name, source ?? MASTER) };
  }

  private async create(actor: Actor, spaceId: string, id: string, name: string, sourceRequested: string) {
    if (await this.environments.isAliasId({ spaceId }, id)) throw badRequest(`"${id}" is the id of an environment alias`);
    const source = await resolveEnvironmentId(this.db, spaceId, sourceRequested);
    if (!source) throw notFound('Environment', sourceRequested);
    if (source.status !== 'ready') throw badRequest(`The source environment "${sourceRequested}" is not ready`);
    const row = await this.environments.insertQueued({ spaceId }, id, name, source.environmentId, actor.userId);
    if (!row) throw new ApiError('VersionMismatch', 'The environment was created concurrently', { type: 'Environment', id });
    this.notices.written('settings');
    this.enqueueCopy(spaceId, source.environmentId, id);
    return environmentView(row, []);
  }

  /**
   * Starts again the copies a stopped process left `queued` (what parts of them committed is written
   * again). Called at start-up; safe with several processes on one database.
   */
  async resumeQueuedCopies(attempt = 0): Promise<number> {
    let queued: { space_id: string; id: string; source_environment_id: string | null }[];
    try {
      queued = await this.environments.queuedCopies();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      this.logger.warn({ err }, 'queued environment copies will be resumed once the database is available');
      this.later(
        attempt,
        () => void this.resumeQueuedCopies(attempt + 1).catch((e) => this.logger.error({ err: e }, 'could not resume environment copies')),
      );
      return 0;
    }
    for (const env of queued) {
      if (env.source_environment_id) this.enqueueCopy(env.space_id, env.source_environment_id, env.id);
    }
    return queued.length;
  }

  /**
   * Serialized per target by an advisory lock held by the copy's main transaction, which also sets `ready`;
   * a copy already done is skipped. The environment row is locked without blocking the foreign-key checks
   * of the parts written on other connections.
   */
  private async copy(spaceId: string, source: string, target: string, attempt = 0) {
    const key = { spaceId };
    try {
      const copied = await this.environments.transaction(async (trx) => {
        if (!(await this.environments.tryCopyLock(trx, key, target))) return false;
        if ((await this.environments.lockedStatus(trx, key, target)) !== 'queued') return false;
        await copyEnvironmentContent(trx, this.db, { spaceId, source, target }, this.copyConnections);
        await this.environments.markReady(trx, key, target);
        return true;
      });
      if (copied) this.notices.written('settings');
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        // Nothing is marked: the copy stays queued and starts again once the database answers.
        this.logger.warn(
          { err, spaceId, source, target },
          'environment copy interrupted: the database is not available; it will be retried',
        );
        this.later(attempt, () => this.enqueueCopy(spaceId, source, target, attempt + 1));
        return;
      }
      this.logger.error({ err, spaceId, source, target }, 'environment copy failed');
      // Under the same lock, and only while still queued: another process may have copied it meanwhile.
      await this.environments
        .transaction(async (trx) => {
          await this.environments.copyLock(trx, key, target);
          if (await this.environments.markFailed(trx, key, target)) await removeEnvironmentContent(trx, spaceId, target);
        })
        .then(() => this.notices.written('settings'))
        .catch((e) => this.logger.error({ err: e }, 'could not mark environment failed'));
    }
  }

  private async rename(actor: Actor, spaceId: string, id: string, name: string, expectedVersion: number | undefined) {
    if (id === MASTER) throw badRequest('The master environment cannot be renamed');
    const row = await this.environments.in({ spaceId }).update(id, expectedVersion, { name }, actor.userId);
    this.notices.written('settings');
    return environmentView(row, (await this.environments.aliasesByTarget({ spaceId })).get(id) ?? []);
  }

  /** Deletes an environment and everything in it; never `master` nor the target of an alias. */
  async delete(actor: Actor, spaceId: string, id: string, expectedVersion: number | undefined) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'Environments', 'manage');
    if (id === MASTER) throw badRequest('The master environment cannot be deleted');
    const row = await this.find(spaceId, id);
    if (!row) throw notFound('Environment', id);
    const aliases = (await this.environments.aliasesByTarget({ spaceId })).get(id) ?? [];
    if (aliases.length) throw badRequest(`The environment is the target of the alias(es) ${aliases.join(', ')} and cannot be deleted`);
    if (!(await this.environments.deleteUnlessAliased({ spaceId }, id, expectedVersion)))
      throw new ApiError('VersionMismatch', 'Version mismatch', { type: 'Environment', id });
    this.notices.written('settings');
  }
}
