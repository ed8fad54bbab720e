import type { Kysely } from 'kysely';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { SpaceKey } from '../../db/repository.js';
import type { DB, RoleRow } from '../../db/schema.js';
import type { Actor } from '../../auth/actor.js';
import { collection, type Paging } from '../../domain/collections.js';
import { validationFailed } from '../../domain/errors.js';
import type { RoleInput } from '../../domain/roles.js';
import { link, versionedSys } from '../../http/sys.js';
import { OrganizationSpacesRepository } from '../spaces/repository.js';
import { type ResourceDeclaration, VersionedResourceService } from '../versioned-resource.js';
import { RoleRepository, roleTable, roleValues } from './repository.js';

export function roleView(row: RoleRow) {
  return {
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    policies: row.policies,
    sys: { type: 'Role', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

type RoleView = ReturnType<typeof roleView>;

function roleDeclaration(spaceAccess: SpaceAccessPolicy): ResourceDeclaration<'roles', SpaceKey, RoleInput, RoleView> {
  return {
    ...roleTable,
    view: roleView,
    values: roleValues,
    canRead: (actor, key) => spaceAccess.require(actor, key.spaceId).then(() => undefined),
    canWrite: (actor, key) => spaceAccess.requireAdmin(actor, key.spaceId).then(() => undefined),
    changes: 'settings',
  };
}

/** Space roles: names unique per space; a role that is some member's only role cannot be deleted. */
export class RoleService extends VersionedResourceService<'roles', SpaceKey, RoleInput, RoleView> {
  private readonly roles: RoleRepository;
  private readonly ofOrganization: OrganizationSpacesRepository<'roles'>;

  constructor(
    db: Kysely<DB>,
    spaceAccess: SpaceAccessPolicy,
    private readonly organizationAccess: OrganizationAccessPolicy,
    notices: WriteNotices,
  ) {
    const declaration = roleDeclaration(spaceAccess);
    const roles = new RoleRepository(db, declaration);
    super(db, declaration, notices, roles);
    this.roles = roles;
    this.ofOrganization = new OrganizationSpacesRepository(db, roleTable);
  }

  /** The roles of every space of the organization, for its owners and admins. */
  async listForOrganization(actor: Actor, organizationId: string, paging: Paging) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const { rows, total } = await this.ofOrganization.in({ organizationId }).list(paging);
    return collection(rows.map(roleView), total, paging);
  }

  override async delete(actor: Actor, key: SpaceKey, id: string): Promise<void> {
    await this.declaration.canWrite(actor, key);
    await this.roles.deleteFromMemberships(key, id);
    this.written();
  }

  /** The role ids a (team) space membership names, checked: an admin, or at least one role of the space. */
  async assignable(spaceId: string, input: { admin?: boolean; roles?: { sys: { id: string } }[] }): Promise<string[]> {
    const roleIds = [...new Set((input.roles ?? []).map((r) => r.sys.id))];
    if (!input.admin && roleIds.length === 0)
      throw validationFailed([{ name: 'required', path: ['roles'], details: 'A member who is not an admin needs at least one role' }]);
    if (roleIds.length === 0) return roleIds;
    const found = await this.roles.existingIds({ spaceId }, roleIds);
    const missing = roleIds.filter((id) => !found.has(id));
    if (missing.length)
      throw validationFailed(
        missing.map((id) => ({ name: 'notResolvable', path: ['roles'], value: id, details: `No role "${id}" in this space` })),
      );
    return roleIds;
  }
}
