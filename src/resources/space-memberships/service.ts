import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import { Repository, type SpaceKey } from '../../db/repository.js';
import type { DB, SpaceMembershipRow, UserRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { RoleService } from '../roles/service.js';
import { UserRepository } from '../users/repository.js';
import { spaceMembershipTable } from './repository.js';

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
  private readonly memberships: Repository<'space_memberships', SpaceKey>;
  private readonly users: UserRepository;

  constructor(
    db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly roles: RoleService,
    private readonly notices: WriteNotices,
  ) {
    this.memberships = new Repository(db, spaceMembershipTable);
    this.users = new UserRepository(db);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const { rows, total } = await this.memberships.in({ spaceId }).list(paging);
    return collection(rows.map(membershipView), total, paging);
  }

  async get(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.memberships.in({ spaceId }).find(id);
    if (!row) throw notFound('SpaceMembership', id);
    return membershipView(row);
  }

  async create(actor: Actor, spaceId: string, input: MembershipInput) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    let user: UserRow | undefined;
    if (input.user) user = await this.users.find(input.user.sys.id);
    else if (input.email) user = await this.users.findByEmail(input.email);
    else throw validationFailed([{ name: 'required', path: ['email'], details: 'Name the user by email or by a user link' }]);
    if (!user)
      throw validationFailed([
        { name: 'notResolvable', path: [input.user ? 'user' : 'email'], details: 'No such user; create users with the CLI' },
      ]);
    const row = await this.memberships
      .in({ spaceId })
      .insert({ id: generateId(), user_id: user.id, admin: input.admin ?? false, role_ids: roleIds }, actor.userId);
    this.notices.written('settings');
    return membershipView(row);
  }

  async update(actor: Actor, spaceId: string, id: string, input: MembershipInput, expectedVersion: number | undefined) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    const roleIds = await this.roles.assignable(spaceId, input);
    const row = await this.memberships
      .in({ spaceId })
      .update(id, expectedVersion, { admin: input.admin ?? false, role_ids: roleIds }, actor.userId);
    this.notices.written('settings');
    return membershipView(row);
  }

  /** Removing a membership takes the user's access away at once. */
  async delete(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.requireAdmin(actor, spaceId);
    await this.memberships.in({ spaceId }).delete(id);
    this.notices.written('settings');
  }
}
