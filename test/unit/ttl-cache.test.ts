import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../src/cache/ttl-cache.js';

afterEach(() => vi.useRealTimers());

describe('TtlCache', () => {
  it('shares one load per key until the time to live is over, then loads again', async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<number>(1000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    vi.advanceTimersByTime(999);
    expect(await cache.get('a', load)).toBe(1);
    vi.advanceTimersByTime(2);
    expect(await cache.get('a', load)).toBe(2);
    cache.clear();
    expect(await cache.get('a', load)).toBe(3);
  });

  it('forgets failed loads, evicts the oldest key when full, and caches nothing with a zero lifetime', async () => {
    const cache = new TtlCache<string>(10_000, { maxEntries: 2 });
    await expect(cache.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('x', async () => 'up')).toBe('up');
    await cache.get('y', async () => 'y1');
    await cache.get('z', async () => 'z1');
    expect(await cache.get('x', async () => 'reloaded')).toBe('reloaded');
    const off = new TtlCache<number>(0);
    let n = 0;
    await off.get('k', async () => ++n);
    expect(await off.get('k', async () => ++n)).toBe(2);
  });

  it('keeps the total weight of finished loads under its bound, dropping the oldest first', async () => {
    const cache = new TtlCache<string>(10_000, { maxWeight: 10, weigh: (v) => v.length });
    let loads = 0;
    const load = (value: string) => async () => {
      loads++;
      return value;
    };
    await cache.get('a', load('aaaa'));
    await cache.get('b', load('bbbb'));
    await cache.get('c', load('cccc'));
    expect(loads).toBe(3);
    expect(await cache.get('c', load('new c'))).toBe('cccc');
    expect(await cache.get('b', load('new b'))).toBe('bbbb');
    expect(await cache.get('a', load('new a'))).toBe('new a');
    expect(await cache.get('huge', load('x'.repeat(11)))).toBe('x'.repeat(11));
    expect(await cache.get('huge', load('again'))).toBe('again');
  });

  it('does not keep a load that was in flight when it was cleared', async () => {
    const cache = new TtlCache<string>(10_000);
    let release!: (value: string) => void;
    const pending = cache.get('k', () => new Promise((resolve) => (release = resolve)));
    cache.clear();
    release('stale');
    expect(await pending).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });
});
