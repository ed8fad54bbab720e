import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { iso, link } from '../../http/sys.js';
import { userView } from '../users/service.js';
import { type MemberRow, SpaceMemberRepository } from './repository.js';

/** Contentful names a space member by the space and the user: `{spaceId}-{userId}`. */
const spaceMemberId = (spaceId: string, userId: string) => `${spaceId}-${userId}`;

function spaceMemberView(spaceId: string, row: MemberRow) {
  const related = typeof row.related === 'string' ? (JSON.parse(row.related) as { type: string; id: string }[]) : row.related;
  return {
    admin: row.admin,
    roles: row.role_ids.map((id) => link('Role', id)),
    sys: {
      type: 'SpaceMember',
      id: spaceMemberId(spaceId, row.user_id),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      space: link('Space', spaceId),
      user: link('User', row.user_id),
      relatedMemberships: related.map((r) => link(r.type, r.id)),
    },
  };
}

/**
 * The read-only view of who can use a space (seed 004): each user once, combining their own space
 * membership and those of their teams (admin if any is, the union of the roles), and the users they are.
 * All members can read them.
 */
export class SpaceMemberService {
  private readonly members: SpaceMemberRepository;

  constructor(
    db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {
    this.members = new SpaceMemberRepository(db);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const { rows, total } = await this.members.list({ spaceId }, paging);
    return collection(
      rows.map((r) => spaceMemberView(spaceId, r)),
      total,
      paging,
    );
  }

  /** By its id, or by the user id alone (the SDK's `getSpaceMember(userId)` asks that way). */
  async get(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.require(actor, spaceId);
    const prefix = spaceMemberId(spaceId, '');
    const row = await this.members.find({ spaceId }, id.startsWith(prefix) ? id.slice(prefix.length) : id);
    if (!row) throw notFound('SpaceMember', id);
    return spaceMemberView(spaceId, row);
  }

  async users(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const { rows, total } = await this.members.users({ spaceId }, paging);
    return collection(rows.map(userView), total, paging);
  }

  async user(actor: Actor, spaceId: string, userId: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.members.user({ spaceId }, userId);
    if (!row) throw notFound('User', userId);
    return userView(row);
  }
}
