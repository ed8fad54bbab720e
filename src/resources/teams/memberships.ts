import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, TeamMembershipRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import { OrganizationMembershipRepository } from '../organizations/repository.js';
import { teamMembershipRepository, type TeamScopedRepository } from './repository.js';
import type { TeamService } from './service.js';

export const teamMembershipBody = z.looseObject({
  admin: z.boolean().optional(),
  organizationMembershipId: z.string().min(1).optional(),
});
export type TeamMembershipInput = z.infer<typeof teamMembershipBody>;

type MembershipWithOrganization = TeamMembershipRow & { organization_id: string };

export function teamMembershipView(row: MembershipWithOrganization) {
  return {
    admin: row.admin,
    organizationMembershipId: row.organization_membership_id,
    sys: {
      type: 'TeamMembership',
      id: row.id,
      ...versionedSys(row),
      team: link('Team', row.team_id),
      organization: link('Organization', row.organization_id),
      organizationMembership: link('OrganizationMembership', row.organization_membership_id),
      user: link('User', row.user_id),
    },
  };
}

/** Members of teams: organization members added to a team by the organization's owners and admins. */
export class TeamMembershipService {
  private readonly memberships: TeamScopedRepository<'team_memberships'>;
  private readonly organizationMemberships: OrganizationMembershipRepository;

  constructor(
    db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly teams: TeamService,
    private readonly notices: WriteNotices,
  ) {
    this.memberships = teamMembershipRepository(db);
    this.organizationMemberships = new OrganizationMembershipRepository(db);
  }

  /** The memberships of one team, or (without `teamId`) of every team of the organization. */
  async list(actor: Actor, organizationId: string, teamId: string | undefined, paging: Paging) {
    await this.access.requireMember(actor, organizationId);
    if (teamId !== undefined) await this.teams.require(organizationId, teamId);
    const { rows, total } = await this.memberships.in({ organizationId, teamId }).list(paging);
    return collection(
      rows.map((row) => teamMembershipView({ ...row, organization_id: organizationId })),
      total,
      paging,
    );
  }

  async get(actor: Actor, organizationId: string, teamId: string, id: string) {
    await this.access.requireMember(actor, organizationId);
    const row = await this.memberships.in({ organizationId, teamId }).find(id);
    if (!row) throw notFound('TeamMembership', id);
    return teamMembershipView({ ...row, organization_id: organizationId });
  }

  async create(actor: Actor, organizationId: string, teamId: string, input: TeamMembershipInput) {
    await this.access.requireManager(actor, organizationId);
    await this.teams.require(organizationId, teamId);
    if (!input.organizationMembershipId)
      throw validationFailed([
        { name: 'required', path: ['organizationMembershipId'], details: 'Name the organization membership to add' },
      ]);
    const membership = await this.organizationMemberships.in({ organizationId }).find(input.organizationMembershipId);
    if (!membership) {
      throw validationFailed([
        {
          name: 'notResolvable',
          path: ['organizationMembershipId'],
          value: input.organizationMembershipId,
          details: 'No such membership in this organization',
        },
      ]);
    }
    const row = await this.memberships.in({ organizationId, teamId }).insert(
      {
        id: generateId(),
        team_id: teamId,
        organization_membership_id: membership.id,
        user_id: membership.user_id,
        admin: input.admin ?? false,
      },
      actor.userId,
    );
    this.notices.written('settings');
    return teamMembershipView({ ...row, organization_id: organizationId });
  }

  async update(
    actor: Actor,
    organizationId: string,
    teamId: string,
    id: string,
    input: TeamMembershipInput,
    expectedVersion: number | undefined,
  ) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.memberships
      .in({ organizationId, teamId })
      .update(id, expectedVersion, { admin: input.admin ?? false }, actor.userId);
    this.notices.written('settings');
    return teamMembershipView({ ...row, organization_id: organizationId });
  }

  /** Leaving a team takes away the space access the team gave, at once. */
  async delete(actor: Actor, organizationId: string, teamId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    await this.memberships.in({ organizationId, teamId }).delete(id);
    this.notices.written('settings');
  }
}
