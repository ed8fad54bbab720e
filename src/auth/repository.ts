import { type Expression, type Kysely, sql } from 'kysely';
import { type OrganizationKey, organizationColumns, type Row, rowsOf, type SpaceKey } from '../db/repository.js';
import type { DB, SpaceRow } from '../db/schema.js';
import type { RoleGrant } from './permissions.js';

export interface SpaceAccessRow extends SpaceRow {
  is_admin: boolean;
  is_member: boolean;
  /** A JSON string where the driver does not parse json. */
  roles: RoleGrant[] | string;
  cf_alongside: unknown;
}

/** The queries the access policies decide on, each scoped by the organization or space asked about. */
export class AccessRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async organizationRole(key: OrganizationKey, userId: string): Promise<Row<'organization_memberships'>['role'] | undefined> {
    const row = await rowsOf(this.db, 'organization_memberships', 'OrganizationMembership', organizationColumns(key))
      .select()
      .select('role')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role;
  }

  /**
   * The space with the user's access to it in one statement: through their space membership, the space
   * memberships of their teams, or their organization role. `alongside` is a scalar subquery answered in
   * the same statement.
   */
  async spaceAccess(key: SpaceKey, userId: string, alongside?: Expression<unknown>): Promise<SpaceAccessRow | undefined> {
    const { spaceId } = key;
    const { rows } = await sql<SpaceAccessRow>`
      with team_access as (
        select tsm.admin, tsm.role_ids
        from team_space_memberships tsm
        join team_memberships tm on tm.team_id = tsm.team_id and tm.user_id = ${userId}
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
      left join space_memberships sm on sm.space_id = s.id and sm.user_id = ${userId}
      left join organization_memberships om on om.organization_id = s.organization_id and om.user_id = ${userId}
      where s.id = ${spaceId}`.execute(this.db);
    return rows[0];
  }
}
