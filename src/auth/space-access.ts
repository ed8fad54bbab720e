import { sql, type Expression, type Kysely } from 'kysely';
import type { DB, SpaceRow } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Actor } from './actor.js';
import type { PermissionArea } from '../domain/roles.js';
import { SpacePermissions, type PermissionLevel, type RoleGrant } from './permissions.js';

export interface SpaceAccess {
  space: SpaceRow;
  /** Space admins (directly or through a team), and owners and admins of the space's organization. */
  admin: boolean;
  permissions: SpacePermissions;
  /** The value of the `alongside` subquery `require` was given. */
  alongside?: unknown;
}

interface AccessRow extends SpaceRow {
  is_admin: boolean;
  is_member: boolean;
  roles: RoleGrant[] | string;
  cf_alongside: unknown;
}

/**
 * The one place that decides whether and how a user can act in a space: through their space membership,
 * the space memberships of their teams, or their organization role. One query answers it. A space the
 * caller has no access to is answered exactly like a missing one (404), so ids of other tenants reveal
 * nothing.
 */
export class SpaceAccessPolicy {
  constructor(private readonly db: Kysely<DB>) {}

  /** `alongside`: a scalar subquery answered in the same statement (saves a round trip per request). */
  async require(actor: Actor, spaceId: string, alongside?: Expression<unknown>): Promise<SpaceAccess> {
    const { rows } = await sql<AccessRow>`
      with team_access as (
        select tsm.admin, tsm.role_ids
        from team_space_memberships tsm
        join team_memberships tm on tm.team_id = tsm.team_id and tm.user_id = ${actor.userId}
        where tsm.space_id = ${spaceId}
      )
      select s.*,
        coalesce(om.role in ('owner', 'admin'), false) or coalesce(sm.admin, false)
          or exists (select 1 from team_access where admin) as is_admin,
        sm.id is not null or exists (select 1 from team_access) as is_member,
        (select coalesce(json_agg(json_build_object('permissions', r.permissions, 'policies', r.policies)), '[]'::json)
           from roles r
          where r.space_id = s.id
            and (r.id = any(coalesce(sm.role_ids, '{}')) or r.id in (select unnest(role_ids) from team_access))) as roles,
        ${alongside ?? sql`null`} as cf_alongside
      from spaces s
      left join space_memberships sm on sm.space_id = s.id and sm.user_id = ${actor.userId}
      left join organization_memberships om on om.organization_id = s.organization_id and om.user_id = ${actor.userId}
      where s.id = ${spaceId}`.execute(this.db);
    const row = rows[0];
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
