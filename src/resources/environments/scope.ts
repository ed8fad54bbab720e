import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { TtlCache } from '../../cache/ttl-cache.js';
import type { SpacePermissions } from '../../auth/permissions.js';
import type { SpaceAccess, SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB } from '../../db/schema.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { countedLookups, type Metrics, noMetrics } from '../../domain/metrics.js';
import { assertResourceId } from '../../domain/ids.js';
import { MASTER } from '../../domain/environments.js';
import { type EnvironmentMatch, environmentLookup, resolvedEnvironment } from './repository.js';

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

export class EnvironmentScopeResolver {
  /** Scopes resolved, by user, space and environment, for `ACCESS_CACHE_TTL_MS` (refusals are not kept). */
  private readonly resolved: TtlCache<EnvironmentScope>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    cacheTtlMs = 0,
    metrics: Metrics = noMetrics,
  ) {
    this.resolved = new TtlCache(cacheTtlMs, { onLookup: countedLookups(metrics, 'environment_access') });
  }

  /** Resolves `/spaces/{space}[/environments/{env-or-alias}]` (no environment segment means `master`). */
  resolve(actor: Actor, spaceId: string, requested: string = MASTER): Promise<EnvironmentScope> {
    assertResourceId(spaceId, 'space');
    assertResourceId(requested, 'environment');
    return this.resolved.get(`${actor.userId}/${spaceId}/${requested}`, () => this.lookUp(actor, spaceId, requested));
  }

  /** Forgets the scopes resolved, after a change to spaces, environments, aliases, memberships or roles. */
  forget(): void {
    this.resolved.clear();
  }

  private async lookUp(actor: Actor, spaceId: string, requested: string): Promise<EnvironmentScope> {
    // The environment is looked up in the same statement as the caller's access to the space.
    const access = await this.spaceAccess.require(
      actor,
      spaceId,
      sql`(select row_to_json(x) from ${environmentLookup(this.db, spaceId, requested)} as x)`,
    );
    const environment = resolvedEnvironment(access.alongside as EnvironmentMatch | null);
    const permissions = environment && access.permissions.inEnvironment(requested === MASTER || environment.aliasId === MASTER);
    if (!environment || !permissions) throw notFound('Environment', requested);
    if (environment.status !== 'ready') {
      throw new ApiError('BadRequest', `The environment "${requested}" is ${environment.status}, not ready`, {
        status: environment.status,
      });
    }
    return { spaceId, environmentId: environment.environmentId, requestedId: requested, aliasId: environment.aliasId, access, permissions };
  }
}
