import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
/** The limiter's time: it stands still unless a test moves it, so a slow machine never refills a window. */
const clock = new ManualClock();

beforeAll(async () => {
  server = await startTestServer(
    { RATE_LIMIT_CMA_PER_SECOND: '3', RATE_LIMIT_CMA_PER_HOUR: '1000' },
    { rateLimitStore: new MemoryRateLimitStore(clock) },
  );
});
afterAll(async () => {
  await server?.close();
});

describe('management API rate limits', () => {
  it('sends the rate-limit headers and answers 429 with Reset once the per-second limit is spent', async () => {
    const client = server.plainClient(undefined, {
      rawResponse: false,
    });
    const responses = await Promise.all(Array.from({ length: 3 }, () => server.request('GET', '/users/me')));
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(r.headers.get('x-contentful-ratelimit-second-limit')).toBe('3');
      expect(r.headers.get('x-contentful-ratelimit-hour-limit')).toBe('1000');
      expect(r.headers.get('x-contentful-ratelimit-reset')).toBe('0');
    }
    const remaining = responses.map((r) => Number(r.headers.get('x-contentful-ratelimit-second-remaining'))).sort();
    expect(remaining).toEqual([0, 1, 2]);
    expect(responses.map((r) => Number(r.headers.get('x-contentful-ratelimit-hour-remaining'))).sort()).toEqual([997, 998, 999]);

    const error = await expectSdkError(client.user.getCurrent({}), 429, 'RateLimitExceeded');
    expect(error.message).toContain('rate limit');
    const refused = await server.request('GET', '/users/me');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-contentful-ratelimit-reset')).toBe('1');
    expect((await refused.json()).sys.id).toBe('RateLimitExceeded');

    clock.advance(1000);
    expect((await server.request('GET', '/users/me')).status).toBe(200);
  });

  it('the official client retries after the Reset delay when retries are on', async () => {
    clock.advance(1000);
    // The client waits out the Reset of each refused request (in real time) and warns first: the limiter's
    // second passes then.
    const client = server.plainClient(undefined, {
      retryOnError: true,
      logHandler: (level: string) => level === 'warning' && clock.advance(1000),
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.user.getCurrent({})));
    expect(results.every((u) => u.sys.id === server.adminUserId)).toBe(true);
  });
});

describe('delivery API rate limit (per second only)', () => {
  it('sends the per-second headers and answers 429 with Reset 1', async () => {
    const cdaServer = await startTestServer(
      { RATE_LIMIT_CDA_PER_SECOND: '2' },
      { rateLimitStore: new MemoryRateLimitStore(new ManualClock()) },
    );
    try {
      const spaceId = (await cdaServer.plainClient().space.create({}, { name: 'Limited' })).sys.id;
      const key = await cdaServer.plainClient().apiKey.create({ spaceId }, { name: 'k' } as never);
      const get = () => fetch(`${cdaServer.baseUrl}/cdn/spaces/${spaceId}/entries?access_token=${key.accessToken}`);
      const [a, b] = [await get(), await get()];
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.headers.get('x-contentful-ratelimit-second-limit')).toBe('2');
      expect(a.headers.get('x-contentful-ratelimit-hour-limit')).toBeNull();
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-contentful-ratelimit-reset')).toBe('1');
      expect((await refused.json()).sys.id).toBe('RateLimitExceeded');
    } finally {
      await cdaServer.close();
    }
  });
});
