import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, RoleRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { oneOf } from '../../db/lists.js';
import { collection, type Paging } from '../../domain/collections.js';
import { badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleInput } from '../../domain/roles.js';

export function roleView(row: RoleRow) {
  return {
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    policies: row.policies,
    sys: { type: 'Role', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

const nameTaken = (name: string) =>
  validationFailed([{ name: 'taken', path: ['name'], value: name, details: `A role named "${name}" already exists in this space` }]);

/** Space roles: names unique per space; a role that is some member's only role cannot be deleted. */
export class RoleService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {}

  private rows(spaceId: string) {
    return this.db.selectFrom('roles').where('space_id', '=', spaceId);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const [rows, count] = await Promise.all([
      this.rows(spaceId).selectAll().orderBy('name').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(spaceId)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(roleView), Number(count.total), paging);
  }

  async get(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.rows(spaceId).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Role', id);
    return roleView(row);
  }

  async put(actor: Actor, spaceId: string, id: string | undefined, input: RoleInput, expectedVersion: number | undefined) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const values = {
      name: input.name,
      description: input.description ?? null,
      permissions: JSON.stringify(input.permissions ?? {}),
      policies: JSON.stringify(input.policies ?? []),
    };
    const taken = (err: unknown): never => {
      if ((err as { code?: string }).code === '23505') throw nameTaken(input.name);
      throw err;
    };
    const existing = id ? await this.rows(spaceId).select('id').where('id', '=', id).executeTakeFirst() : undefined;
    if (existing && id) {
      const row = await versionLockedUpdate({
        type: 'Role',
        id,
        expectedVersion,
        update: (version) =>
          this.db
            .updateTable('roles')
            .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
            .where('space_id', '=', spaceId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst()
            .catch(taken),
        exists: async () => true,
      });
      return { created: false, role: roleView(row) };
    }
    const row = await this.db
      .insertInto('roles')
      .values({ ...values, space_id: spaceId, id: id ?? generateId(), created_by: actor.userId, updated_by: actor.userId })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(taken);
    return { created: true, role: roleView(row) };
  }

  async delete(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    await this.db.transaction().execute(async (trx) => {
      const role = await trx
        .selectFrom('roles')
        .select('id')
        .where('space_id', '=', spaceId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!role) throw notFound('Role', id);
      for (const table of ['space_memberships', 'team_space_memberships'] as const) {
        const soleRole = await trx
          .selectFrom(table)
          .select('id')
          .where('space_id', '=', spaceId)
          .where('admin', '=', false)
          .where(sql<boolean>`role_ids = array[${id}::text]`)
          .limit(1)
          .executeTakeFirst();
        if (soleRole)
          throw badRequest('The role is the only role of a space member or team; give them another role first', {
            membership: soleRole.id,
          });
      }
      await trx.deleteFrom('roles').where('space_id', '=', spaceId).where('id', '=', id).execute();
      for (const table of ['space_memberships', 'team_space_memberships'] as const) {
        await trx
          .updateTable(table)
          .set({ role_ids: sql`array_remove(role_ids, ${id}::text)` })
          .where('space_id', '=', spaceId)
          .where(sql<boolean>`role_ids @> array[${id}::text]`)
          .execute();
      }
    });
  }

  /** The role ids a (team) space membership names, checked: an admin, or at least one role of the space. */
  async assignable(spaceId: string, input: { admin?: boolean; roles?: { sys: { id: string } }[] }): Promise<string[]> {
    const roleIds = [...new Set((input.roles ?? []).map((r) => r.sys.id))];
    if (!input.admin && roleIds.length === 0)
      throw validationFailed([{ name: 'required', path: ['roles'], details: 'A member who is not an admin needs at least one role' }]);
    if (roleIds.length === 0) return roleIds;
    const found = new Set((await this.rows(spaceId).select('id').where('id', '=', oneOf(roleIds)).execute()).map((r) => r.id));
    const missing = roleIds.filter((id) => !found.has(id));
    if (missing.length)
      throw validationFailed(
        missing.map((id) => ({ name: 'notResolvable', path: ['roles'], value: id, details: `No role "${id}" in this space` })),
      );
    return roleIds;
  }
}
