import { type Kysely, sql } from 'kysely';
import { Repository, type Row } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { generateId } from '../../domain/ids.js';
import { type UserKey, userColumns } from '../users/repository.js';

type TokenRow = Row<'personal_access_tokens'>;

/**
 * Personal access tokens, scoped by their user. Tokens have no audit columns (the user is the author), so
 * writes are this repository's own statements rather than the base's insert and update.
 */
export class AccessTokenRepository extends Repository<'personal_access_tokens', UserKey> {
  constructor(db: Kysely<DB>) {
    super(db, { table: 'personal_access_tokens', type: 'PersonalAccessToken', scope: userColumns, order: ['created_at', 'id'] });
  }

  /** Authentication looks a presented token up by its hash alone: the token says whose it is. */
  byHash(hash: string, db: Kysely<DB> = this.db): Promise<TokenRow | undefined> {
    return db.selectFrom('personal_access_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  insert(
    key: UserKey,
    values: Pick<TokenRow, 'name' | 'scopes' | 'token_hash' | 'redacted_value' | 'expires_at'>,
    db: Kysely<DB> = this.db,
  ): Promise<TokenRow> {
    return db
      .insertInto('personal_access_tokens')
      .values({ ...values, id: generateId(), user_id: key.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async unrevoke(key: UserKey, id: string, db: Kysely<DB> = this.db): Promise<void> {
    await this.in(key, db).updating().set({ revoked_at: null, updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** Revokes a token (keeping the first revocation time) and returns it; undefined when the user has no such token. */
  revoke(key: UserKey, id: string): Promise<TokenRow | undefined> {
    return this.in(key)
      .updating()
      .set({ revoked_at: sql`coalesce(revoked_at, now())`, updated_at: new Date(), version: sql`version + 1` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
}
