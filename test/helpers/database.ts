import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openPostgres, pgliteDatabase, type Database } from '../../src/db/connection.js';
import { adminQuery } from '../setup/databases.js';

export interface TestDatabase {
  database: Database;
  /** The PostgreSQL URL and name of the database (unset on the embedded database). */
  url?: string;
  name?: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Start with every migration applied (a copy of the database test/setup/databases.ts migrated once). */
  migrated?: boolean;
}

/**
 * Every test file gets a database of its own: an in-memory PGlite by default, or, with DATABASE_URL set,
 * a new database on that PostgreSQL server, dropped afterwards. Empty unless `migrated`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dumps = inject('pgliteDumps')!;
    const dump = await fs.readFile(options.migrated ? dumps.migrated : dumps.empty);
    const database = pgliteDatabase(await PGlite.create('memory://', { loadDataDir: new Blob([dump]) }));
    return { database, drop: () => database.close() };
  }
  const name = `cf_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(
    adminUrl,
    options.migrated ? `create database ${name} template ${inject('postgresTemplate')}` : `create database ${name}`,
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { maxConnections: 5 });
  return {
    database,
    url: url.toString(),
    name,
    async drop() {
      await database.close();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
