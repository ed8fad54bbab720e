import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, SpaceMembershipRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleService } from '../roles/service.js';
import { deleteGrant, updateGrant } from './grants.js';

const roleLink = z.object({ sys: z.looseObject({ id: z.string().min(1) }) });
export const membershipBody = z.looseObject({
  admin: z.boolean().optional(),
  roles: z.array(roleLink).optional(),
  email: z.string().email().optional(),
  user: z.object({ sys: z.looseObject({ id: z.string().min(1) }) }).optional(),
});
export type MembershipInput = z.infer<typeof membershipBody>;

export function membershipView(row: SpaceMembershipRow) {
  return {
    admin: row.admin,
    roles: row.role_ids.map((id) => link('Role', id)),
    user: link('User', row.user_id),
    sys: { type: 'SpaceMembership', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  };
}

/** Space memberships: a member is an admin or has at least one role of the space. */
export class SpaceMembershipService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly roles: RoleService,
  ) {}

  private rows(spaceId: string) {
    return this.db.selectFrom('space_memberships').where('space_id', '=', spaceId);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const [rows, count] = await Promise.all([
      this.rows(spaceId).selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(spaceId)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(membershipView), Number(count.total), paging);
  }

  async get(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.rows(spaceId).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('SpaceMembership', id);
    return membershipView(row);
  }

  async create(actor: Actor, spaceId: string, input: MembershipInput) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    let query = this.db.selectFrom('users').select('id');
    if (input.user) query = query.where('id', '=', input.user.sys.id);
    else if (input.email) query = query.where((eb) => eb(eb.fn('lower', ['email']), '=', input.email!.toLowerCase()));
    else throw validationFailed([{ name: 'required', path: ['email'], details: 'Name the user by email or by a user link' }]);
    const user = await query.executeTakeFirst();
    if (!user)
      throw validationFailed([
        { name: 'notResolvable', path: [input.user ? 'user' : 'email'], details: 'No such user; create users with the CLI' },
      ]);
    const row = await this.db
      .insertInto('space_memberships')
      .values({
        id: generateId(),
        space_id: spaceId,
        user_id: user.id,
        admin: input.admin ?? false,
        role_ids: roleIds,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(['space_id', 'user_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ApiError('Conflict', 'The user is already a member of this space');
    return membershipView(row);
  }

  async update(actor: Actor, spaceId: string, id: string, input: MembershipInput, expectedVersion: number | undefined) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await updateGrant(
      this.db,
      'space_memberships',
      actor,
      spaceId,
      id,
      { admin: input.admin ?? false, roleIds },
      expectedVersion,
    );
    return membershipView(row);
  }

  /** Removing a membership takes the user's access away at once. */
  async delete(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    await deleteGrant(this.db, 'space_memberships', spaceId, id);
  }
}
