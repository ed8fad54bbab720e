import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, UserRow } from '../../db/schema.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { iso } from '../../http/sys.js';
import { UserRepository } from './repository.js';

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
  private readonly users: UserRepository;

  constructor(
    db: Kysely<DB>,
    private readonly notices: WriteNotices,
  ) {
    this.users = new UserRepository(db);
  }

  async me(actor: Actor) {
    const row = await this.users.find(actor.userId);
    if (!row) throw notFound('User', actor.userId);
    return userView(row);
  }

  /** Operator action (CLI, bootstrap): users are not created through the public API. */
  async create(input: NewUser, db?: Kysely<DB>): Promise<UserRow> {
    const existing = await this.users.findByEmail(input.email, db);
    if (existing) throw new ApiError('Conflict', `A user with the email ${input.email} already exists`, { id: existing.id });
    const row = await this.users.insert(input, db);
    this.notices.written('settings');
    return row;
  }
}
