import type { Kysely } from 'kysely';
import { Repository, type SpaceKey, spaceColumns } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { ApiError } from '../../domain/errors.js';
import { teamColumns, TeamScopedRepository } from '../teams/repository.js';

const definition = {
  table: 'team_space_memberships',
  type: 'TeamSpaceMembership',
  order: ['created_at', 'id'],
} as const;

/** A space's team memberships, as its admins manage them. */
export const spaceTeamMemberships = (db: Kysely<DB>) =>
  new Repository<'team_space_memberships', SpaceKey>(db, {
    ...definition,
    scope: spaceColumns,
    conflict: () => new ApiError('Conflict', 'The team already has a membership in this space'),
  });

/** The space memberships of an organization's teams, as its owners and admins read them. */
export const organizationTeamMemberships = (db: Kysely<DB>) => new TeamScopedRepository(db, { ...definition, scope: teamColumns });
