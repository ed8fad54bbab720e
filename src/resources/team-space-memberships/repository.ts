import type { Kysely } from 'kysely';
import { spaceColumns, type TableDefinition } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { ApiError } from '../../domain/errors.js';
import { teamColumns, TeamScopedRepository } from '../teams/repository.js';

const definition = {
  table: 'team_space_memberships',
  type: 'TeamSpaceMembership',
  order: ['created_at', 'id'],
} as const;

/** A space's team memberships, as its admins manage them: keyed by the space id alone, the form the routes pass. */
export const teamSpaceMembershipTable: TableDefinition<'team_space_memberships', string> = {
  ...definition,
  scope: (spaceId) => spaceColumns({ spaceId }),
  conflict: () => new ApiError('Conflict', 'The team already has a membership in this space'),
};

/** The space memberships of an organization's teams, as its owners and admins read them. */
export const organizationTeamMemberships = (db: Kysely<DB>) => new TeamScopedRepository(db, { ...definition, scope: teamColumns });
