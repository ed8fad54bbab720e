import type { Kysely } from 'kysely';
import type { WriteNotices } from '../../cache/changes.js';
import { TtlCache } from '../../cache/ttl-cache.js';
import { expandScopes, type Actor, type Scope } from '../../auth/actor.js';
import { generateTokenValue, hashToken, redactToken } from '../../auth/token-secrets.js';
import type { DB, PersonalAccessTokenRow } from '../../db/schema.js';
import { type Clock, systemClock } from '../../domain/clock.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { countedLookups, type Metrics, noMetrics } from '../../domain/metrics.js';
import { iso, link } from '../../http/sys.js';
import { AccessTokenRepository } from './repository.js';

export function accessTokenView(row: PersonalAccessTokenRow, tokenValue?: string) {
  return {
    name: row.name,
    scopes: row.scopes,
    revokedAt: iso(row.revoked_at) ?? null,
    ...(tokenValue ? { token: tokenValue } : {}),
    sys: {
      type: 'PersonalAccessToken',
      id: row.id,
      version: row.version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      createdBy: link('User', row.user_id),
      expiresAt: iso(row.expires_at) ?? null,
      lastUsedAt: null,
      redactedValue: row.redacted_value,
      application: null,
    },
  };
}

export interface NewAccessToken {
  name: string;
  scopes: Scope[];
  /** Seconds until the token expires; none means it never does. */
  expiresIn?: number | null;
  /** Only for the bootstrap token, whose value the operator chooses (BOOTSTRAP_ADMIN_TOKEN). */
  value?: string;
}

const invalidToken = () => new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');

type KnownToken = Pick<PersonalAccessTokenRow, 'id' | 'user_id' | 'scopes' | 'revoked_at' | 'expires_at'>;

export class AccessTokenService {
  private readonly tokens: AccessTokenRepository;
  /** Tokens found, by hash, for `ACCESS_CACHE_TTL_MS` (unknown ones are looked up every time). */
  private readonly known: TtlCache<KnownToken>;

  constructor(
    db: Kysely<DB>,
    private readonly notices: WriteNotices,
    cacheTtlMs = 0,
    /** Where expiries are set and checked; a test's manual clock expires a token without waiting. */
    private readonly clock: Pick<Clock, 'now'> = systemClock,
    metrics: Metrics = noMetrics,
  ) {
    this.tokens = new AccessTokenRepository(db);
    this.known = new TtlCache(cacheTtlMs, { onLookup: countedLookups(metrics, 'access_tokens') });
  }

  /** Resolves a presented token to the actor it acts for; unknown, revoked and expired tokens are 401. */
  async authenticate(tokenValue: string): Promise<Actor> {
    const hash = hashToken(tokenValue);
    const row = await this.known.get(hash, async () => {
      const found = await this.tokens.byHash(hash);
      if (!found) throw invalidToken();
      return found;
    });
    if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= this.clock.now())) throw invalidToken();
    return { userId: row.user_id, tokenId: row.id, scopes: expandScopes(row.scopes) };
  }

  /** Forgets the tokens looked up, after a change to tokens, users or their access. */
  forget(): void {
    this.known.clear();
  }

  /** The token value is in this response only; the database keeps its hash. */
  async create(userId: string, input: NewAccessToken, db?: Kysely<DB>) {
    const value = input.value ?? generateTokenValue();
    const row = await this.tokens.insert(
      { userId },
      {
        name: input.name,
        scopes: input.scopes,
        token_hash: hashToken(value),
        redacted_value: redactToken(value),
        expires_at: input.expiresIn ? new Date(this.clock.now() + input.expiresIn * 1000) : null,
      },
      db,
    );
    this.notices.written('settings');
    return accessTokenView(row, value);
  }

  /** Makes sure a token with exactly this value exists for the user (idempotent across restarts). */
  async ensure(userId: string, input: NewAccessToken & { value: string }, db?: Kysely<DB>) {
    const existing = await this.tokens.byHash(hashToken(input.value), db);
    if (!existing) return (await this.create(userId, input, db)).sys.id;
    if (existing.user_id !== userId) throw new ApiError('Conflict', 'That token value belongs to another user');
    if (existing.revoked_at) {
      await this.tokens.unrevoke({ userId }, existing.id, db);
      this.notices.written('settings');
    }
    return existing.id;
  }

  /** The caller's active tokens. */
  async list(actor: Actor, paging: Paging) {
    const { rows, total } = await this.tokens.in(actor).list(paging, (tokens) => tokens.where('revoked_at', 'is', null));
    return collection(
      rows.map((r) => accessTokenView(r)),
      total,
      paging,
    );
  }

  async get(actor: Actor, tokenId: string) {
    const row = await this.tokens.in(actor).find(tokenId);
    if (!row) throw notFound('PersonalAccessToken', tokenId);
    return accessTokenView(row);
  }

  /** Revoking takes effect at once: authentication reads `revoked_at` on every request. */
  async revoke(actor: Actor, tokenId: string) {
    const row = await this.tokens.revoke(actor, tokenId);
    if (!row) throw notFound('PersonalAccessToken', tokenId);
    this.notices.written('settings');
    return accessTokenView(row);
  }
}
