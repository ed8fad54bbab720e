import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createClient } from 'contentful';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { hashToken } from '../../src/auth/token-secrets.js';
import { loadConfig } from '../../src/config.js';
import type { RateLimitStore } from '../../src/ratelimit/store.js';
import { type FallbackRateLimitStore, openSharedRateLimitStore } from '../../src/ratelimit/fallback-store.js';
import { expectErrorResponse, expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { deleteRedisKeys, startRedisRelay, TEST_REDIS_URL, type RedisRelay } from '../helpers/redis.js';
import { freePort, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** The prefix the server puts before its rate-limit keys in Redis. */
const SERVER_KEY_PREFIX = 'selfhosted-contentful:ratelimit:';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis?.quit();
});

/** An admin token of this run only, so that its counters in Redis are this run's. */
const runToken = () => `CFPAT-redis-${randomBytes(16).toString('hex')}`;

/** A log that the test reads: one parsed pino line per entry. */
function capturedLog() {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream, logger: pino({ level: 'info' }, stream) };
}

/** A second server process on `server`'s database and files, with its own Fastify, configuration and rate-limit store. */
async function secondApp(server: TestServer, env: Record<string, string>, rateLimitStore?: RateLimitStore) {
  const config = loadConfig({ DATA_DIR: server.config.dataDir, PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, database: server.database, logger: pino({ level: 'silent' }), rateLimitStore });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const usersMe = (baseUrl: string, token: string) => fetch(`${baseUrl}/users/me`, { headers: { authorization: `Bearer ${token}` } });

const hourHeaders = (response: Response) => ({
  status: response.status,
  limit: response.headers.get('x-contentful-ratelimit-hour-limit'),
  remaining: response.headers.get('x-contentful-ratelimit-hour-remaining'),
});

describe('REDIS_URL: one rate limit for every server process', () => {
  const token = runToken();
  const email = `${randomBytes(8).toString('hex')}@example.com`;
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    RATE_LIMIT_CMA_PER_SECOND: '0',
    RATE_LIMIT_CMA_PER_HOUR: '5',
    // Per email address only: the address (127.0.0.1) would be every test run's.
    RATE_LIMIT_SIGN_IN_PER_HOUR: '2',
    RATE_LIMIT_SIGN_IN_ADDRESS_PER_HOUR: '0',
    BOOTSTRAP_ADMIN_TOKEN: token,
  };
  let server: TestServer;
  let second: { app: FastifyInstance; baseUrl: string };

  beforeAll(async () => {
    server = await startTestServer(env);
    second = await secondApp(server, env);
  });
  afterAll(async () => {
    await second?.app.close();
    await server?.close();
    await redis.del(`${SERVER_KEY_PREFIX}cma:${hashToken(token)}`, `${SERVER_KEY_PREFIX}sign-in-email:${hashToken(email)}`);
  });

  it('counts the CMA requests through both processes against one hourly limit and refuses the rest with 429 in both', async () => {
    // The hourly buckets do not refill within a test, whatever the machine's speed.
    const passed = [];
    for (const baseUrl of [server.baseUrl, second.baseUrl, server.baseUrl, second.baseUrl, server.baseUrl]) {
      passed.push(hourHeaders(await usersMe(baseUrl, token)));
    }
    expect(passed).toEqual([4, 3, 2, 1, 0].map((remaining) => ({ status: 200, limit: '5', remaining: String(remaining) })));

    await expectSdkError(server.plainClient(token).user.getCurrent({}), 429, 'RateLimitExceeded');
    for (const baseUrl of [second.baseUrl, server.baseUrl]) {
      const refused = await usersMe(baseUrl, token);
      expect(hourHeaders(refused)).toEqual({ status: 429, limit: '5', remaining: '0' });
      expect(refused.headers.get('x-contentful-ratelimit-second-limit')).toBe('0');
      // The hour frees up when the quarter of the first request leaves it: at most an hour away.
      const reset = Number(refused.headers.get('x-contentful-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(3600);
      const body = await expectErrorResponse(refused, 429, 'RateLimitExceeded');
      expect(body.message).toContain('rate limit');
    }
  });

  it('counts the web app sign-in attempts for one email address through both processes together', async () => {
    const signIn = (baseUrl: string) =>
      fetch(`${baseUrl}/app/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'not the password' }),
      });
    await expectErrorResponse(await signIn(server.baseUrl), 401, 'InvalidCredentials');
    await expectErrorResponse(await signIn(second.baseUrl), 401, 'InvalidCredentials');
    for (const baseUrl of [server.baseUrl, second.baseUrl]) {
      const refused = await signIn(baseUrl);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await expectErrorResponse(refused, 429, 'RateLimitExceeded');
    }
  });
});

describe('the CDA per-second limit shared through Redis (counters on a manual clock)', () => {
  const clock = new ManualClock();
  const keyPrefix = `test:ratelimit:${randomBytes(6).toString('hex')}:`;
  const env = { RATE_LIMIT_CDA_PER_SECOND: '2' };
  let stores: FallbackRateLimitStore[] = [];
  let server: TestServer;
  let second: { app: FastifyInstance; baseUrl: string };

  beforeAll(async () => {
    stores = [0, 1].map(() => openSharedRateLimitStore({ redisUrl: TEST_REDIS_URL, logger: pino({ level: 'silent' }), keyPrefix, clock }));
    await Promise.all(stores.map((store) => store.connected()));
    server = await startTestServer(env, { rateLimitStore: stores[0] });
    second = await secondApp(server, env, stores[1]);
  });
  afterAll(async () => {
    await second?.app.close();
    await server?.close();
    await deleteRedisKeys(redis, keyPrefix);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('lets two requests a second through the two processes together and refuses the third with Reset 1', async () => {
    const spaceId = (await server.plainClient().space.create({}, { name: 'Shared limit' })).sys.id;
    const { accessToken } = await server.plainClient().apiKey.create({ spaceId }, { name: 'k' } as never);
    const entries = (baseUrl: string) => fetch(`${baseUrl}/cdn/spaces/${spaceId}/entries?access_token=${accessToken}`);
    const [a, b] = [await entries(server.baseUrl), await entries(second.baseUrl)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a, b].map((r) => r.headers.get('x-contentful-ratelimit-second-remaining'))).toEqual(['1', '0']);

    const refused = await entries(server.baseUrl);
    expect(refused.headers.get('x-contentful-ratelimit-reset')).toBe('1');
    expect(refused.headers.get('x-contentful-ratelimit-second-limit')).toBe('2');
    await expectErrorResponse(refused, 429, 'RateLimitExceeded');
    const cda = createClient({
      space: spaceId,
      accessToken,
      host: second.baseUrl.slice('http://'.length),
      basePath: '/cdn',
      insecure: true,
      retryOnError: false,
    } as never);
    await expectSdkError(cda.getEntries(), 429, 'RateLimitExceeded');

    clock.advance(1000);
    expect((await entries(second.baseUrl)).status).toBe(200);
  });
});

describe('Redis unavailable: each process limits on its own, and nothing fails', () => {
  it('with REDIS_URL on a closed port answers as the memory limiter does and warns once', async () => {
    const log = capturedLog();
    const token = runToken();
    const server = await startTestServer(
      {
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        RATE_LIMIT_CMA_PER_SECOND: '0',
        RATE_LIMIT_CMA_PER_HOUR: '2',
        BOOTSTRAP_ADMIN_TOKEN: token,
        LOG_LEVEL: 'info',
      },
      { logStream: log.stream },
    );
    try {
      expect((await server.plainClient(token).user.getCurrent({})).sys.id).toBe(server.adminUserId);
      expect(hourHeaders(await usersMe(server.baseUrl, token))).toEqual({ status: 200, limit: '2', remaining: '0' });
      await expectErrorResponse(await usersMe(server.baseUrl, token), 429, 'RateLimitExceeded');
      const warnings = log.lines.filter((line) => line.msg.startsWith('Redis unavailable'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, err: { message: expect.stringContaining('ECONNREFUSED') } });
    } finally {
      await server.close();
    }
  });

  describe('Redis going away, hanging and coming back', () => {
    const token = runToken();
    const log = capturedLog();
    let relay: RedisRelay;
    let server: TestServer;
    const redisState = () =>
      log.lines.filter((line) => line.msg.startsWith('Redis')).map((line) => `${line.level} ${line.msg.split(':')[0]}`);
    const remaining = async () => hourHeaders(await usersMe(server.baseUrl, token)).remaining;

    beforeAll(async () => {
      relay = await startRedisRelay(await freePort());
      server = await startTestServer(
        {
          REDIS_URL: relay.url,
          RATE_LIMIT_CMA_PER_SECOND: '0',
          RATE_LIMIT_CMA_PER_HOUR: '1000',
          BOOTSTRAP_ADMIN_TOKEN: token,
          LOG_LEVEL: 'info',
        },
        { logStream: log.stream },
      );
    });
    afterAll(async () => {
      await server?.close();
      await relay?.stop();
      await redis.del(`${SERVER_KEY_PREFIX}cma:${hashToken(token)}`);
    });

    it('counts in memory while Redis is down, logs it once, and counts in Redis again once it is back', async () => {
      expect(await remaining()).toBe('999');
      expect(await redis.exists(`${SERVER_KEY_PREFIX}cma:${hashToken(token)}`)).toBe(1);

      await relay.stop();
      await waitFor('the warning that Redis is down', () => redisState().length === 1);
      // The process's own counters start afresh.
      expect([await remaining(), await remaining()]).toEqual(['999', '998']);

      await relay.start();
      await waitFor('the note that Redis is back', () => redisState().length === 2);
      // Redis kept the count from before the outage.
      expect(await remaining()).toBe('998');
      expect(redisState()).toEqual(['40 Redis unavailable', '30 Redis available again']);
    });

    it('answers without waiting on a Redis that stops answering, and shares the limit again once it answers', async () => {
      relay.holdReplies();
      // The first request waits out the command timeout; the ones after it do not try Redis for a while.
      expect((await usersMe(server.baseUrl, token)).status).toBe(200);
      expect(redisState()).toHaveLength(3);
      expect(redisState()[2]).toBe('40 Redis unavailable');
      expect((await usersMe(server.baseUrl, token)).status).toBe(200);

      relay.releaseReplies();
      // Requests go to Redis again a moment after the failure.
      await waitFor(
        'the limit shared again',
        async () => (await usersMe(server.baseUrl, token)).status === 200 && redisState().length === 4,
      );
      expect(redisState()[3]).toBe('30 Redis available again');
    });
  });
});
