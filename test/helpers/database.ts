import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/db/connection.js';

export interface TestDatabase {
  database: Database;
  /** The PostgreSQL URL and name of the database (unset on the embedded database). */
  url?: string;
  name?: string;
  drop(): Promise<void>;
}

/**
 * Every test file gets a database of its own: a fresh in-memory PGlite by default, or, with
 * DATABASE_URL set, a new database on that PostgreSQL server, dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = await openPglite('memory://');
    return { database, drop: () => database.close() };
  }
  const name = `cf_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { maxConnections: 5 });
  return {
    database,
    url: url.toString(),
    name,
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
