import { type Kysely, sql } from 'kysely';
import type { SpaceKey } from '../../db/repository.js';
import type { DB, UserRow } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';

export interface MemberRow {
  user_id: string;
  admin: boolean;
  role_ids: string[];
  /** A JSON string where the driver does not parse json. */
  related: { type: string; id: string }[] | string;
  created_at: Date;
  updated_at: Date;
}

/**
 * Who can use a space, one row per user: their own space membership and those of their teams combined.
 * Read only; every statement is about the key's space.
 */
export class SpaceMemberRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private query(key: SpaceKey, userId: string | undefined, paging: Paging | undefined) {
    const { spaceId } = key;
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

  /** One page of members, oldest access first, and how many there are. */
  async list(key: SpaceKey, paging: Paging): Promise<{ rows: MemberRow[]; total: number }> {
    const { rows } = await this.query(key, undefined, paging);
    // A page past the end has no row to carry the total: count on a first page then.
    const total = rows[0]?.total ?? (paging.skip > 0 ? ((await this.query(key, undefined, { skip: 0, limit: 1 })).rows[0]?.total ?? 0) : 0);
    return { rows, total: Number(total) };
  }

  async find(key: SpaceKey, userId: string): Promise<MemberRow | undefined> {
    const { rows } = await this.query(key, userId, undefined);
    return rows[0];
  }

  /** The ids of the users with access to the space, directly or through a team. */
  private userIds(key: SpaceKey) {
    return this.db
      .selectFrom('space_memberships')
      .select('user_id')
      .where('space_id', '=', key.spaceId)
      .union(
        this.db
          .selectFrom('team_space_memberships as tsm')
          .innerJoin('team_memberships as tm', 'tm.team_id', 'tsm.team_id')
          .select('tm.user_id')
          .where('tsm.space_id', '=', key.spaceId),
      );
  }

  /** One page of the members' users, in the order they were created, and how many there are. */
  async users(key: SpaceKey, paging: Paging): Promise<{ rows: UserRow[]; total: number }> {
    const users = () => this.db.selectFrom('users as u').where('u.id', 'in', this.userIds(key));
    const [rows, count] = await Promise.all([
      users().selectAll('u').orderBy('u.created_at').orderBy('u.id').offset(paging.skip).limit(paging.limit).execute(),
      users().select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }

  /** A member's user; none for a user without access to the space. */
  user(key: SpaceKey, userId: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users as u')
      .selectAll('u')
      .where('u.id', 'in', this.userIds(key))
      .where('u.id', '=', userId)
      .executeTakeFirst();
  }
}
