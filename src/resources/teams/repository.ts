import { type Kysely, sql } from 'kysely';
import {
  type OrganizationKey,
  organizationColumns,
  Repository,
  type Row,
  type ScopeColumns,
  type SpaceKey,
  type TableDefinition,
} from '../../db/repository.js';
import type { Paging } from '../../domain/collections.js';
import { oneOf } from '../../db/lists.js';
import type { DB } from '../../db/schema.js';
import { ApiError, validationFailed } from '../../domain/errors.js';

export const teamTable: TableDefinition<'teams', OrganizationKey> = {
  table: 'teams',
  type: 'Team',
  scope: organizationColumns,
  order: ['name', 'id'],
  conflict: ({ name }) =>
    validationFailed([
      { name: 'taken', path: ['name'], value: name, details: `A team named "${name}" already exists in this organization` },
    ]),
};

export type TeamWithCount = Row<'teams'> & { member_count: number };

/** Teams of an organization, with how many members each has. */
export class TeamRepository extends Repository<'teams', OrganizationKey> {
  constructor(db: Kysely<DB>) {
    super(db, teamTable);
  }

  /** One page of the organization's teams that have a team space membership in the space. */
  inSpace(key: OrganizationKey & SpaceKey, paging: Paging): Promise<{ rows: Row<'teams'>[]; total: number }> {
    return this.in(key).list(paging, (teams) =>
      teams.where((eb) =>
        eb.exists(
          eb
            .selectFrom('team_space_memberships as tsm')
            .select('tsm.id')
            .whereRef('tsm.team_id', '=', 'teams.id')
            .where('tsm.space_id', '=', key.spaceId),
        ),
      ),
    );
  }

  async withMemberCounts(rows: Row<'teams'>[]): Promise<TeamWithCount[]> {
    if (rows.length === 0) return [];
    const counts = await this.db
      .selectFrom('team_memberships')
      .select(['team_id', sql<number>`count(*)::int`.as('n')])
      .where('team_id', '=', oneOf(rows.map((r) => r.id)))
      .groupBy('team_id')
      .execute();
    const byTeam = new Map(counts.map((c) => [c.team_id, Number(c.n)]));
    return rows.map((row) => ({ ...row, member_count: byTeam.get(row.id) ?? 0 }));
  }
}

/** The rows of an organization's teams, or (with `teamId`) of one of them. */
export interface TeamKey extends OrganizationKey {
  teamId?: string;
}

export const teamColumns = (key: TeamKey): ScopeColumns => (key.teamId ? { team_id: key.teamId } : {});

type ThroughTeam = 'team_memberships' | 'team_space_memberships';

/**
 * Rows that belong to a team carry no organization column: every statement is filtered on the teams of the
 * key's organization as well as on the scope, so a team of another organization is not found.
 */
export class TeamScopedRepository<T extends ThroughTeam> extends Repository<T, TeamKey> {
  constructor(db: Kysely<DB>, definition: Omit<TableDefinition<T, TeamKey>, 'within'>) {
    super(db, {
      ...definition,
      within: (key) => sql<boolean>`team_id in (select id from teams where organization_id = ${key.organizationId})`,
    });
  }
}

export const teamMembershipRepository = (db: Kysely<DB>) =>
  new TeamScopedRepository(db, {
    table: 'team_memberships',
    type: 'TeamMembership',
    scope: teamColumns,
    order: ['created_at', 'id'],
    conflict: () => new ApiError('Conflict', 'The user is already a member of this team'),
  });
