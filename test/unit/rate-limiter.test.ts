import { describe, expect, it } from 'vitest';
import { consume, newWindow, QUARTER_MS } from '../../src/ratelimit/limiter.js';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { ManualClock } from '../helpers/clock.js';

const limits = { perSecond: 10, perHour: 36000 };

describe('rate limiter (seed 000 examples)', () => {
  it('example 1: 5 requests in one second pass with reset 0', () => {
    const start = 5 * QUARTER_MS;
    const window = newWindow(limits, start);
    const decisions = Array.from({ length: 5 }, (_, i) => consume(window, limits, start + i * 10));
    expect(decisions.every((d) => d.allowed && d.reset === 0)).toBe(true);
    expect(decisions[4].secondRemaining).toBe(5);
    expect(decisions[4].hourRemaining).toBe(35995);
  });

  it('example 2: the 11th request within one second is refused with reset 1', () => {
    const start = 5 * QUARTER_MS;
    const window = newWindow(limits, start);
    for (let i = 0; i < 10; i++) expect(consume(window, limits, start).allowed).toBe(true);
    const eleventh = consume(window, limits, start + 5);
    expect(eleventh).toMatchObject({ allowed: false, reset: 1, secondRemaining: 0 });
    // The bucket refills: a second later requests pass again.
    expect(consume(window, limits, start + 1000).allowed).toBe(true);
  });

  it('example 3: 9000 requests in each of four quarters -> wait until the oldest quarter expires', () => {
    const hourly = { perSecond: 0, perHour: 36000 };
    const start = 100 * QUARTER_MS;
    const window = newWindow(hourly, start);
    for (let q = 0; q < 4; q++) {
      for (let i = 0; i < 9000; i++) expect(consume(window, hourly, start + q * QUARTER_MS).allowed).toBe(true);
    }
    const refused = consume(window, hourly, start + 3 * QUARTER_MS);
    expect(refused.allowed).toBe(false);
    expect(refused.reset).toBe(900);
    expect(refused.hourRemaining).toBe(0);
    // When the first quarter has slid out of the hour, 9000 requests are free again.
    const later = consume(window, hourly, start + 4 * QUARTER_MS);
    expect(later).toMatchObject({ allowed: true, reset: 0, hourRemaining: 36000 - 27000 - 1 });
  });

  it('counts the remaining hourly requests to the next reset, not refused ones', () => {
    const small = { perSecond: 0, perHour: 3 };
    const window = newWindow(small, 0);
    expect(consume(window, small, 1000).hourRemaining).toBe(2);
    consume(window, small, 2000);
    consume(window, small, 3000);
    const refused = consume(window, small, 4000);
    expect(refused.allowed).toBe(false);
    expect(refused.reset).toBe(Math.ceil((4 * QUARTER_MS - 4000) / 1000));
    expect(consume(window, small, 5000).allowed).toBe(false);
  });

  it('a limit of 0 is off', () => {
    const off = { perSecond: 0, perHour: 0 };
    const window = newWindow(off, 0);
    for (let i = 0; i < 1000; i++) expect(consume(window, off, 0).allowed).toBe(true);
  });

  it('the memory store keeps one window per key', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryRateLimitStore(clock);
    const tight = { perSecond: 1, perHour: 0 };
    expect((await store.hit('a', tight)).allowed).toBe(true);
    clock.advance(10);
    expect((await store.hit('a', tight)).allowed).toBe(false);
    expect((await store.hit('b', tight)).allowed).toBe(true);
  });
});
