import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccess, SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
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
  access: SpaceAccess;
}

export class EnvironmentScopeResolver {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {}

  /** Resolves `/spaces/{space}[/environments/{env}]` (no environment segment means `master`). */
  async resolve(actor: Actor, spaceId: string, requested: string = MASTER): Promise<EnvironmentScope> {
    assertResourceId(spaceId, 'space');
    assertResourceId(requested, 'environment');
    const access = await this.spaceAccess.require(actor, spaceId);
    const environment = await this.db
      .selectFrom('environments')
      .select('id')
      .where('space_id', '=', spaceId)
      .where('id', '=', requested)
      .executeTakeFirst();
    if (!environment) throw notFound('Environment', requested);
    return { spaceId, environmentId: environment.id, requestedId: requested, access };
  }
}
