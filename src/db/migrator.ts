import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connection.js';

/** Numbered SQL files, applied in order, each in its own transaction, never edited once released. */
export const migrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  // src/db -> ../../migrations ; dist/src/db -> ../../../migrations
  import.meta.url.includes('/dist/') ? '../../../migrations' : '../../migrations',
);

const MIGRATION_LOCK_KEY = 7_245_001;

export async function migrate(database: Database): Promise<string[]> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await database.db.connection().execute(async (conn) => {
    // Several server processes may start at once against one PostgreSQL: one migrates, the others wait.
    if (database.kind === 'postgres') await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((r) => r.name));
      for (const file of files) {
        if (done.has(file)) continue;
        const text = await fs.readFile(path.join(migrationsDir, file), 'utf8');
        await conn.transaction().execute(async (trx) => {
          await sql.raw(text).execute(trx);
          await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
        });
        applied.push(file);
      }
    } finally {
      if (database.kind === 'postgres') await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
