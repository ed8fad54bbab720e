import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { DB, TeamMembershipRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
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
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly teams: TeamService,
  ) {}

  private rows(organizationId: string) {
    return this.db
      .selectFrom('team_memberships as tm')
      .innerJoin('teams as t', 't.id', 'tm.team_id')
      .where('t.organization_id', '=', organizationId)
      .selectAll('tm')
      .select('t.organization_id');
  }

  /** The memberships of one team, or (without `teamId`) of every team of the organization. */
  async list(actor: Actor, organizationId: string, teamId: string | undefined, paging: Paging) {
    await this.access.requireMember(actor, organizationId);
    let base = this.rows(organizationId);
    if (teamId !== undefined) {
      await this.teams.require(organizationId, teamId);
      base = base.where('tm.team_id', '=', teamId);
    }
    const [rows, count] = await Promise.all([
      base.orderBy('tm.created_at').orderBy('tm.id').offset(paging.skip).limit(paging.limit).execute(),
      base
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(teamMembershipView), Number(count.total), paging);
  }

  async get(actor: Actor, organizationId: string, teamId: string, id: string) {
    await this.access.requireMember(actor, organizationId);
    return teamMembershipView(await this.require(organizationId, teamId, id));
  }

  private async require(organizationId: string, teamId: string, id: string) {
    const row = await this.rows(organizationId).where('tm.team_id', '=', teamId).where('tm.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('TeamMembership', id);
    return row;
  }

  async create(actor: Actor, organizationId: string, teamId: string, input: TeamMembershipInput) {
    await this.access.requireManager(actor, organizationId);
    await this.teams.require(organizationId, teamId);
    if (!input.organizationMembershipId)
      throw validationFailed([
        { name: 'required', path: ['organizationMembershipId'], details: 'Name the organization membership to add' },
      ]);
    const membership = await this.db
      .selectFrom('organization_memberships')
      .select(['id', 'user_id'])
      .where('organization_id', '=', organizationId)
      .where('id', '=', input.organizationMembershipId)
      .executeTakeFirst();
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
    const row = await this.db
      .insertInto('team_memberships')
      .values({
        id: generateId(),
        team_id: teamId,
        organization_membership_id: membership.id,
        user_id: membership.user_id,
        admin: input.admin ?? false,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(['team_id', 'organization_membership_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ApiError('Conflict', 'The user is already a member of this team');
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
    await this.require(organizationId, teamId, id);
    const row = await versionLockedUpdate({
      type: 'TeamMembership',
      id,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('team_memberships')
          .set((eb) => ({ admin: input.admin ?? false, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
          .where('team_id', '=', teamId)
          .where('id', '=', id)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst(),
      exists: async () => true,
    });
    return teamMembershipView({ ...row, organization_id: organizationId });
  }

  /** Leaving a team takes away the space access the team gave, at once. */
  async delete(actor: Actor, organizationId: string, teamId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    await this.require(organizationId, teamId, id);
    await this.db.deleteFrom('team_memberships').where('team_id', '=', teamId).where('id', '=', id).execute();
  }
}
