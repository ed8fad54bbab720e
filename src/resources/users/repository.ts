import type { Kysely } from 'kysely';
import type { ScopeColumns } from '../../db/repository.js';
import type { DB, UserRow } from '../../db/schema.js';
import { generateId } from '../../domain/ids.js';

/** What a user holds themselves (their tokens, their organization memberships). */
export interface UserKey {
  userId: string;
}
export const userColumns = (key: UserKey): ScopeColumns => ({ user_id: key.userId });

/**
 * Users belong to no organization or space (an organization reaches them through its memberships), so
 * this repository has no scope: it answers by id or email only. Email addresses are unique ignoring case.
 */
export class UserRepository {
  constructor(private readonly db: Kysely<DB>) {}

  find(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string, db: Kysely<DB> = this.db): Promise<UserRow | undefined> {
    return db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  }

  /**
   * A user of the organization that owns the space (a member or invited), by id or email: space
   * memberships are for the organization's users only, so no one else can be found (or told apart) here.
   */
  findInOrganizationOfSpace(spaceId: string, by: { id: string } | { email: string }): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .innerJoin('organization_memberships as m', 'm.user_id', 'users.id')
      .innerJoin('spaces as s', 's.organization_id', 'm.organization_id')
      .selectAll('users')
      .where('s.id', '=', spaceId)
      .where((eb) => ('id' in by ? eb('users.id', '=', by.id) : eb(eb.fn('lower', ['users.email']), '=', by.email.toLowerCase())))
      .executeTakeFirst();
  }

  insert(
    values: { email: string; firstName?: string; lastName?: string; activated?: boolean },
    db: Kysely<DB> = this.db,
  ): Promise<UserRow> {
    return db
      .insertInto('users')
      .values({
        id: generateId(),
        email: values.email,
        first_name: values.firstName ?? '',
        last_name: values.lastName ?? '',
        activated: values.activated,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** An invited user becomes active when the invitation is accepted. */
  async activate(id: string, db: Kysely<DB> = this.db): Promise<void> {
    await db.updateTable('users').set({ activated: true, updated_at: new Date() }).where('id', '=', id).execute();
  }
}
