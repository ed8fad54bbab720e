import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, EnvironmentAliasRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, DEFAULT_LIMIT } from '../../domain/collections.js';
import { ApiError, badRequest, notFound } from '../../domain/errors.js';
import { link, versionedSys } from '../../http/sys.js';
import { MASTER } from '../../domain/environments.js';

/** Besides `master`, a space may have two more aliases (seed 004). */
export const MAX_EXTRA_ALIASES = 2;

export function aliasView(row: EnvironmentAliasRow) {
  return {
    environment: link('Environment', row.target_environment_id),
    sys: { type: 'EnvironmentAlias', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

/**
 * Aliases give an environment a second, stable id. The `master` alias exists as soon as a space uses
 * aliases (it is created targeting the `master` environment when the first other alias is made), always
 * targets an existing environment and cannot be deleted.
 */
export class EnvironmentAliasService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {}

  private rows(spaceId: string) {
    return this.db.selectFrom('environment_aliases').selectAll().where('space_id', '=', spaceId);
  }

  /** At most three aliases exist, so the whole list is one page. */
  async list(actor: Actor, spaceId: string) {
    await this.spaceAccess.require(actor, spaceId);
    const rows = await this.rows(spaceId).orderBy('created_at').orderBy('id').execute();
    return collection(rows.map(aliasView), rows.length, { skip: 0, limit: DEFAULT_LIMIT });
  }

  async get(actor: Actor, spaceId: string, aliasId: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.rows(spaceId).where('id', '=', aliasId).executeTakeFirst();
    if (!row) throw notFound('EnvironmentAlias', aliasId);
    return aliasView(row);
  }

  async put(actor: Actor, spaceId: string, aliasId: string, targetId: string, expectedVersion: number | undefined) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'EnvironmentAliases', 'manage');
    const target = await this.db
      .selectFrom('environments')
      .select(['id', 'status'])
      .where('space_id', '=', spaceId)
      .where('id', '=', targetId)
      .executeTakeFirst();
    if (!target)
      throw new ApiError('ValidationFailed', 'The target environment does not exist', {
        errors: [{ name: 'notResolvable', path: ['environment'], value: targetId }],
      });
    if (target.status !== 'ready') throw badRequest(`The environment "${targetId}" is not ready`);
    const existing = await this.rows(spaceId).where('id', '=', aliasId).executeTakeFirst();
    if (existing) {
      const row = await versionLockedUpdate({
        type: 'EnvironmentAlias',
        id: aliasId,
        expectedVersion,
        update: (version) =>
          this.db
            .updateTable('environment_aliases')
            .set((eb) => ({
              target_environment_id: targetId,
              version: eb('version', '+', 1),
              updated_at: new Date(),
              updated_by: actor.userId,
            }))
            .where('space_id', '=', spaceId)
            .where('id', '=', aliasId)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => true,
      });
      return { created: false, alias: aliasView(row) };
    }
    return { created: true, alias: await this.create(actor, spaceId, aliasId, targetId) };
  }

  private async create(actor: Actor, spaceId: string, aliasId: string, targetId: string) {
    return this.db.transaction().execute(async (trx) => {
      if (aliasId !== MASTER) {
        const clash = await trx
          .selectFrom('environments')
          .select('id')
          .where('space_id', '=', spaceId)
          .where('id', '=', aliasId)
          .executeTakeFirst();
        if (clash) throw badRequest(`"${aliasId}" is already the id of an environment`);
        const aliases = await trx.selectFrom('environment_aliases').select('id').where('space_id', '=', spaceId).forUpdate().execute();
        if (aliases.filter((a) => a.id !== MASTER).length >= MAX_EXTRA_ALIASES) {
          throw badRequest(`A space can have the master alias and at most ${MAX_EXTRA_ALIASES} more aliases`);
        }
        if (!aliases.some((a) => a.id === MASTER)) {
          await trx
            .insertInto('environment_aliases')
            .values({ space_id: spaceId, id: MASTER, target_environment_id: MASTER, created_by: actor.userId, updated_by: actor.userId })
            .execute();
        }
      }
      const row = await trx
        .insertInto('environment_aliases')
        .values({ space_id: spaceId, id: aliasId, target_environment_id: targetId, created_by: actor.userId, updated_by: actor.userId })
        .onConflict((oc) => oc.columns(['space_id', 'id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new ApiError('VersionMismatch', 'The alias was created concurrently', { type: 'EnvironmentAlias', id: aliasId });
      return aliasView(row);
    });
  }

  async delete(actor: Actor, spaceId: string, aliasId: string) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'EnvironmentAliases', 'manage');
    if (aliasId === MASTER) throw badRequest('The master alias cannot be deleted');
    const row = await this.db
      .deleteFrom('environment_aliases')
      .where('space_id', '=', spaceId)
      .where('id', '=', aliasId)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('EnvironmentAlias', aliasId);
  }
}
