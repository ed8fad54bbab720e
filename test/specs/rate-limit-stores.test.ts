import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARTER_MS, type RateLimits } from '../../src/ratelimit/limiter.js';
import { RedisRateLimitStore } from '../../src/ratelimit/redis-store.js';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { ManualClock } from '../helpers/clock.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis.js';

/** The Redis store runs limiter.ts's rules in Lua: for any sequence of hits it must decide exactly as the memory store. */

const prefix = `test:ratelimit:${randomBytes(6).toString('hex')}:`;
let redis: Redis;
let other: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  other = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await deleteRedisKeys(redis, prefix);
  await Promise.all([redis?.quit(), other?.quit()]);
});

/** mulberry32: the same "random" sequence on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLIENT_LIMITS: Record<string, RateLimits> = {
  'cma:token': { perSecond: 3, perHour: 20 },
  'cda:key': { perSecond: 7, perHour: 0 },
  'cma-ip:203.0.113.1': { perSecond: 2, perHour: 9 },
  'sign-in-email:x': { perSecond: 0, perHour: 5 },
  'cma:off': { perSecond: 0, perHour: 0 },
};

describe('Redis and memory rate-limit stores', () => {
  it('decide identically (allowed, reset, remaining) for the same hits on the same clock', async () => {
    const clock = new ManualClock();
    const memory = new MemoryRateLimitStore(clock);
    const shared = new RedisRateLimitStore(redis, { keyPrefix: `${prefix}same:`, clock });
    const random = seeded(27);
    const keys = Object.keys(CLIENT_LIMITS);
    // Bursts in one millisecond, fractions of a second (fractional tokens), whole seconds, minutes, quarters and hours.
    const moves = [0, 0, 0, 0, 0, 0, 1, 37, 140, 333, 999, 1000, 2500, 61_000, 7 * 60_000, QUARTER_MS, QUARTER_MS + 1, 61 * 60_000];
    const refusals = { perSecond: 0, perHour: 0 };
    for (let step = 0; step < 3000; step++) {
      clock.advance(moves[Math.floor(random() * moves.length)]!);
      const key = keys[Math.floor(random() * keys.length)]!;
      const limits = CLIENT_LIMITS[key]!;
      const expected = await memory.hit(key, limits);
      expect({ step, key, decision: await shared.hit(key, limits) }).toEqual({ step, key, decision: expected });
      if (!expected.allowed) refusals[expected.reset === 1 ? 'perSecond' : 'perHour']++;
    }
    // The sequence reaches both limits, so both refusal paths were compared.
    expect(refusals.perSecond).toBeGreaterThan(20);
    expect(refusals.perHour).toBeGreaterThan(100);
  });

  it('decide as the memory store for the seed examples (per-second refill and the hour freed by its oldest quarter)', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1, 12, 7, 30));
    const memory = new MemoryRateLimitStore(clock);
    const shared = new RedisRateLimitStore(redis, { keyPrefix: `${prefix}seed:`, clock });
    const limits = { perSecond: 2, perHour: 5 };
    const both = async () => {
      const expected = await memory.hit('client', limits);
      expect(await shared.hit('client', limits)).toEqual(expected);
      return expected;
    };
    expect(await both()).toEqual({ allowed: true, reset: 0, secondRemaining: 1, hourRemaining: 4 });
    expect(await both()).toEqual({ allowed: true, reset: 0, secondRemaining: 0, hourRemaining: 3 });
    expect(await both()).toEqual({ allowed: false, reset: 1, secondRemaining: 0, hourRemaining: 3 });
    clock.advance(500);
    expect(await both()).toEqual({ allowed: true, reset: 0, secondRemaining: 0, hourRemaining: 2 });
    clock.advance(1000);
    await both();
    await both();
    clock.advance(1000);
    expect(await both()).toEqual({ allowed: false, reset: 3148, secondRemaining: 2, hourRemaining: 0 });
    clock.advance(3148 * 1000);
    expect(await both()).toEqual({ allowed: true, reset: 0, secondRemaining: 1, hourRemaining: 4 });
  });

  it('counts hits arriving at once through two connections one after the other', async () => {
    const clock = new ManualClock();
    const keyPrefix = `${prefix}concurrent:`;
    const stores = [new RedisRateLimitStore(redis, { keyPrefix, clock }), new RedisRateLimitStore(other, { keyPrefix, clock })];
    const limits = { perSecond: 10, perHour: 25 };
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.hit('client', limits)));
    expect(first.filter((d) => d.allowed)).toHaveLength(10);
    expect(
      first
        .filter((d) => d.allowed)
        .map((d) => d.secondRemaining)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.filter((d) => !d.allowed).every((d) => d.reset === 1 && d.hourRemaining === 15)).toBe(true);
    clock.advance(1000);
    const second = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.hit('client', limits)));
    expect(second.filter((d) => d.allowed)).toHaveLength(10);
    clock.advance(1000);
    const third = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.hit('client', limits)));
    // 20 of the hour's 25 are spent: 5 more pass, then the hour is full.
    expect(third.filter((d) => d.allowed)).toHaveLength(5);
    expect(third.filter((d) => !d.allowed).every((d) => d.hourRemaining === 0 && d.reset > 1)).toBe(true);
  });

  it('expires a client after an hour without requests, when its window holds nothing any more', async () => {
    const clock = new ManualClock();
    const keyPrefix = `${prefix}expiry:`;
    await new RedisRateLimitStore(redis, { keyPrefix, clock }).hit('client', { perSecond: 1, perHour: 10 });
    const ttl = await redis.pttl(`${keyPrefix}client`);
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
  });
});
