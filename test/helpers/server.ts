import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createClient, type PlainClientAPI, type ClientAPI } from 'contentful-management';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import type { RateLimitStore } from '../../src/ratelimit/store.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

export const ADMIN_TOKEN = 'CFPAT-test-admin-token-000000000000000000000';

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  /** `127.0.0.1:PORT`, the form the official clients take as `host`. */
  host: string;
  baseUrl: string;
  adminToken: string;
  adminUserId: string;
  organizationId: string;
  /** The plain `contentful-management` client, acting as the bootstrap admin unless given a token. */
  plainClient(token?: string, options?: Record<string, unknown>): PlainClientAPI;
  /** The legacy (chained) `contentful-management` client. */
  legacyClient(token?: string, options?: Record<string, unknown>): ClientAPI;
  /** fetch() against the server with the admin token unless headers say otherwise. */
  request(method: string, urlPath: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
  /** Stops this server (as a process that goes down) and starts a new one on the same database and files. */
  restart(): Promise<TestServer>;
}

export interface TestServerOptions {
  /** Where the server's pino log lines go (one JSON object a line); by default pino's stdout, at TEST_LOG_LEVEL or silent. */
  logStream?: pino.DestinationStream;
  /** The rate-limit counters, e.g. a MemoryRateLimitStore on a test's manual clock. */
  rateLimitStore?: RateLimitStore;
  /** The scheduler's clock, e.g. a ManualClock. */
  clock?: Clock;
}

/** Starts a real listening server on an ephemeral port, over a database of its own. */
/** A port known before listening, so PUBLIC_URL (and the URLs of processed files) can name the real address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    RATE_LIMIT_CMA_PER_SECOND: '0',
    RATE_LIMIT_CMA_PER_HOUR: '0',
    RATE_LIMIT_CDA_PER_SECOND: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const { database, drop } = await createTestDatabase({ migrated: true });
  return startOn({ config, database, drop, dataDir }, options);
}

async function startOn(
  { config, database, drop, dataDir }: { config: Config; database: Database; drop: () => Promise<void>; dataDir: string },
  options: TestServerOptions,
): Promise<TestServer> {
  const logger = options.logStream ? pino({ level: config.logLevel }, options.logStream) : pino({ level: config.logLevel });
  const app = await buildApp({ config, database, logger, rateLimitStore: options.rateLimitStore, clock: options.clock });
  const boot = await bootstrap(database, app.services);
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const baseUrl = `http://${host}`;
  const clientParams = (token: string, options: Record<string, unknown>) => ({
    accessToken: token,
    host,
    hostUpload: host,
    insecure: true,
    retryOnError: false,
    ...options,
  });
  // A test is over: connections a client left open (one that never sent a request counts as busy, not
  // idle, for Node) must not hold the shutdown until their header timeout.
  const stop = async () => {
    const closing = app.close();
    app.server.closeAllConnections();
    await closing;
  };
  return {
    app,
    services: app.services,
    database,
    config,
    host,
    baseUrl,
    adminToken: ADMIN_TOKEN,
    adminUserId: boot.userId,
    organizationId: boot.organizationId,
    plainClient: (token = ADMIN_TOKEN, options = {}) => createClient(clientParams(token, options), { type: 'plain' }),
    legacyClient: (token = ADMIN_TOKEN, options = {}) => createClient(clientParams(token, options), { type: 'legacy' }),
    request: (method, urlPath, init = {}) =>
      fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.body !== undefined ? { 'content-type': 'application/vnd.contentful.management.v1+json' } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      }),
    async close() {
      await stop();
      await drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      return startOn({ config, database, drop, dataDir }, options);
    },
  };
}
