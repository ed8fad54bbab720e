import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createClient, type PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

/**
 * The server as an operator runs it (its own process, on PostgreSQL) while its database connections are
 * terminated and while the database refuses connections: it answers 503 in Contentful's shape, never
 * crashes, recovers by itself, loses no acknowledged write, and its webhook worker resumes.
 */

const MANAGEMENT_JSON = 'application/vnd.contentful.management.v1+json';
let testDb: TestDatabase;
let admin: pg.Client;
let server: ServerProcess;
let client: PlainClientAPI;
let spaceId: string;
let receiver: http.Server;
const receivedCreates = new Set<string>();

const terminateBackends = () =>
  admin.query('select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
    testDb.name,
  ]);
const setAcceptingConnections = (accepting: boolean) => admin.query(`alter database ${testDb.name} with allow_connections ${accepting}`);

function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': MANAGEMENT_JSON, ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    // A request during an outage is answered, never left hanging.
    signal: AbortSignal.timeout(15_000),
  });
}

/** A 503 in Contentful's error shape. */
async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  const body = await response.json();
  expect(body.sys).toEqual({ type: 'Error', id: 'ServiceUnavailable' });
  expect(typeof body.requestId).toBe('string');
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      receivedCreates.add((JSON.parse(body) as { sys: { id: string } }).sys.id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  server = await startServerProcess(testDb.url!, {
    DATABASE_CONNECT_TIMEOUT_MS: '2000',
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_LEASE_MS: '2000',
  });
  client = createClient(
    { accessToken: ADMIN_TOKEN, host: server.baseUrl.replace('http://', ''), insecure: true, retryOnError: false },
    { type: 'plain' },
  );
  spaceId = (await client.space.create({}, { name: 'Faults' })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const ct = await client.contentType.createWithId({ ...env, contentTypeId: 'note' }, {
    name: 'Note',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: false }],
  } as never);
  await client.contentType.publish({ ...env, contentTypeId: 'note' }, ct);
  await client.webhook.create({ spaceId }, {
    name: 'creates',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/created`,
    topics: ['Entry.create'],
  } as never);
}, 120_000);

afterAll(async () => {
  if (testDb.name) await setAcceptingConnections(true).catch(() => undefined);
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await admin?.end();
  await testDb?.drop();
});

describe('a database connection loss', () => {
  it('answers 503 or succeeds while backends are terminated, and keeps every acknowledged write', async () => {
    const acknowledged = new Map<string, number>();
    let unavailable = 0;
    const entryPath = (id: string) => `/spaces/${spaceId}/environments/master/entries/${id}`;
    const outcome = async (response: Response, onSuccess: () => void) => {
      if (response.status === 503) {
        unavailable++;
        return expectUnavailable(response);
      }
      expect([200, 201]).toContain(response.status);
      onSuccess();
      await response.arrayBuffer();
    };
    for (let round = 0; round < 24; round++) {
      const writes = Array.from({ length: 4 }, async (_, writer) => {
        const id = `e-${writer}-${round}`;
        const created = await call('PUT', entryPath(id), {
          body: { fields: { title: { 'en-US': `t${round}` } } },
          headers: { 'x-contentful-content-type': 'note' },
        });
        await outcome(created, () => acknowledged.set(id, 1));
        if (!acknowledged.has(id)) return;
        const updated = await call('PUT', entryPath(id), {
          body: { fields: { title: { 'en-US': `u${round}` } } },
          headers: { 'x-contentful-version': '1' },
        });
        await outcome(updated, () => acknowledged.set(id, 2));
      });
      const reads = Array.from({ length: 2 }, async () =>
        outcome(await call('GET', `/spaces/${spaceId}/environments/master/entries?limit=5`), () => undefined),
      );
      await Promise.all([...writes, ...reads, round % 3 === 1 ? terminateBackends() : undefined]);
      expect(server.exitCode()).toBeNull();
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    await waitFor('the server to be ready', async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200);
    const rows = await testDb.database.db.selectFrom('entries').select(['id', 'version']).where('space_id', '=', spaceId).execute();
    const stored = new Map(rows.map((r) => [r.id, r.version]));
    for (const [id, version] of acknowledged) expect(stored.get(id), id).toBeGreaterThanOrEqual(version);
    expect(server.exitCode()).toBeNull();
    // Terminations reached queries in flight (about 45 of 144 writes and 48 reads here), not only idle connections.
    expect(unavailable).toBeGreaterThan(0);
  });

  it('answers 503 while the database refuses connections, reports not ready, and recovers by itself', async () => {
    await setAcceptingConnections(false);
    await terminateBackends();
    await expectUnavailable(await call('GET', `/spaces/${spaceId}/environments/master/entries`));
    const refused = await call('PUT', `/spaces/${spaceId}/environments/master/entries/during-outage`, {
      body: { fields: {} },
      headers: { 'x-contentful-content-type': 'note' },
    });
    await expectUnavailable(refused);
    const notReady = await fetch(`${server.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', database: 'postgres' });
    expect(server.exitCode()).toBeNull();

    await setAcceptingConnections(true);
    await waitFor('the server to be ready again', async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200, 20_000);
    const after = await client.entry.createWithId(
      { spaceId, environmentId: 'master', entryId: 'after-outage', contentTypeId: 'note' },
      { fields: { title: { 'en-US': 'back' } } },
    );
    expect(after.sys.version).toBe(1);
    const missing = await call('GET', `/spaces/${spaceId}/environments/master/entries/during-outage`);
    expect(missing.status).toBe(404);
  });

  it('delivers a webhook call for every entry created, through the outages', async () => {
    const created = await testDb.database.db
      .selectFrom('events')
      .select('entity_id')
      .where('space_id', '=', spaceId)
      .where('topic', '=', 'ContentManagement.Entry.create')
      .execute();
    expect(created.length).toBeGreaterThan(0);
    await waitFor(`${created.length} webhook calls`, () => created.every((e) => receivedCreates.has(e.entity_id)), 30_000);
    expect(server.exitCode()).toBeNull();
    // The worker said once per outage that it waits, and that it resumed.
    const said = (msg: string) => server.logs.filter((l) => l.msg === msg).length;
    expect(said('webhook worker resumed: the database answers again')).toBeGreaterThanOrEqual(1);
    expect(said('webhook worker waits for the database')).toBe(said('webhook worker resumed: the database answers again'));
  });
});

/** A fresh database that refuses connections until `accept()`, dropped after `work`. */
async function withRefusingDatabase(work: (url: string, accept: () => Promise<unknown>) => Promise<void>) {
  const fresh = await createTestDatabase();
  const accept = () => admin.query(`alter database ${fresh.name} with allow_connections true`);
  try {
    await fresh.database.close();
    await admin.query(`alter database ${fresh.name} with allow_connections false`);
    await work(fresh.url!, accept);
  } finally {
    await accept();
    await fresh.drop();
  }
}

describe('start-up', () => {
  it('waits for a database that refuses connections, logging each attempt, then starts', () =>
    withRefusingDatabase(async (url, accept) => {
      const waiting = await startServerProcess(url, { DATABASE_STARTUP_TIMEOUT_MS: '60000' }, { waitForListening: false });
      try {
        await waitFor('a second attempt', () => waiting.logs.some((l) => String(l.msg).includes('(migrate, attempt 2)')));
        expect(waiting.exitCode()).toBeNull();
        await accept();
        await waiting.listening();
        expect((await fetch(`${waiting.baseUrl}/readyz`)).status).toBe(200);
      } finally {
        await waiting.stop();
      }
    }));

  it('exits with an error once DATABASE_STARTUP_TIMEOUT_MS has passed', () =>
    withRefusingDatabase(async (url) => {
      const giving = await startServerProcess(url, { DATABASE_STARTUP_TIMEOUT_MS: '2000' }, { waitForListening: false });
      expect(await giving.exited).toBe(1);
      expect(giving.logs.some((l) => l.level === 40 && String(l.msg).includes('the database is not available (migrate, attempt 1)'))).toBe(
        true,
      );
      await giving.stop();
    }));
});
