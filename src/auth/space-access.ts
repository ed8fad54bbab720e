import type { Expression, Kysely } from 'kysely';
import type { DB, SpaceRow } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Actor } from './actor.js';
import type { PermissionArea } from '../domain/roles.js';
import { SpacePermissions, type PermissionLevel, type RoleGrant } from './permissions.js';
import { AccessRepository } from './repository.js';

export interface SpaceAccess {
  space: SpaceRow;
  /** Space admins (directly or through a team), and owners and admins of the space's organization. */
  admin: boolean;
  permissions: SpacePermissions;
  /** The value of the `alongside` subquery `require` was given. */
  alongside?: unknown;
}

/**
 * The one place that decides whether and how a user can act in a space: through their space membership,
 * the space memberships of their teams, or their organization role. One query answers it. A space the
 * caller has no access to is answered exactly like a missing one (404), so ids of other tenants reveal
 * nothing.
 */
export class SpaceAccessPolicy {
  private readonly access: AccessRepository;

  constructor(db: Kysely<DB>) {
    this.access = new AccessRepository(db);
  }

  /** `alongside`: a scalar subquery answered in the same statement (saves a round trip per request). */
  async require(actor: Actor, spaceId: string, alongside?: Expression<unknown>): Promise<SpaceAccess> {
    const row = await this.access.spaceAccess({ spaceId }, actor.userId, alongside);
    if (!row || (!row.is_member && !row.is_admin)) throw notFound('Space', spaceId);
    const { is_admin, is_member: _member, roles, cf_alongside, ...space } = row;
    const grants = typeof roles === 'string' ? (JSON.parse(roles) as RoleGrant[]) : roles;
    const permissions = is_admin ? SpacePermissions.administrator : SpacePermissions.fromRoles(grants, actor.userId);
    return { space, admin: is_admin, permissions, alongside: cf_alongside };
  }

  /** The space, if the caller's roles grant `level` on `area` there (403 otherwise). */
  async requirePermission(actor: Actor, spaceId: string, area: PermissionArea, level: PermissionLevel): Promise<SpaceAccess> {
    const access = await this.require(actor, spaceId);
    access.permissions.require(area, level);
    return access;
  }

  async requireAdmin(actor: Actor, spaceId: string): Promise<SpaceAccess> {
    const access = await this.require(actor, spaceId);
    access.permissions.requireAdmin();
    return access;
  }
}
