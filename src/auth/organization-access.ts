import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { accessDenied, notFound } from '../domain/errors.js';
import type { Actor } from './actor.js';

export type OrganizationRole = 'owner' | 'admin' | 'member';

/**
 * The one place that decides what a user may do in an organization. Organizations the caller is not in
 * are 404 (as if they did not exist); members who are neither owner nor admin may read what members may
 * read and get 403 for management.
 */
export class OrganizationAccessPolicy {
  constructor(private readonly db: Kysely<DB>) {}

  async requireMember(actor: Actor, organizationId: string): Promise<OrganizationRole> {
    const row = await this.db
      .selectFrom('organization_memberships')
      .select('role')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (!row) throw notFound('Organization', organizationId);
    return row.role;
  }

  /** Owners and admins manage an organization's memberships, teams and invitations. */
  async requireManager(actor: Actor, organizationId: string): Promise<OrganizationRole> {
    const role = await this.requireMember(actor, organizationId);
    if (role === 'member') throw accessDenied('Only owners and admins of the organization can do this');
    return role;
  }
}
