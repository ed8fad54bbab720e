import { type SpaceKey, spaceColumns, type TableDefinition } from '../../db/repository.js';
import { ApiError } from '../../domain/errors.js';

export const spaceMembershipTable: TableDefinition<'space_memberships', SpaceKey> = {
  table: 'space_memberships',
  type: 'SpaceMembership',
  scope: spaceColumns,
  order: ['created_at', 'id'],
  conflict: () => new ApiError('Conflict', 'The user is already a member of this space'),
};
