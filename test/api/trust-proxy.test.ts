import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** One token per second and one per hour: a second request in the same bucket is refused, whatever the timing. */
const LIMITS = { RATE_LIMIT_CMA_PER_SECOND: '1', RATE_LIMIT_CMA_PER_HOUR: '1' };

/** A token-less management request, as if forwarded by a proxy for `client`. */
async function anonymous(baseUrl: string, client: string) {
  const response = await fetch(`${baseUrl}/users/me`, { headers: { 'x-forwarded-for': client } });
  return { status: response.status, id: ((await response.json()) as { sys: { id: string } }).sys.id };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(LIMITS);
});
afterAll(async () => {
  await server?.close();
});

/** Another app with TRUST_PROXY set, on the test server's database; its rate-limit counters are its own. */
async function withTrustProxy(trustProxy: string, work: (baseUrl: string) => Promise<void>) {
  const config = loadConfig({ ...LIMITS, DATA_DIR: server.config.dataDir, PORT: '0', LOG_LEVEL: 'silent', TRUST_PROXY: trustProxy });
  const app = await buildApp({ config, database: server.database, logger: pino({ level: 'silent' }) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    await work(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  } finally {
    await app.close();
  }
}
const UNAUTHENTICATED = { status: 401, id: 'AccessTokenInvalid' };
const LIMITED = { status: 429, id: 'RateLimitExceeded' };

describe('TRUST_PROXY: token-less clients behind a proxy are rate-limited by their forwarded address', () => {
  it('with TRUST_PROXY=true each X-Forwarded-For client has its own bucket', async () => {
    await withTrustProxy('true', async (baseUrl) => {
      expect(await anonymous(baseUrl, '203.0.113.1')).toEqual(UNAUTHENTICATED);
      expect(await anonymous(baseUrl, '203.0.113.2')).toEqual(UNAUTHENTICATED);
      // The same forwarded client again: its own bucket is spent.
      expect(await anonymous(baseUrl, '203.0.113.1')).toEqual(LIMITED);
    });
  });

  it('with TRUST_PROXY as a list of proxy addresses the forwarded address counts when the peer is one of them', async () => {
    await withTrustProxy('10.0.0.0/8, 127.0.0.1', async (baseUrl) => {
      expect(await anonymous(baseUrl, '203.0.113.1')).toEqual(UNAUTHENTICATED);
      expect(await anonymous(baseUrl, '203.0.113.2')).toEqual(UNAUTHENTICATED);
    });
  });

  it('with TRUST_PROXY as a hop count the forwarded address that many hops out counts', async () => {
    await withTrustProxy('1', async (baseUrl) => {
      // One trusted hop (the peer): the client is the last X-Forwarded-For entry; earlier ones are not believed.
      expect(await anonymous(baseUrl, '198.51.100.7, 203.0.113.1')).toEqual(UNAUTHENTICATED);
      expect(await anonymous(baseUrl, '198.51.100.8, 203.0.113.2')).toEqual(UNAUTHENTICATED);
      expect(await anonymous(baseUrl, '198.51.100.9, 203.0.113.1')).toEqual(LIMITED);
    });
  });

  it('without TRUST_PROXY X-Forwarded-For is ignored: every client of the proxy shares one bucket', async () => {
    // The test server itself runs without TRUST_PROXY.
    expect(server.config.trustProxy).toBe(false);
    expect(await anonymous(server.baseUrl, '203.0.113.1')).toEqual(UNAUTHENTICATED);
    expect(await anonymous(server.baseUrl, '203.0.113.2')).toEqual(LIMITED);
  });

  it('a peer outside the trusted list cannot choose its bucket with X-Forwarded-For', async () => {
    await withTrustProxy('10.0.0.1', async (baseUrl) => {
      expect(await anonymous(baseUrl, '203.0.113.1')).toEqual(UNAUTHENTICATED);
      expect(await anonymous(baseUrl, '203.0.113.2')).toEqual(LIMITED);
    });
  });
});
