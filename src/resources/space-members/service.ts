import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { iso, link } from '../../http/sys.js';

interface MemberRow {
  user_id: string;
  admin: boolean;
  role_ids: string[];
  related: { type: string; id: string }[] | string;
  created_at: Date;
  updated_at: Date;
}

function spaceMemberView(spaceId: string, row: MemberRow) {
  const related = typeof row.related === 'string' ? (JSON.parse(row.related) as { type: string; id: string }[]) : row.related;
  return {
    admin: row.admin,
    roles: row.role_ids.map((id) => link('Role', id)),
    sys: {
      type: 'SpaceMember',
      id: row.user_id,
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
 * membership and those of their teams (admin if any is, the union of the roles). All members can read it.
 */
export class SpaceMemberService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
  ) {}

  private query(spaceId: string, userId: string | undefined, paging: Paging | undefined) {
    return sql<MemberRow & { total: number }>`
      with access as (
        select sm.user_id, sm.admin, sm.role_ids, 'SpaceMembership' as kind, sm.id, sm.created_at, sm.updated_at
          from space_memberships sm where sm.space_id = ${spaceId}
        union all
        select tm.user_id, tsm.admin, tsm.role_ids, 'TeamSpaceMembership', tsm.id, tsm.created_at, tsm.updated_at
          from team_space_memberships tsm join team_memberships tm on tm.team_id = tsm.team_id
         where tsm.space_id = ${spaceId}
      )
      select a.user_id,
        bool_or(a.admin) as admin,
        coalesce((select array_agg(distinct r order by r) from access b, unnest(b.role_ids) r where b.user_id = a.user_id), '{}') as role_ids,
        json_agg(json_build_object('type', a.kind, 'id', a.id) order by a.kind, a.id) as related,
        min(a.created_at) as created_at,
        max(a.updated_at) as updated_at,
        count(*) over ()::int as total
      from access a
      ${userId === undefined ? sql`` : sql`where a.user_id = ${userId}`}
      group by a.user_id
      order by min(a.created_at), a.user_id
      ${paging ? sql`offset ${paging.skip} limit ${paging.limit}` : sql``}`.execute(this.db);
  }

  async list(actor: Actor, spaceId: string, paging: Paging) {
    await this.spaceAccess.require(actor, spaceId);
    const { rows } = await this.query(spaceId, undefined, paging);
    const total =
      rows[0]?.total ?? (paging.skip > 0 ? ((await this.query(spaceId, undefined, { skip: 0, limit: 1 })).rows[0]?.total ?? 0) : 0);
    return collection(
      rows.map((r) => spaceMemberView(spaceId, r)),
      Number(total),
      paging,
    );
  }

  async get(actor: Actor, spaceId: string, userId: string) {
    await this.spaceAccess.require(actor, spaceId);
    const { rows } = await this.query(spaceId, userId, undefined);
    if (!rows[0]) throw notFound('SpaceMember', userId);
    return spaceMemberView(spaceId, rows[0]);
  }
}
