import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Transaction } from 'kysely';
import type { Database } from './connection.js';
import type { DB } from './schema.js';

/** Numbered SQL files, applied in order, each in its own transaction, never edited once released. */
export const migrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  // src/db -> ../../migrations ; dist/src/db -> ../../../migrations
  import.meta.url.includes('/dist/') ? '../../../migrations' : '../../migrations',
);

const MIGRATION_LOCK_KEY = 7_245_001;

/**
 * Several server processes may start at once against one PostgreSQL: each step holds a transaction-scoped
 * advisory lock, so one process migrates while the others wait, and the lock goes with its transaction
 * whatever happens to the connection (a session lock could outlive a failed unlock in a pooled connection).
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const locked = <T>(work: (trx: Transaction<DB>) => Promise<T>) =>
    database.db.transaction().execute(async (trx) => {
      if (database.kind === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      return work(trx);
    });
  const appliedNames = (trx: Transaction<DB>) =>
    sql<{ name: string }>`select name from schema_migrations`.execute(trx).then((r) => new Set(r.rows.map((row) => row.name)));

  const done = await locked(async (trx) => {
    await sql`create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    return appliedNames(trx);
  });
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const text = await fs.readFile(path.join(migrationsDir, file), 'utf8');
    const ran = await locked(async (trx) => {
      // Another process may have applied it while this one waited for the lock.
      if ((await appliedNames(trx)).has(file)) return false;
      await sql.raw(text).execute(trx);
      await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}
