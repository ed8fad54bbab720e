import { type Kysely, sql } from 'kysely';
import { oneOf } from '../../db/lists.js';
import { type InsertValues, Repository, rowsOf, type SpaceKey, spaceColumns, type TableDefinition } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import type { RoleInput } from '../../domain/roles.js';
import { DEFAULT_ROLES } from './defaults.js';

export const roleTable: TableDefinition<'roles', SpaceKey> = {
  table: 'roles',
  type: 'Role',
  scope: spaceColumns,
  order: ['name', 'id'],
  conflict: ({ name }) =>
    validationFailed([{ name: 'taken', path: ['name'], value: name, details: `A role named "${name}" already exists in this space` }]),
};

/** The columns a role input writes. */
export const roleValues = (input: RoleInput): Omit<InsertValues<'roles'>, 'id'> => ({
  name: input.name,
  description: input.description ?? null,
  permissions: JSON.stringify(input.permissions ?? {}),
  policies: JSON.stringify(input.policies ?? []),
});

const MEMBERSHIP_TABLES = ['space_memberships', 'team_space_memberships'] as const;

/** Space roles, and what deleting one does to the (team) space memberships that name it. */
export class RoleRepository extends Repository<'roles', SpaceKey> {
  constructor(db: Kysely<DB>, definition: TableDefinition<'roles', SpaceKey> = roleTable) {
    super(db, definition);
  }

  /** Contentful's default roles, for a new space (in the transaction `trx` that makes it). */
  async insertDefaults(key: SpaceKey, userId: string, trx: Kysely<DB>): Promise<void> {
    for (const role of DEFAULT_ROLES) await this.in(key, trx).insert({ ...roleValues(role), id: generateId() }, userId);
  }

  async existingIds(key: SpaceKey, ids: string[]): Promise<Set<string>> {
    const rows = await this.in(key).select().select('id').where('id', '=', oneOf(ids)).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Deletes a role unless it is some member's only role, and takes it off every membership that names it. */
  async deleteFromMemberships(key: SpaceKey, id: string): Promise<void> {
    await this.transaction(async (trx) => {
      const role = await this.in(key, trx).select().select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!role) throw notFound('Role', id);
      for (const table of MEMBERSHIP_TABLES) {
        const soleRole = await rowsOf(trx, table, 'SpaceMembership', this.definition.scope(key))
          .select()
          .select('id')
          .where('admin', '=', false)
          .where(sql<boolean>`role_ids = array[${id}::text]`)
          .limit(1)
          .executeTakeFirst();
        if (soleRole)
          throw badRequest('The role is the only role of a space member or team; give them another role first', {
            membership: soleRole.id,
          });
      }
      await this.in(key, trx).deleting().where('id', '=', id).execute();
      for (const table of MEMBERSHIP_TABLES) {
        await rowsOf(trx, table, 'SpaceMembership', this.definition.scope(key))
          .updating()
          .set({ role_ids: sql`array_remove(role_ids, ${id}::text)` })
          .where(sql<boolean>`role_ids @> array[${id}::text]`)
          .execute();
      }
    });
  }
}
