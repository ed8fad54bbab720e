import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { sql } from 'kysely';
import { createClient, type PlainClientAPI } from 'contentful-management';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { openPostgres, type Database } from '../../src/db/connection.js';
import { expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { ADMIN_TOKEN } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Background work runs once per item on a cluster, whichever process takes it: environment copies two
 * processes resume at once (each waiting with a copy in hand until both are), and expired uploads two
 * server instances sweep at the same moment. Webhook
 * calls (concurrent-writers.test.ts) and scheduled actions (scheduled-actions.test.ts) are proven in
 * their own files.
 */

const ENTRIES = 50;
const QUEUED_COPIES = 6;
const UPLOADS = 20;

let testDb: TestDatabase;
let spaceId: string;

const hostOf = (baseUrl: string) => baseUrl.replace('http://', '');
const management = (baseUrl: string): PlainClientAPI =>
  createClient(
    { accessToken: ADMIN_TOKEN, host: hostOf(baseUrl), hostUpload: hostOf(baseUrl), insecure: true, retryOnError: false },
    { type: 'plain' },
  );

beforeAll(async () => {
  testDb = await createTestDatabase();
  const setup = await startServerProcess(testDb.url!);
  const cma = management(setup.baseUrl);
  spaceId = (await cma.space.create({}, { name: 'Background work' })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const type = await cma.contentType.createWithId(
    { ...env, contentTypeId: 'note' },
    {
      name: 'Note',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: false, required: false }],
    },
  );
  await cma.contentType.publish({ ...env, contentTypeId: 'note' }, type);
  for (let i = 0; i < ENTRIES; i++)
    await cma.entry.createWithId({ ...env, entryId: `note${i}`, contentTypeId: 'note' }, { fields: { title: { 'en-US': `Note ${i}` } } });
  await setup.stop();
}, 120_000);

afterAll(async () => {
  await testDb?.drop();
});

describe('environment copies on two processes', () => {
  let servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('copies each environment left queued exactly once when both resume at start-up', { timeout: 120_000 }, async () => {
    const { db } = testDb.database;
    // Counts every entry row written outside master, rolled back or not (a sequence ignores transactions).
    await sql`create sequence copied_entry_rows`.execute(db);
    await sql`create function count_copied_entry_row() returns trigger language plpgsql as $$
      begin perform nextval('copied_entry_rows'); return null; end $$`.execute(db);
    await sql`create trigger count_copied_entry_rows after insert on entries for each row
      when (new.environment_id <> 'master') execute function count_copied_entry_row()`.execute(db);
    const ids = Array.from({ length: QUEUED_COPIES }, (_, i) => `copy${i}`);
    // What a process that stopped right after accepting these copies leaves behind.
    await db
      .insertInto('environments')
      .values(
        ids.map((id) => ({
          space_id: spaceId,
          id,
          name: id,
          status: 'queued' as const,
          source_environment_id: 'master',
          created_by: null,
          updated_by: null,
          created_at: new Date(),
          updated_at: new Date(),
        })),
      )
      .execute();

    // Held while both processes start: each takes a copy and waits here, so both work on the copies at once.
    const holder = new pg.Client({ connectionString: testDb.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table environments in exclusive mode');
    servers = await Promise.all([startServerProcess(testDb.url!), startServerProcess(testDb.url!)]);
    await waitFor('a copy of each process to wait for the environment rows', async () => {
      const { rows } = await sql<{ waiting: number }>`select count(distinct pid)::int as waiting from pg_locks
        where not granted and relation = 'environments'::regclass`.execute(db);
      return rows[0]!.waiting === 2;
    });
    await holder.query('commit');
    await holder.end();
    await waitFor(
      `${QUEUED_COPIES} copies to be ready`,
      async () => {
        const rows = await db.selectFrom('environments').select('status').where('space_id', '=', spaceId).where('id', 'in', ids).execute();
        return rows.every((r) => r.status === 'ready');
      },
      60_000,
    );
    const { rows } = await sql<{
      written: number;
    }>`select case when is_called then last_value else 0 end::int as written from copied_entry_rows`.execute(db);
    expect(rows).toEqual([{ written: QUEUED_COPIES * ENTRIES }]);
    const counts = await db
      .selectFrom('entries')
      .select(['environment_id', db.fn.countAll<number>().as('entries')])
      .where('space_id', '=', spaceId)
      .groupBy('environment_id')
      .orderBy('environment_id')
      .execute();
    expect(counts).toEqual([...ids, 'master'].map((environment_id) => ({ environment_id, entries: ENTRIES })));
    const failures = servers.flatMap((s) => s.logs.filter((l) => l.level !== undefined && (l.level as number) >= 50));
    expect(failures).toEqual([]);
  });
});

describe('upload sweeping on two server instances', () => {
  /** A server as a process runs it, in this process: its own pool, the cluster's shared files directory. */
  async function startInstance(dataDir: string) {
    const database: Database = await openPostgres(testDb.url!, { maxConnections: 5 });
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_CMA_PER_SECOND: '0',
      RATE_LIMIT_CMA_PER_HOUR: '0',
      RATE_LIMIT_CDA_PER_SECOND: '0',
      LOG_LEVEL: 'silent',
    });
    // A clock that stands still: the sweep runs when the test says, on both instances at the same moment.
    const app = await buildApp({ config, database, logger: pino({ level: 'silent' }), clock: new ManualClock() });
    await bootstrap(database, app.services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, database, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
  }
  let dataDir: string;
  let instances: { app: FastifyInstance; database: Database; baseUrl: string }[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-cluster-'));
    instances = [await startInstance(dataDir), await startInstance(dataDir)];
  });
  afterAll(async () => {
    for (const { app, database } of instances) {
      await app.close();
      await database.close();
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('removes each expired upload once, whichever instance sweeps it', async () => {
    const clients = instances.map((i) => management(i.baseUrl));
    const uploads = [];
    for (let i = 0; i < UPLOADS; i++)
      uploads.push(await clients[i % 2].upload.create({ spaceId }, { file: Buffer.from(`upload ${i}`) as never }));
    const { db } = testDb.database;
    await db
      .updateTable('uploads')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('space_id', '=', spaceId)
      .execute();

    const swept = await Promise.all(instances.map((i) => i.app.services.uploads.sweepExpired()));
    expect(swept[0] + swept[1]).toBe(UPLOADS);
    expect(await db.selectFrom('uploads').select('id').where('space_id', '=', spaceId).execute()).toEqual([]);
    for (const [i, upload] of uploads.entries())
      await expectSdkError(clients[(i + 1) % 2].upload.get({ spaceId, uploadId: upload.sys.id }), 404, 'NotFound');
    const files = await fs.readdir(path.join(dataDir, 'files'), { recursive: true, withFileTypes: true });
    expect(files.filter((f) => f.isFile()).map((f) => f.name)).toEqual([]);
    expect(await Promise.all(instances.map((i) => i.app.services.uploads.sweepExpired()))).toEqual([0, 0]);
  });
});
