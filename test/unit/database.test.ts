import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { versionLockedUpdate } from '../../src/db/versioned.js';
import type { ApiError } from '../../src/domain/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await migrate(testDb.database);
});
afterAll(async () => {
  await testDb?.drop();
});

describe('database layer', () => {
  it('migrations are idempotent', async () => {
    expect(await migrate(testDb.database)).toEqual([]);
  });

  it('on PostgreSQL, parameterized queries run as statements prepared once per connection', async () => {
    const db = testDb.database.db;
    const prepared = await db.connection().execute(async (conn) => {
      for (const n of [1, 2, 3]) expect((await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(conn)).rows[0].n).toBe(n + 1);
      return (
        await sql<{ name: string }>`select name from pg_prepared_statements where statement = ${'select $1::int + 1 as n'}`.execute(conn)
      ).rows;
    });
    expect(prepared.length).toBe(testDb.database.kind === 'postgres' ? 1 : 0);
  });

  it('a table changed under a prepared statement (a migration) is prepared again', async () => {
    const db = testDb.database.db;
    await sql`create table shapes (id text primary key)`.execute(db);
    await sql`insert into shapes values ('a')`.execute(db);
    const read = async () => (await sql`select * from shapes where id = ${'a'}`.execute(db)).rows;
    await Promise.all([read(), read(), read()]);
    await sql`alter table shapes add column size integer not null default 1`.execute(db);
    expect(await Promise.all([read(), read(), read()])).toEqual(Array.from({ length: 3 }, () => [{ id: 'a', size: 1 }]));
  });

  it('concurrent transactions do not interleave and a failed one rolls back whole', async () => {
    const db = testDb.database.db;
    await sql`create table counters (id text primary key, n integer not null)`.execute(db);
    await sql`insert into counters values ('c', 0)`.execute(db);
    const increment = () =>
      db.transaction().execute(async (trx) => {
        const row = (await sql<{ n: number }>`select n from counters where id = 'c' for update`.execute(trx)).rows[0];
        await nextTurn();
        await sql`update counters set n = ${row.n + 1} where id = 'c'`.execute(trx);
      });
    // Read-modify-write under a row lock: every increment survives (PGlite serializes whole transactions).
    await Promise.all(Array.from({ length: 10 }, increment));
    const after = await sql<{ n: number }>`select n from counters where id = 'c'`.execute(db);
    expect(after.rows[0].n).toBe(10);

    await expect(
      db.transaction().execute(async (trx) => {
        await sql`update counters set n = 1000 where id = 'c'`.execute(trx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const unchanged = await sql<{ n: number }>`select n from counters where id = 'c'`.execute(db);
    expect(unchanged.rows[0].n).toBe(after.rows[0].n);
  });

  it('version-locked updates let exactly one of many same-version writers win', async () => {
    const db = testDb.database.db;
    await sql`create table docs (id text primary key, body text not null, version integer not null)`.execute(db);
    await sql`insert into docs values ('d', 'v1', 1)`.execute(db);
    const write = (body: string) =>
      versionLockedUpdate({
        type: 'Doc',
        id: 'd',
        expectedVersion: 1,
        update: async (version) =>
          (
            await sql<{
              body: string;
            }>`update docs set body = ${body}, version = version + 1 where id = 'd' and version = ${version} returning body`.execute(db)
          ).rows[0],
        exists: async () => (await sql`select 1 from docs where id = 'd'`.execute(db)).rows.length > 0,
      });
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map(write));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as ApiError).id).toBe('VersionMismatch');
    }
    const missing = versionLockedUpdate({
      type: 'Doc',
      id: 'x',
      expectedVersion: 1,
      update: async () => undefined,
      exists: async () => false,
    });
    await expect(missing).rejects.toMatchObject({ id: 'NotFound', status: 404 });
    const noVersion = versionLockedUpdate({
      type: 'Doc',
      id: 'd',
      expectedVersion: undefined,
      update: async () => undefined,
      exists: async () => true,
    });
    await expect(noVersion).rejects.toMatchObject({ id: 'VersionMismatch', status: 409 });
  });
});
