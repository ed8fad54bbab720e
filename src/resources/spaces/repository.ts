import { type Kysely, sql } from 'kysely';
import {
  type Narrowing,
  type OrganizationKey,
  organizationColumns,
  Repository,
  ScopedRows,
  type SpaceKey,
  type TableDefinition,
} from '../../db/repository.js';
import type { DB, SpaceRow } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';
import type { CompiledOrder } from '../../query/compile.js';
import { readCursorPage } from '../../query/cursor.js';
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
    return new ScopedRows(this.db, this.definition, {}).list(paging, visibleTo(key));
  }

  /** A cursor page of the spaces the user sees, in creation order (no count, as on entries). */
  visiblePage(key: UserKey, query: { limit: number; pageNext?: string; pagePrev?: string }) {
    const visible = visibleTo(key)(new ScopedRows(this.db, this.definition, {}).select());
    return readCursorPage(SPACE_ORDER, query, (after, orderBy, limit) => {
      let page = (after ? visible.where(after) : visible).selectAll();
      for (const key of orderBy) page = page.orderBy(key);
      return page.limit(limit).execute() as Promise<SpaceRow[]>;
    });
  }
}

/** The order cursor pages of spaces walk: creation, then id. */
const SPACE_ORDER: CompiledOrder[] = [
  { expression: sql`spaces.created_at`, desc: false, cursorColumn: 'created_at' },
  { expression: sql`spaces.id`, desc: false, cursorColumn: 'id' },
];

/** Spaces the user is a member of or administers the organization of. */
function visibleTo(key: UserKey): Narrowing<'spaces'> {
  return (spaces) =>
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
}

type InSpaces = 'roles' | 'space_memberships';

/**
 * A space's table read across every space of an organization (its owners and admins read them so): the rows
 * carry no organization column, so every statement is filtered on the organization's spaces:
 * `in({ organizationId })`.
 */
export class OrganizationSpacesRepository<T extends InSpaces> extends Repository<T, OrganizationKey> {
  constructor(db: Kysely<DB>, definition: Omit<TableDefinition<T, never>, 'scope' | 'within'>) {
    super(db, {
      ...definition,
      scope: () => ({}),
      within: (key) => sql<boolean>`space_id in (select id from spaces where organization_id = ${key.organizationId})`,
    });
  }
}
