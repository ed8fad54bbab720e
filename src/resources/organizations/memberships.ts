import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy, OrganizationRole } from '../../auth/organization-access.js';
import type { DB } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound } from '../../domain/errors.js';
import { link, versionedSys } from '../../http/sys.js';
import { userView } from '../users/service.js';

type MembershipRow = {
  id: string;
  organization_id: string;
  user_id: string;
  role: OrganizationRole;
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
};

export function organizationMembershipView(row: MembershipRow) {
  return {
    role: row.role,
    sys: {
      type: 'OrganizationMembership',
      id: row.id,
      ...versionedSys(row),
      user: link('User', row.user_id),
      organization: link('Organization', row.organization_id),
    },
  };
}

/**
 * Organization memberships and users (seed 004). Owners and admins read and manage them; only owners
 * grant or take away ownership, and an organization always keeps an owner. Organizations the caller is
 * not in are 404; members who are neither owner nor admin get 403.
 */
export class OrganizationMembershipService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
  ) {}

  private rows(organizationId: string) {
    return this.db.selectFrom('organization_memberships').where('organization_id', '=', organizationId);
  }

  async list(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireManager(actor, organizationId);
    const [rows, count] = await Promise.all([
      this.rows(organizationId).selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(organizationId)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(organizationMembershipView), Number(count.total), paging);
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.rows(organizationId).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('OrganizationMembership', id);
    return organizationMembershipView(row);
  }

  async users(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireManager(actor, organizationId);
    const base = this.db
      .selectFrom('users as u')
      .innerJoin('organization_memberships as om', 'om.user_id', 'u.id')
      .where('om.organization_id', '=', organizationId);
    const [rows, count] = await Promise.all([
      base.selectAll('u').orderBy('u.created_at').orderBy('u.id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(userView), Number(count.total), paging);
  }

  async update(actor: Actor, organizationId: string, id: string, role: OrganizationRole, expectedVersion: number | undefined) {
    const callerRole = await this.access.requireManager(actor, organizationId);
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('organization_memberships')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound('OrganizationMembership', id);
      if ((current.role === 'owner' || role === 'owner') && callerRole !== 'owner')
        throw accessDenied('Only owners can grant or take away ownership');
      if (current.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(trx, organizationId, current.user_id);
      const row = await versionLockedUpdate({
        type: 'OrganizationMembership',
        id,
        expectedVersion,
        update: (version) =>
          trx
            .updateTable('organization_memberships')
            .set((eb) => ({ role, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
            .where('organization_id', '=', organizationId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => true,
      });
      return organizationMembershipView(row);
    });
  }

  /** Leaving the organization also ends the user's memberships of its spaces. */
  async delete(actor: Actor, organizationId: string, id: string) {
    const callerRole = await this.access.requireManager(actor, organizationId);
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('organization_memberships')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound('OrganizationMembership', id);
      if (current.role === 'owner') {
        if (callerRole !== 'owner') throw accessDenied('Only owners can remove an owner');
        await this.assertAnotherOwner(trx, organizationId, current.user_id);
      }
      await trx.deleteFrom('organization_memberships').where('id', '=', id).execute();
      await trx
        .deleteFrom('space_memberships')
        .where('user_id', '=', current.user_id)
        .where('space_id', 'in', trx.selectFrom('spaces').select('id').where('organization_id', '=', organizationId))
        .execute();
    });
  }

  private async assertAnotherOwner(trx: Kysely<DB>, organizationId: string, userId: string) {
    const others = await trx
      .selectFrom('organization_memberships')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'owner')
      .where('user_id', '<>', userId)
      .executeTakeFirstOrThrow();
    if (others.n === 0) throw badRequest('An organization needs at least one owner');
  }
}
