import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, UserRow } from '../../db/schema.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { iso } from '../../http/sys.js';

export function userView(row: UserRow) {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    avatarUrl: '',
    email: row.email,
    activated: row.activated,
    signInCount: 0,
    confirmed: true,
    '2faEnabled': false,
    sys: { type: 'User', id: row.id, version: row.version, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) },
  };
}

export interface NewUser {
  email: string;
  firstName?: string;
  lastName?: string;
}

export class UserService {
  constructor(private readonly db: Kysely<DB>) {}

  async me(actor: Actor) {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirst();
    if (!row) throw notFound('User', actor.userId);
    return userView(row);
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
  }

  /** Operator action (CLI, bootstrap): users are not created through the public API. */
  async create(input: NewUser, db: Kysely<DB> = this.db): Promise<UserRow> {
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
      .executeTakeFirst();
    if (existing) throw new ApiError('Conflict', `A user with the email ${input.email} already exists`, { id: existing.id });
    return db
      .insertInto('users')
      .values({ id: generateId(), email: input.email, first_name: input.firstName ?? '', last_name: input.lastName ?? '' })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
