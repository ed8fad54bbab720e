import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../domain/clock.js';
import type { RateLimitDecision, RateLimits } from './limiter.js';
import { RedisRateLimitStore } from './redis-store.js';
import { MemoryRateLimitStore, type RateLimitStore } from './store.js';

/** A request waits at most this long for Redis before it is counted in memory. */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;
/** After a failed command, requests are counted in memory this long before Redis is tried again. */
const RETRY_AFTER_MS = 1000;
const DEFAULT_KEY_PREFIX = 'selfhosted-contentful:ratelimit:';

/**
 * The shared counters when Redis answers, this process's own counters when it does not: a request is never
 * refused or held because Redis is down. Requests go to memory without trying Redis while the connection
 * is not ready (commands are not queued) and for a moment after a failed command, so a Redis that stops
 * answering costs one request a command timeout now and then, not every request. Going down and coming
 * back are logged once each.
 */
export class FallbackRateLimitStore implements RateLimitStore {
  private down = false;
  private closing = false;
  private retryAt = 0;
  private settleFirstAttempt!: () => void;
  private readonly firstAttempt = new Promise<void>((resolve) => {
    this.settleFirstAttempt = resolve;
  });

  constructor(
    private readonly redis: Redis,
    private readonly shared: RateLimitStore,
    private readonly local: RateLimitStore,
    private readonly logger: Logger,
  ) {
    // Every failed reconnection emits an error too; a listener is needed anyway, or ioredis prints them.
    redis.on('error', (err: Error) => this.lost(err));
    redis.on('close', () => this.lost(new Error('the connection to Redis closed')));
    redis.on('ready', () => this.back());
  }

  /**
   * Resolves when the first connection to Redis is ready or has failed (at most the connect timeout): a
   * server that waits for it before listening counts its first requests in Redis.
   */
  async connected(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CONNECT_TIMEOUT_MS);
    });
    await Promise.race([this.firstAttempt, timeout]);
    clearTimeout(timer);
  }

  async hit(key: string, limits: RateLimits): Promise<RateLimitDecision> {
    if (this.redis.status === 'ready' && systemClock.now() >= this.retryAt) {
      try {
        const decision = await this.shared.hit(key, limits);
        this.back();
        return decision;
      } catch (err) {
        this.retryAt = systemClock.now() + RETRY_AFTER_MS;
        this.lost(err as Error);
      }
    }
    return this.local.hit(key, limits);
  }

  async close() {
    this.closing = true;
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private lost(err: Error) {
    this.settleFirstAttempt();
    if (this.down || this.closing) return;
    this.down = true;
    this.logger.warn({ err }, 'Redis unavailable: rate limits are counted by each server process on its own until it is back');
  }

  private back() {
    this.settleFirstAttempt();
    if (!this.down || this.closing) return;
    this.down = false;
    this.logger.info('Redis available again: rate limits are shared by all server processes');
  }
}

export interface SharedRateLimitStoreOptions {
  redisUrl: string;
  logger: Logger;
  /** Before every key in Redis; tests give each run its own. */
  keyPrefix?: string;
  /** The windows' time in Redis and in the fallback (a test's manual clock); by default Redis's clock and the process's. */
  clock?: Pick<Clock, 'now'>;
}

/** The rate-limit store of a server with REDIS_URL. */
export function openSharedRateLimitStore(options: SharedRateLimitStoreOptions): FallbackRateLimitStore {
  const redis = new Redis(options.redisUrl, {
    // A command while disconnected fails at once instead of waiting for the connection to come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Reconnects for as long as the server runs, at most every two seconds.
    retryStrategy: (attempts) => Math.min(attempts * 100, 2000),
  });
  const shared = new RedisRateLimitStore(redis, { keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX, clock: options.clock });
  return new FallbackRateLimitStore(redis, shared, new MemoryRateLimitStore(options.clock), options.logger);
}
