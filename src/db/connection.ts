import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { DB } from './schema.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// Dates are converted to ISO strings at the edges; keep int8 (counts) as JS numbers like PGlite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export async function openPostgres(url: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * PGlite is a single connection. Kysely's Postgres driver asks a pool for a client per query or per
 * transaction, so the pool below hands out one client at a time: a transaction holds the only
 * connection until it commits, which gives the same isolation as a real server, just serialized.
 */
class PgliteSerialPool implements PostgresPool {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const pglite = this.pglite;
    const client = {
      async query(sqlText: string, parameters: ReadonlyArray<unknown>) {
        if (parameters.length === 0) {
          // Parameterless SQL may hold several statements (migrations); exec runs them all.
          const results = await pglite.exec(sqlText);
          const last = results[results.length - 1];
          return { command: commandOf(sqlText), rowCount: last?.affectedRows ?? 0, rows: (last?.rows ?? []) as never[] };
        }
        const result = await pglite.query(sqlText, [...parameters]);
        return { command: commandOf(sqlText), rowCount: result.affectedRows ?? 0, rows: result.rows as never[] };
      },
      release,
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.tail;
    await this.pglite.close();
  }
}

function commandOf(sqlText: string) {
  const word = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase();
  return (word === 'INSERT' || word === 'UPDATE' || word === 'DELETE' || word === 'MERGE' ? word : 'SELECT') as
    | 'INSERT'
    | 'UPDATE'
    | 'DELETE'
    | 'MERGE'
    | 'SELECT';
}

/** `dataDir` is a directory, or `memory://` for a throw-away database (tests). */
export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PgliteSerialPool(pglite) }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(path.join(options.dataDir, 'pglite'));
}
