import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, SpaceMembershipRow, TeamSpaceMembershipRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { notFound } from '../../domain/errors.js';

/** Space access granted to a user (space membership) or to a team (team space membership). */
interface GrantRows {
  space_memberships: SpaceMembershipRow;
  team_space_memberships: TeamSpaceMembershipRow;
}
export type GrantTable = keyof GrantRows;

const TYPES: Record<GrantTable, string> = { space_memberships: 'SpaceMembership', team_space_memberships: 'TeamSpaceMembership' };

/** Both kinds of grant change (admin flag and roles, version-locked) and end the same way. */
export async function updateGrant<T extends GrantTable>(
  db: Kysely<DB>,
  table: T,
  actor: Actor,
  spaceId: string,
  id: string,
  grant: { admin: boolean; roleIds: string[] },
  expectedVersion: number | undefined,
): Promise<GrantRows[T]> {
  const rows = () =>
    db
      .selectFrom(table as 'space_memberships')
      .where('space_id', '=', spaceId)
      .where('id', '=', id);
  const row = await versionLockedUpdate({
    type: TYPES[table],
    id,
    expectedVersion,
    update: (version) =>
      db
        .updateTable(table as 'space_memberships')
        .set((eb) => ({
          admin: grant.admin,
          role_ids: grant.roleIds,
          version: eb('version', '+', 1),
          updated_at: new Date(),
          updated_by: actor.userId,
        }))
        .where('space_id', '=', spaceId)
        .where('id', '=', id)
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst(),
    exists: async () => Boolean(await rows().select('id').executeTakeFirst()),
  });
  return row as unknown as GrantRows[T];
}

/** Ending a grant takes the access it gave away at once. */
export async function deleteGrant(db: Kysely<DB>, table: GrantTable, spaceId: string, id: string): Promise<void> {
  const row = await db
    .deleteFrom(table as 'space_memberships')
    .where('space_id', '=', spaceId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw notFound(TYPES[table], id);
}
