import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { accessDenied, notFound } from '../domain/errors.js';
import type { Actor } from './actor.js';
import { AccessRepository } from './repository.js';

/**
 * Contentful's organization roles. Owners and admins manage the organization; developers and members reach
 * only the spaces and teams they are added to, and developers also manage the taxonomy (app definitions are
 * not served here).
 */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'developer', 'member'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/** Whether the role manages the organization: its memberships, teams, invitations and spaces. */
export const managesOrganization = (role: OrganizationRole): boolean => role === 'owner' || role === 'admin';

/** "Only organization owners, organization administrators and developers can access the Taxonomy Manager" (Contentful's help). */
const managesTaxonomy = (role: OrganizationRole): boolean => managesOrganization(role) || role === 'developer';

/**
 * The one place that decides what a user may do in an organization. Organizations the caller is not in
 * are 404 (as if they did not exist); members who are neither owner nor admin may read what members may
 * read and get 403 for management.
 */
export class OrganizationAccessPolicy {
  private readonly access: AccessRepository;

  constructor(db: Kysely<DB>) {
    this.access = new AccessRepository(db);
  }

  async requireMember(actor: Actor, organizationId: string): Promise<OrganizationRole> {
    const role = await this.access.organizationRole({ organizationId }, actor.userId);
    if (!role) throw notFound('Organization', organizationId);
    return role;
  }

  /** Owners and admins manage an organization's memberships, teams and invitations. */
  async requireManager(actor: Actor, organizationId: string): Promise<OrganizationRole> {
    const role = await this.requireMember(actor, organizationId);
    if (!managesOrganization(role)) throw accessDenied('Only owners and admins of the organization can do this');
    return role;
  }

  /** Owners, admins and developers manage the organization's concepts and concept schemes. */
  async requireTaxonomyManager(actor: Actor, organizationId: string): Promise<OrganizationRole> {
    const role = await this.requireMember(actor, organizationId);
    if (!managesTaxonomy(role)) throw accessDenied('Only owners, admins and developers of the organization can manage its taxonomy');
    return role;
  }
}
