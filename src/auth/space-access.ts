import { sql, type Kysely } from 'kysely';
import type { DB, SpaceRow } from '../db/schema.js';
import { accessDenied, notFound } from '../http/errors.js';
import type { Actor } from './actor.js';

export interface SpaceAccess {
  space: SpaceRow;
  /** Space admins, and owners and admins of the space's organization, may do everything in the space. */
  admin: boolean;
}

/**
 * The one place that decides whether a user can see a space. A space the caller has no access to is
 * answered exactly like a missing one (404), so ids of other tenants reveal nothing.
 */
export class SpaceAccessPolicy {
  constructor(private readonly db: Kysely<DB>) {}

  async require(actor: Actor, spaceId: string): Promise<SpaceAccess> {
    const row = await this.db
      .selectFrom('spaces as s')
      .leftJoin('space_memberships as sm', (join) => join.onRef('sm.space_id', '=', 's.id').on('sm.user_id', '=', actor.userId))
      .leftJoin('organization_memberships as om', (join) =>
        join.onRef('om.organization_id', '=', 's.organization_id').on('om.user_id', '=', actor.userId),
      )
      .selectAll('s')
      .select([
        sql<boolean>`coalesce(sm.admin, false) or coalesce(om.role in ('owner', 'admin'), false)`.as('is_admin'),
        sql<boolean>`sm.id is not null`.as('is_member'),
      ])
      .where('s.id', '=', spaceId)
      .executeTakeFirst();
    if (!row || (!row.is_member && !row.is_admin)) throw notFound('Space', spaceId);
    const { is_admin, is_member: _member, ...space } = row;
    return { space, admin: is_admin };
  }

  async requireAdmin(actor: Actor, spaceId: string): Promise<SpaceAccess> {
    const access = await this.require(actor, spaceId);
    if (!access.admin) throw accessDenied('Only space administrators can do this');
    return access;
  }
}
