import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import { type SpaceKey, spaceColumns } from '../../db/repository.js';
import type { DB, EnvironmentAliasRow } from '../../db/schema.js';
import { DEFAULT_LIMIT } from '../../domain/collections.js';
import { MASTER } from '../../domain/environments.js';
import { ApiError, badRequest } from '../../domain/errors.js';
import { link, versionedSys } from '../../http/sys.js';
import { type PutResult, type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { EnvironmentAliasRepository } from './repository.js';

/** Besides `master`, a space may have two more aliases (seed 004). */
export const MAX_EXTRA_ALIASES = 2;

export function aliasView(row: EnvironmentAliasRow) {
  return {
    environment: link('Environment', row.target_environment_id),
    sys: { type: 'EnvironmentAlias', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

type AliasView = ReturnType<typeof aliasView>;

/** The id of the environment an alias targets. */
type AliasTarget = string;

function aliasDeclaration(spaceAccess: SpaceAccessPolicy): ResourceDeclaration<'environment_aliases', SpaceKey, AliasTarget, AliasView> {
  return {
    table: 'environment_aliases',
    type: 'EnvironmentAlias',
    scope: spaceColumns,
    order: ['created_at', 'id'],
    // The only unique key is the id: a PUT that lost the race to create it.
    conflict: ({ id }) => new ApiError('VersionMismatch', 'The alias was created concurrently', { type: 'EnvironmentAlias', id }),
    view: aliasView,
    values: (targetId) => ({ target_environment_id: targetId }),
    canRead: (actor, key) => spaceAccess.require(actor, key.spaceId).then(() => undefined),
    canWrite: (actor, key) => spaceAccess.requirePermission(actor, key.spaceId, 'EnvironmentAliases', 'manage').then(() => undefined),
    changes: 'settings',
  };
}

/**
 * Aliases give an environment a second, stable id. The `master` alias exists as soon as a space uses
 * aliases (it is created targeting the `master` environment when the first other alias is made), always
 * targets an existing environment and cannot be deleted.
 */
export class EnvironmentAliasService extends VersionedResourceReader<'environment_aliases', SpaceKey, AliasTarget, AliasView> {
  private readonly aliases: EnvironmentAliasRepository;

  constructor(db: Kysely<DB>, spaceAccess: SpaceAccessPolicy, notices: WriteNotices) {
    const declaration = aliasDeclaration(spaceAccess);
    const aliases = new EnvironmentAliasRepository(db, declaration);
    super(db, declaration, notices, aliases);
    this.aliases = aliases;
  }

  /** At most three aliases exist, so the whole list is one page. */
  override list(actor: Actor, key: SpaceKey) {
    return super.list(actor, key, { skip: 0, limit: DEFAULT_LIMIT });
  }

  /** The target must be a ready environment. */
  async put(
    actor: Actor,
    key: SpaceKey,
    aliasId: string,
    targetId: AliasTarget,
    expectedVersion: number | undefined,
  ): Promise<PutResult<AliasView>> {
    await this.declaration.canWrite(actor, key);
    const target = await this.aliases.environment(key, targetId);
    if (!target)
      throw new ApiError('ValidationFailed', 'The target environment does not exist', {
        errors: [{ name: 'notResolvable', path: ['environment'], value: targetId }],
      });
    if (target.status !== 'ready') throw badRequest(`The environment "${targetId}" is not ready`);
    const rows = this.aliases.in(key);
    if (await rows.exists(aliasId)) {
      const row = await rows.update(aliasId, expectedVersion, this.declaration.values(targetId), actor.userId);
      this.written();
      return { created: false, item: aliasView(row) };
    }
    const item = await this.createAlias(actor, key, aliasId, targetId);
    this.written();
    return { created: true, item };
  }

  /** An alias id may not be an environment's, and the first alias besides `master` brings `master` with it. */
  private createAlias(actor: Actor, key: SpaceKey, aliasId: string, targetId: string) {
    return this.aliases.transaction(async (trx) => {
      const rows = this.aliases.in(key, trx);
      if (aliasId !== MASTER) {
        if (await this.aliases.environment(key, aliasId, trx)) throw badRequest(`"${aliasId}" is already the id of an environment`);
        const ids = await this.aliases.lockedIds(key, trx);
        if (ids.filter((id) => id !== MASTER).length >= MAX_EXTRA_ALIASES) {
          throw badRequest(`A space can have the master alias and at most ${MAX_EXTRA_ALIASES} more aliases`);
        }
        if (!ids.includes(MASTER)) await rows.insert({ id: MASTER, target_environment_id: MASTER }, actor.userId);
      }
      return aliasView(await rows.insert({ id: aliasId, target_environment_id: targetId }, actor.userId));
    });
  }

  async delete(actor: Actor, key: SpaceKey, aliasId: string): Promise<void> {
    await this.declaration.canWrite(actor, key);
    if (aliasId === MASTER) throw badRequest('The master alias cannot be deleted');
    await this.aliases.in(key).delete(aliasId);
    this.written();
  }
}
