import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import { TeamRepository, type TeamWithCount } from './repository.js';

export const teamBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).nullable().optional(),
});
export type TeamInput = z.infer<typeof teamBody>;

export function teamView(row: TeamWithCount) {
  return {
    name: row.name,
    description: row.description,
    sys: {
      type: 'Team',
      id: row.id,
      ...versionedSys(row),
      memberCount: Number(row.member_count),
      organization: link('Organization', row.organization_id),
    },
  };
}

/**
 * Teams of an organization (seed 004): every member may read them; owners and admins manage them. The
 * members of a space may read the teams that have access to it.
 */
export class TeamService {
  private readonly teams: TeamRepository;

  constructor(
    db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly notices: WriteNotices,
  ) {
    this.teams = new TeamRepository(db);
  }

  /** The teams with a team space membership in the space. */
  async listForSpace(actor: Actor, spaceId: string, paging: Paging) {
    const { space } = await this.spaceAccess.require(actor, spaceId);
    const { rows, total } = await this.teams.inSpace({ organizationId: space.organization_id, spaceId }, paging);
    return collection((await this.teams.withMemberCounts(rows)).map(teamView), total, paging);
  }

  async list(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireMember(actor, organizationId);
    const { rows, total } = await this.teams.in({ organizationId }).list(paging);
    return collection((await this.teams.withMemberCounts(rows)).map(teamView), total, paging);
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireMember(actor, organizationId);
    const row = await this.teams.in({ organizationId }).find(id);
    if (!row) throw notFound('Team', id);
    const [team] = await this.teams.withMemberCounts([row]);
    return teamView(team);
  }

  /** Throws the 404 of a team that is not one of the organization's. */
  async require(organizationId: string, id: string): Promise<void> {
    if (!(await this.teams.in({ organizationId }).exists(id))) throw notFound('Team', id);
  }

  async create(actor: Actor, organizationId: string, input: TeamInput) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.teams
      .in({ organizationId })
      .insert({ id: generateId(), name: input.name, description: input.description ?? '' }, actor.userId);
    this.notices.written('settings');
    return teamView({ ...row, member_count: 0 });
  }

  async update(actor: Actor, organizationId: string, id: string, input: TeamInput, expectedVersion: number | undefined) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.teams
      .in({ organizationId })
      .update(id, expectedVersion, { name: input.name, description: input.description ?? '' }, actor.userId);
    this.notices.written('settings');
    const [team] = await this.teams.withMemberCounts([row]);
    return teamView(team);
  }

  /** Deleting a team ends its memberships and its access to spaces at once. */
  async delete(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    await this.teams.in({ organizationId }).delete(id);
    this.notices.written('settings');
  }
}
