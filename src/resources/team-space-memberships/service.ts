import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, TeamSpaceMembershipRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleService } from '../roles/service.js';
import { deleteGrant, updateGrant } from '../space-memberships/grants.js';

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

/**
 * Team space memberships (seed 004): like space memberships, but for every member of a team. Space admins
 * manage them; the team must belong to the space's organization.
 */
export class TeamSpaceMembershipService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly organizationAccess: OrganizationAccessPolicy,
    private readonly roles: RoleService,
  ) {}

  private rows(spaceId: string) {
    return this.db.selectFrom('team_space_memberships').where('space_id', '=', spaceId);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const [rows, count] = await Promise.all([
      this.rows(spaceId).selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(spaceId)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(teamSpaceMembershipView), Number(count.total), paging);
  }

  async get(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.rows(spaceId).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('TeamSpaceMembership', id);
    return teamSpaceMembershipView(row);
  }

  /** The team names itself in the `X-Contentful-Team` header, as the SDK sends it. */
  async create(actor: Actor, spaceId: string, teamId: string | undefined, input: TeamSpaceMembershipInput) {
    const { space } = await this.spaceAccess.requireAdmin(actor, spaceId);
    if (!teamId) throw badRequest('The X-Contentful-Team header is required to create a team space membership');
    const team = await this.db
      .selectFrom('teams')
      .select('id')
      .where('organization_id', '=', space.organization_id)
      .where('id', '=', teamId)
      .executeTakeFirst();
    if (!team)
      throw validationFailed([
        { name: 'notResolvable', path: ['sys', 'team'], value: teamId, details: "No such team in the space's organization" },
      ]);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await this.db
      .insertInto('team_space_memberships')
      .values({
        id: generateId(),
        team_id: teamId,
        space_id: spaceId,
        admin: input.admin ?? false,
        role_ids: roleIds,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(['space_id', 'team_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ApiError('Conflict', 'The team already has a membership in this space');
    return teamSpaceMembershipView(row);
  }

  async update(actor: Actor, spaceId: string, id: string, input: TeamSpaceMembershipInput, expectedVersion: number | undefined) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await updateGrant(
      this.db,
      'team_space_memberships',
      actor,
      spaceId,
      id,
      { admin: input.admin ?? false, roleIds },
      expectedVersion,
    );
    return teamSpaceMembershipView(row);
  }

  async delete(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    await deleteGrant(this.db, 'team_space_memberships', spaceId, id);
  }

  private organizationRows(organizationId: string) {
    return this.db
      .selectFrom('team_space_memberships as tsm')
      .innerJoin('teams as t', 't.id', 'tsm.team_id')
      .where('t.organization_id', '=', organizationId);
  }

  /** Every team space membership of the organization's teams, optionally of one team (`sys.team.sys.id`). */
  async listForOrganization(actor: Actor, organizationId: string, teamId: string | undefined, paging: Paging) {
    await this.organizationAccess.requireManager(actor, organizationId);
    let base = this.organizationRows(organizationId);
    if (teamId) base = base.where('tsm.team_id', '=', teamId);
    const [rows, count] = await Promise.all([
      base.selectAll('tsm').orderBy('tsm.created_at').orderBy('tsm.id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(teamSpaceMembershipView), Number(count.total), paging);
  }

  async getForOrganization(actor: Actor, organizationId: string, id: string) {
    await this.organizationAccess.requireManager(actor, organizationId);
    const row = await this.organizationRows(organizationId).selectAll('tsm').where('tsm.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('TeamSpaceMembership', id);
    return teamSpaceMembershipView(row);
  }
}
