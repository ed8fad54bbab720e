import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy, OrganizationRole } from '../../auth/organization-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { OrganizationKey, Row } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound } from '../../domain/errors.js';
import { link, versionedSys } from '../../http/sys.js';
import { userView } from '../users/service.js';
import { OrganizationMembershipRepository } from './repository.js';

type MembershipRow = Row<'organization_memberships'>;

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
  private readonly memberships: OrganizationMembershipRepository;

  constructor(
    db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly notices: WriteNotices,
  ) {
    this.memberships = new OrganizationMembershipRepository(db);
  }

  async list(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireManager(actor, organizationId);
    const { rows, total } = await this.memberships.in({ organizationId }).list(paging);
    return collection(rows.map(organizationMembershipView), total, paging);
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.memberships.in({ organizationId }).find(id);
    if (!row) throw notFound('OrganizationMembership', id);
    return organizationMembershipView(row);
  }

  async users(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireManager(actor, organizationId);
    const { rows, total } = await this.memberships.users({ organizationId }, paging);
    return collection(rows.map(userView), total, paging);
  }

  async user(actor: Actor, organizationId: string, userId: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.memberships.user({ organizationId }, userId);
    if (!row) throw notFound('User', userId);
    return userView(row);
  }

  async update(actor: Actor, organizationId: string, id: string, role: OrganizationRole, expectedVersion: number | undefined) {
    const callerRole = await this.access.requireManager(actor, organizationId);
    const key = { organizationId };
    const row = await this.memberships.transaction(async (trx) => {
      const current = await this.memberships.lock(key, id, trx);
      if (!current) throw notFound('OrganizationMembership', id);
      if ((current.role === 'owner' || role === 'owner') && callerRole !== 'owner')
        throw accessDenied('Only owners can grant or take away ownership');
      if (current.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(key, current.user_id, trx);
      return this.memberships.in(key, trx).update(id, expectedVersion, { role }, actor.userId);
    });
    this.notices.written('settings');
    return organizationMembershipView(row);
  }

  /** Leaving the organization also ends the user's memberships of its spaces. */
  async delete(actor: Actor, organizationId: string, id: string) {
    const callerRole = await this.access.requireManager(actor, organizationId);
    const key = { organizationId };
    await this.memberships.transaction(async (trx) => {
      const current = await this.memberships.lock(key, id, trx);
      if (!current) throw notFound('OrganizationMembership', id);
      if (current.role === 'owner') {
        if (callerRole !== 'owner') throw accessDenied('Only owners can remove an owner');
        await this.assertAnotherOwner(key, current.user_id, trx);
      }
      await this.memberships.leave(key, current, trx);
    });
    this.notices.written('settings');
  }

  private async assertAnotherOwner(key: OrganizationKey, userId: string, trx: Kysely<DB>) {
    if ((await this.memberships.ownersBesides(key, userId, trx)) === 0) throw badRequest('An organization needs at least one owner');
  }
}
