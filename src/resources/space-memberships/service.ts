import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { InsertValues } from '../../db/repository.js';
import type { DB, SpaceMembershipRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleService } from '../roles/service.js';
import { OrganizationSpacesRepository } from '../spaces/repository.js';
import { UserRepository } from '../users/repository.js';
import { type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { spaceMembershipTable } from './repository.js';

const roleLink = z.object({ sys: z.looseObject({ id: z.string().min(1) }) });
export const membershipBody = z.looseObject({
  admin: z.boolean().optional(),
  roles: z.array(roleLink).optional(),
  email: z.string().email().optional(),
  user: z.object({ sys: z.looseObject({ id: z.string().min(1) }) }).optional(),
});
export type MembershipInput = z.infer<typeof membershipBody>;

export function membershipView(row: SpaceMembershipRow) {
  return {
    admin: row.admin,
    roles: row.role_ids.map((id) => link('Role', id)),
    user: link('User', row.user_id),
    sys: { type: 'SpaceMembership', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

type MembershipView = ReturnType<typeof membershipView>;

/** A membership's columns, user and roles resolved: what a create writes. */
type Grant = Omit<InsertValues<'space_memberships'>, 'id'>;

function membershipDeclaration(spaceAccess: SpaceAccessPolicy): ResourceDeclaration<'space_memberships', string, Grant, MembershipView> {
  return {
    ...spaceMembershipTable,
    view: membershipView,
    values: (grant) => grant,
    canRead: (actor, spaceId) => spaceAccess.require(actor, spaceId).then(() => undefined),
    canWrite: (actor, spaceId) => spaceAccess.requireAdmin(actor, spaceId).then(() => undefined),
    changes: 'settings',
  };
}

/** Space memberships: a member is an admin or has at least one role of the space. */
export class SpaceMembershipService extends VersionedResourceReader<'space_memberships', string, Grant, MembershipView> {
  private readonly users: UserRepository;

  private readonly ofOrganization: OrganizationSpacesRepository<'space_memberships'>;

  constructor(
    db: Kysely<DB>,
    spaceAccess: SpaceAccessPolicy,
    private readonly organizationAccess: OrganizationAccessPolicy,
    private readonly roles: RoleService,
    notices: WriteNotices,
  ) {
    super(db, membershipDeclaration(spaceAccess), notices);
    this.users = new UserRepository(db);
    this.ofOrganization = new OrganizationSpacesRepository(db, spaceMembershipTable);
  }

  /** The space memberships of every space of the organization, for its owners and admins. */
  async listForOrganization(actor: Actor, organizationId: string, paging: Paging) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const { rows, total } = await this.ofOrganization.in({ organizationId }).list(paging);
    return collection(rows.map(membershipView), total, paging);
  }

  async getForOrganization(actor: Actor, organizationId: string, id: string) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const row = await this.ofOrganization.in({ organizationId }).find(id);
    if (!row) throw notFound('SpaceMembership', id);
    return membershipView(row);
  }

  async create(actor: Actor, spaceId: string, input: MembershipInput) {
    await this.declaration.canWrite(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    if (!input.user && !input.email)
      throw validationFailed([{ name: 'required', path: ['email'], details: 'Name the user by email or by a user link' }]);
    const user = await this.users.findInOrganizationOfSpace(spaceId, input.user ? { id: input.user.sys.id } : { email: input.email! });
    if (!user)
      throw validationFailed([
        {
          name: 'notResolvable',
          path: [input.user ? 'user' : 'email'],
          details: "No such user in the space's organization; invite them to the organization first",
        },
      ]);
    const grant = this.declaration.values({ user_id: user.id, admin: input.admin ?? false, role_ids: roleIds });
    const row = await this.repository.in(spaceId).insert({ ...grant, id: generateId() }, actor.userId);
    this.written();
    return membershipView(row);
  }

  /** A membership changes its admin flag and roles; the user stays. */
  async update(actor: Actor, spaceId: string, id: string, input: MembershipInput, expectedVersion: number | undefined) {
    await this.declaration.canWrite(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await this.repository
      .in(spaceId)
      .update(id, expectedVersion, { admin: input.admin ?? false, role_ids: roleIds }, actor.userId);
    this.written();
    return membershipView(row);
  }

  /** Removing a membership takes the user's access away at once. */
  delete(actor: Actor, spaceId: string, id: string): Promise<void> {
    return this.remove(actor, spaceId, id);
  }
}
