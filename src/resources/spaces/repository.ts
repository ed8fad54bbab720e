import type { Kysely } from 'kysely';
import { type Narrowing, type OrganizationKey, organizationColumns, Repository, ScopedRows, type SpaceKey } from '../../db/repository.js';
import type { DB, SpaceRow } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';
import type { UserKey } from '../users/repository.js';

/** Spaces: a space is its own scope, so `in({ spaceId })` holds its one row. */
export class SpaceRepository extends Repository<'spaces', SpaceKey> {
  constructor(db: Kysely<DB>) {
    super(db, { table: 'spaces', type: 'Space', scope: (key) => ({ id: key.spaceId }), order: ['created_at', 'id'] });
  }

  /** A new space of the organization. */
  insert(key: SpaceKey & OrganizationKey, name: string, userId: string, db: Kysely<DB> = this.db): Promise<SpaceRow> {
    const scope = { ...this.definition.scope(key), ...organizationColumns(key) };
    return new ScopedRows(db, this.definition, scope).insert({ id: key.spaceId, name }, userId);
  }

  /** The spaces of every organization, narrowed to those the user is a member of or administers the organization of. */
  visibleTo(key: UserKey, paging: Paging): Promise<{ rows: SpaceRow[]; total: number }> {
    const visible: Narrowing<'spaces'> = (spaces) =>
      spaces.where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('space_memberships as sm')
              .select('sm.id')
              .whereRef('sm.space_id', '=', 'spaces.id')
              .where('sm.user_id', '=', key.userId),
          ),
          eb.exists(
            eb
              .selectFrom('organization_memberships as om')
              .select('om.id')
              .whereRef('om.organization_id', '=', 'spaces.organization_id')
              .where('om.user_id', '=', key.userId)
              .where('om.role', 'in', ['owner', 'admin']),
          ),
        ]),
      );
    return new ScopedRows(this.db, this.definition, {}).list(paging, visible);
  }
}
