import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTemplate } from '../../src/db/template.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

describe('QueryTemplate', () => {
  it('builds once per shape and binds new values on every run, constants included', async () => {
    const { db } = testDb.database;
    let builds = 0;
    const template = new QueryTemplate<{ a: number; b: string }>((_db, v, shape) => {
      builds++;
      return db.selectNoFrom([sql<string>`${v.b}::text || ':' || (${v.a}::int + ${shape === 'double' ? 2 : 1}::int)`.as('out')]);
    });
    const run = async (a: number, b: string, shape?: string) => (await template.execute<{ out: string }>(db, { a, b }, shape)).rows[0].out;
    expect(await run(1, 'x')).toBe('x:2');
    expect(await run(41, 'y')).toBe('y:42');
    expect(builds).toBe(1);
    expect(await run(1, 'z', 'double')).toBe('z:3');
    expect(await run(5, 'w', 'double')).toBe('w:7');
    expect(builds).toBe(2);
  });

  it('refuses a build that changes a value or leaves one out', async () => {
    const { db } = testDb.database;
    const changed = new QueryTemplate<{ a: string }>((_db, v) => db.selectNoFrom([sql<string>`${JSON.stringify(v.a)}::text`.as('out')]));
    await expect(changed.execute(db, { a: 'x' })).rejects.toThrow('query template changed a value');
    const unused = new QueryTemplate<{ a: string; b: string }>((_db, v) => db.selectNoFrom([sql<string>`${v.a}::text`.as('out')]));
    await expect(unused.execute(db, { a: 'x', b: 'y' })).rejects.toThrow('query template did not use: b');
  });
});
