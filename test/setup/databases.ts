import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres, pgliteDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Files holding `dumpDataDir()` tarballs of an empty and of a migrated embedded database. */
    pgliteDumps: { empty: string; migrated: string } | null;
    /** A migrated database on DATABASE_URL's server that test databases are created from. */
    postgresTemplate: string | null;
  }
}

/**
 * Runs once before all test files. An initdb and the migrations cost a test file more than most of its
 * tests do, so they run here once and each test file starts from a copy (helpers/database.ts).
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-pglite-'));
    const dumps = { empty: path.join(dir, 'empty.tar'), migrated: path.join(dir, 'migrated.tar') };
    const pglite = await PGlite.create('memory://');
    const dump = async (file: string) => fs.writeFile(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    await dump(dumps.empty);
    const database = pgliteDatabase(pglite);
    await migrate(database);
    await dump(dumps.migrated);
    await database.close();
    project.provide('pgliteDumps', dumps);
    project.provide('postgresTemplate', null);
    return () => fs.rm(dir, { recursive: true, force: true });
  }
  const name = `cf_template_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { maxConnections: 1 });
  await migrate(database);
  await database.close();
  project.provide('pgliteDumps', null);
  project.provide('postgresTemplate', name);
  return () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
}

export async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
