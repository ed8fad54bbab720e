import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import type { DB, EnvironmentRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, link, versionedSys } from '../../http/sys.js';
import { copyEnvironmentContent, removeEnvironmentContent } from './cloning.js';
import { MASTER } from '../../domain/environments.js';
import { resolveEnvironmentId } from './scope.js';

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
  ) {}

  /**
   * Copies run one after another in a process: a copy holds its main connection while it waits for the
   * others, so copies started together could otherwise take the whole pool and wait on each other.
   */
  private copies: Promise<void> = Promise.resolve();

  private readonly retryTimers = new Set<NodeJS.Timeout>();

  /** Each copy starts in a later turn of the event loop, after the answer that accepted it. */
  private enqueueCopy(spaceId: string, source: string, target: string, attempt = 0) {
    this.copies = this.copies.then(() => nextTurn()).then(() => this.copy(spaceId, source, target, attempt));
  }

  /** Runs `work` after the delay for the `attempt`-th retry. */
  private later(attempt: number, work: () => void) {
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer);
        work();
      },
      Math.min(COPY_RETRY_FIRST_MS * 2 ** attempt, COPY_RETRY_MAX_MS),
    );
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** Cancels the retries of interrupted copies (they stay queued and resume at the next start). */
  stop() {
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private async aliasesByTarget(spaceId: string): Promise<Map<string, string[]>> {
    const rows = await this.db
      .selectFrom('environment_aliases')
      .select(['id', 'target_environment_id'])
      .where('space_id', '=', spaceId)
      .orderBy('id')
      .execute();
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(r.target_environment_id, [...(map.get(r.target_environment_id) ?? []), r.id]);
    return map;
  }

  /** Members without the Environments permission only see (and use) the environment `master` leads to. */
  async list(actor: Actor, spaceId: string, paging: Paging) {
    const { permissions } = await this.spaceAccess.require(actor, spaceId);
    let base = this.db.selectFrom('environments').where('space_id', '=', spaceId);
    if (!permissions.allows('Environments', 'manage')) {
      const master = await resolveEnvironmentId(this.db, spaceId, MASTER);
      base = base.where('id', '=', master?.environmentId ?? MASTER);
    }
    const [rows, count, aliases] = await Promise.all([
      base.selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      this.aliasesByTarget(spaceId),
    ]);
    return collection(
      rows.map((r) => environmentView(r, aliases.get(r.id) ?? [])),
      Number(count.total),
      paging,
    );
  }

  async get(actor: Actor, spaceId: string, requested: string) {
    const { permissions } = await this.spaceAccess.require(actor, spaceId);
    const resolved = await resolveEnvironmentId(this.db, spaceId, requested);
    if (!resolved || !permissions.inEnvironment(requested === MASTER || resolved.aliasId === MASTER))
      throw notFound('Environment', requested);
    const row = await this.find(spaceId, resolved.environmentId);
    return environmentView(row!, (await this.aliasesByTarget(spaceId)).get(row!.id) ?? [], resolved.aliasId);
  }

  private find(spaceId: string, id: string) {
    return this.db.selectFrom('environments').selectAll().where('space_id', '=', spaceId).where('id', '=', id).executeTakeFirst();
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
    const alias = await this.db
      .selectFrom('environment_aliases')
      .select('id')
      .where('space_id', '=', spaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (alias) throw badRequest(`"${id}" is the id of an environment alias`);
    const source = await resolveEnvironmentId(this.db, spaceId, sourceRequested);
    if (!source) throw notFound('Environment', sourceRequested);
    if (source.status !== 'ready') throw badRequest(`The source environment "${sourceRequested}" is not ready`);
    const row = await this.db
      .insertInto('environments')
      .values({
        space_id: spaceId,
        id,
        name,
        status: 'queued',
        source_environment_id: source.environmentId,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(['space_id', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ApiError('VersionMismatch', 'The environment was created concurrently', { type: 'Environment', id });
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
      queued = await this.db
        .selectFrom('environments')
        .select(['space_id', 'id', 'source_environment_id'])
        .where('status', '=', 'queued')
        .execute();
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
    const lockKey = `environment-copy:${spaceId}/${target}`;
    try {
      await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${lockKey})) as locked`.execute(trx);
        if (!rows[0]?.locked) return;
        const current = await trx
          .selectFrom('environments')
          .select('status')
          .where('space_id', '=', spaceId)
          .where('id', '=', target)
          .forNoKeyUpdate()
          .executeTakeFirst();
        if (current?.status !== 'queued') return;
        await copyEnvironmentContent(trx, this.db, { spaceId, source, target }, this.copyConnections);
        await trx
          .updateTable('environments')
          .set({ status: 'ready', updated_at: new Date() })
          .where('space_id', '=', spaceId)
          .where('id', '=', target)
          .execute();
      });
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
      await this.db
        .transaction()
        .execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
          const marked = await trx
            .updateTable('environments')
            .set({ status: 'failed', updated_at: new Date() })
            .where('space_id', '=', spaceId)
            .where('id', '=', target)
            .where('status', '=', 'queued')
            .returning('id')
            .executeTakeFirst();
          if (marked) await removeEnvironmentContent(trx, spaceId, target);
        })
        .catch((e) => this.logger.error({ err: e }, 'could not mark environment failed'));
    }
  }

  private async rename(actor: Actor, spaceId: string, id: string, name: string, expectedVersion: number | undefined) {
    if (id === MASTER) throw badRequest('The master environment cannot be renamed');
    const row = await versionLockedUpdate({
      type: 'Environment',
      id,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('environments')
          .set((eb) => ({ name, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
          .where('space_id', '=', spaceId)
          .where('id', '=', id)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst(),
      exists: async () => Boolean(await this.find(spaceId, id)),
    });
    return environmentView(row, (await this.aliasesByTarget(spaceId)).get(id) ?? []);
  }

  /** Deletes an environment and everything in it; never `master` nor the target of an alias. */
  async delete(actor: Actor, spaceId: string, id: string, expectedVersion: number | undefined) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'Environments', 'manage');
    if (id === MASTER) throw badRequest('The master environment cannot be deleted');
    const row = await this.find(spaceId, id);
    if (!row) throw notFound('Environment', id);
    const aliases = (await this.aliasesByTarget(spaceId)).get(id) ?? [];
    if (aliases.length) throw badRequest(`The environment is the target of the alias(es) ${aliases.join(', ')} and cannot be deleted`);
    let query = this.db.deleteFrom('environments').where('space_id', '=', spaceId).where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const deleted = await query
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('environment_aliases as a')
              .select('a.id')
              .where('a.space_id', '=', spaceId)
              .where('a.target_environment_id', '=', id),
          ),
        ),
      )
      .returning('id')
      .executeTakeFirst();
    if (!deleted) throw new ApiError('VersionMismatch', 'Version mismatch', { type: 'Environment', id });
  }
}
