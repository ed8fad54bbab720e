import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../../auth/passwords.js';
import type { DB } from '../../db/schema.js';
import { ApiError, badRequest } from '../../domain/errors.js';
import type { AccessTokenService } from '../access-tokens/service.js';
import { UserRepository } from '../users/repository.js';
import { PasswordRepository } from './repository.js';

/** The name of the tokens sign-in gives; they are personal access tokens like any other, with an expiry. */
export const SIGN_IN_TOKEN_NAME = 'Web app sign-in';

const invalidCredentials = () => new ApiError('InvalidCredentials', 'The email address or the password is not correct.');

/**
 * Signing in to the web app with an email address and a password: passwords are set by the operator (CLI
 * `user set-password`, or when accepting an invitation) and stored as scrypt hashes; a sign-in answers a
 * short-lived personal access token (content_management_manage) that the app sends as a Bearer token to
 * the CMA, and revokes on sign-out through the CMA's own `PUT /users/me/access_tokens/{id}/revoked`.
 */
export class SessionService {
  private readonly users: UserRepository;
  private readonly passwords: PasswordRepository;
  /** A hash no password is known for: an unknown email address costs as much time as a wrong password. */
  private decoy?: Promise<string>;

  constructor(
    db: Kysely<DB>,
    private readonly accessTokens: AccessTokenService,
    private readonly ttlSeconds: number,
  ) {
    this.users = new UserRepository(db);
    this.passwords = new PasswordRepository(db);
  }

  /** Checks a new password's length; the operator's commands call it before opening a transaction. */
  static check(password: string): void {
    if (password.length < PASSWORD_MIN_LENGTH) throw badRequest(`A password needs at least ${PASSWORD_MIN_LENGTH} characters`);
    if (password.length > PASSWORD_MAX_LENGTH) throw badRequest(`A password has at most ${PASSWORD_MAX_LENGTH} characters`);
  }

  /** Hashes a password for `store` (outside any transaction: hashing takes tens of milliseconds). */
  async hash(password: string): Promise<string> {
    SessionService.check(password);
    return hashPassword(password);
  }

  /** Operator action: sets (or replaces) a user's password from its hash. */
  async store(userId: string, passwordHash: string, db?: Kysely<DB>): Promise<void> {
    await this.passwords.set(userId, passwordHash, db);
  }

  async setPassword(userId: string, password: string, db?: Kysely<DB>): Promise<void> {
    await this.store(userId, await this.hash(password), db);
  }

  /**
   * A token for an active user whose password matches; any other case is the same 401, after the same
   * work, so the answer tells nothing about which email addresses have accounts.
   */
  async signIn(email: string, password: string) {
    // No password is that long; hashing one would only cost time.
    if (password.length > PASSWORD_MAX_LENGTH) throw invalidCredentials();
    const user = await this.users.findByEmail(email);
    const stored = user?.activated ? await this.passwords.hashOf(user.id) : undefined;
    this.decoy ??= hashPassword(randomUUID());
    const matches = await verifyPassword(password, stored ?? (await this.decoy));
    if (!user || !stored || !matches) throw invalidCredentials();
    return this.accessTokens.create(user.id, {
      name: SIGN_IN_TOKEN_NAME,
      scopes: ['content_management_manage'],
      expiresIn: this.ttlSeconds,
    });
  }
}
