import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { InsertValues } from '../../db/repository.js';
import type { DB, TeamSpaceMembershipRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleService } from '../roles/service.js';
import { TeamRepository, type TeamScopedRepository } from '../teams/repository.js';
import { type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { organizationTeamMemberships, teamSpaceMembershipTable } from './repository.js';

const roleLink = z.object({ sys: z.looseObject({ id: z.string().min(1) }) });
export const teamSpaceMembershipBody = z.looseObject({
  admin: z.boolean().optional(),
  roles: z.array(roleLink).optional(),
});
export type TeamSpaceMembershipInput = z.infer<typeof teamSpaceMembershipBody>;

export function teamSpaceMembershipView(row: TeamSpaceMembershipRow) {
  return {
    admin: row.admin,
    roles: row.role_ids.map((id) => link('Role', id)),
    sys: {
      type: 'TeamSpaceMembership',
      id: row.id,
      ...versionedSys(row),
      team: link('Team', row.team_id),
      space: link('Space', row.space_id),
    },
  };
}

type TeamSpaceMembershipView = ReturnType<typeof teamSpaceMembershipView>;

/** A membership's columns, team and roles resolved: what a create writes. */
type Grant = Omit<InsertValues<'team_space_memberships'>, 'id'>;

function teamSpaceMembershipDeclaration(
  spaceAccess: SpaceAccessPolicy,
): ResourceDeclaration<'team_space_memberships', string, Grant, TeamSpaceMembershipView> {
  return {
    ...teamSpaceMembershipTable,
    view: teamSpaceMembershipView,
    values: (grant) => grant,
    canRead: (actor, spaceId) => spaceAccess.require(actor, spaceId).then(() => undefined),
    canWrite: (actor, spaceId) => spaceAccess.requireAdmin(actor, spaceId).then(() => undefined),
    changes: 'settings',
  };
}

/**
 * Team space memberships (seed 004): like space memberships, but for every member of a team. Space admins
 * manage them; the team must belong to the space's organization.
 */
export class TeamSpaceMembershipService extends VersionedResourceReader<'team_space_memberships', string, Grant, TeamSpaceMembershipView> {
  private readonly ofOrganization: TeamScopedRepository<'team_space_memberships'>;
  private readonly teams: TeamRepository;

  constructor(
    db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly organizationAccess: OrganizationAccessPolicy,
    private readonly roles: RoleService,
    notices: WriteNotices,
  ) {
    super(db, teamSpaceMembershipDeclaration(spaceAccess), notices);
    this.ofOrganization = organizationTeamMemberships(db);
    this.teams = new TeamRepository(db);
  }

  /** The team names itself in the `X-Contentful-Team` header, as the SDK sends it. */
  async create(actor: Actor, spaceId: string, teamId: string | undefined, input: TeamSpaceMembershipInput) {
    const { space } = await this.spaceAccess.requireAdmin(actor, spaceId);
    if (!teamId) throw badRequest('The X-Contentful-Team header is required to create a team space membership');
    if (!(await this.teams.in({ organizationId: space.organization_id }).exists(teamId)))
      throw validationFailed([
        { name: 'notResolvable', path: ['sys', 'team'], value: teamId, details: "No such team in the space's organization" },
      ]);
    const roleIds = await this.roles.assignable(spaceId, input);
    const grant = this.declaration.values({ team_id: teamId, admin: input.admin ?? false, role_ids: roleIds });
    const row = await this.repository.in(spaceId).insert({ ...grant, id: generateId() }, actor.userId);
    this.written();
    return teamSpaceMembershipView(row);
  }

  /** A membership changes its admin flag and roles; the team stays. */
  async update(actor: Actor, spaceId: string, id: string, input: TeamSpaceMembershipInput, expectedVersion: number | undefined) {
    await this.declaration.canWrite(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await this.repository
      .in(spaceId)
      .update(id, expectedVersion, { admin: input.admin ?? false, role_ids: roleIds }, actor.userId);
    this.written();
    return teamSpaceMembershipView(row);
  }

  delete(actor: Actor, spaceId: string, id: string): Promise<void> {
    return this.remove(actor, spaceId, id);
  }

  /** Every team space membership of the organization's teams, optionally of one team (`sys.team.sys.id`). */
  async listForOrganization(actor: Actor, organizationId: string, teamId: string | undefined, paging: Paging) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const { rows, total } = await this.ofOrganization.in({ organizationId, teamId }).list(paging);
    return collection(rows.map(teamSpaceMembershipView), total, paging);
  }

  async getForOrganization(actor: Actor, organizationId: string, id: string) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const row = await this.ofOrganization.in({ organizationId }).find(id);
    if (!row) throw notFound('TeamSpaceMembership', id);
    return teamSpaceMembershipView(row);
  }
}
