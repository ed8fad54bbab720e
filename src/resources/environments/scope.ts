import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpacePermissions } from '../../auth/permissions.js';
import type { SpaceAccess, SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB } from '../../db/schema.js';
import { ApiError, notFound } from '../../http/errors.js';
import { assertResourceId } from '../../http/ids.js';
import { MASTER } from './repository.js';

/**
 * Where an environment-aware request acts: the space (with the caller's access to it) and the real
 * environment id. Services of environment-scoped resources take this as their context and scope every
 * query by (spaceId, environmentId), so ids from elsewhere simply find nothing.
 */
export interface EnvironmentScope {
  spaceId: string;
  environmentId: string;
  /** The id used in the URL: the environment itself, or an alias of it. */
  requestedId: string;
  /** Set when `requestedId` is an alias. */
  aliasId?: string;
  access: SpaceAccess;
  /** The caller's permissions inside this environment (see SpacePermissions.inEnvironment). */
  permissions: SpacePermissions;
}

/** An alias id shadows an environment of the same id: that is how the `master` alias redirects `master`. */
export async function resolveEnvironmentId(
  db: Kysely<DB>,
  spaceId: string,
  requested: string,
): Promise<{ environmentId: string; aliasId?: string; status: string } | undefined> {
  const row = await db
    .selectFrom('environments as e')
    .leftJoin('environment_aliases as a', (join) => join.onRef('a.space_id', '=', 'e.space_id').on('a.id', '=', requested))
    .select(['e.id', 'e.status', 'a.id as alias_id'])
    .where('e.space_id', '=', spaceId)
    .where((eb) => eb.or([eb.and([eb('a.id', 'is', null), eb('e.id', '=', requested)]), eb('e.id', '=', eb.ref('a.target_environment_id'))]))
    .executeTakeFirst();
  if (!row) return undefined;
  return { environmentId: row.id, aliasId: row.alias_id ?? undefined, status: row.status };
}

export class EnvironmentScopeResolver {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {}

  /** Resolves `/spaces/{space}[/environments/{env-or-alias}]` (no environment segment means `master`). */
  async resolve(actor: Actor, spaceId: string, requested: string = MASTER): Promise<EnvironmentScope> {
    assertResourceId(spaceId, 'space');
    assertResourceId(requested, 'environment');
    const access = await this.spaceAccess.require(actor, spaceId);
    const environment = await resolveEnvironmentId(this.db, spaceId, requested);
    const permissions = environment && access.permissions.inEnvironment(requested === MASTER || environment.aliasId === MASTER);
    if (!environment || !permissions) throw notFound('Environment', requested);
    if (environment.status !== 'ready') {
      throw new ApiError('BadRequest', `The environment "${requested}" is ${environment.status}, not ready`, { status: environment.status });
    }
    return { spaceId, environmentId: environment.environmentId, requestedId: requested, aliasId: environment.aliasId, access, permissions };
  }
}
