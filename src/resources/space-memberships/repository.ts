import { spaceColumns, type TableDefinition } from '../../db/repository.js';
import { ApiError } from '../../domain/errors.js';

/** Keyed by the space id alone, the form the routes pass. */
export const spaceMembershipTable: TableDefinition<'space_memberships', string> = {
  table: 'space_memberships',
  type: 'SpaceMembership',
  scope: (spaceId) => spaceColumns({ spaceId }),
  order: ['created_at', 'id'],
  conflict: () => new ApiError('Conflict', 'The user is already a member of this space'),
};
