import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Users' password hashes, by user. Like users, they belong to no organization or space: a password is
 * found by its user's id alone, and nothing else reads this table.
 */
export class PasswordRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async hashOf(userId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('user_passwords').select('password_hash').where('user_id', '=', userId).executeTakeFirst();
    return row?.password_hash;
  }

  async set(userId: string, passwordHash: string, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .insertInto('user_passwords')
      .values({ user_id: userId, password_hash: passwordHash })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: passwordHash, updated_at: new Date() }))
      .execute();
  }
}
