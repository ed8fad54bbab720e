import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { PoolUse } from '../domain/metrics.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  db: Kysely<DB>;
  /** A read replica's pool (DATABASE_REPLICA_URL), where the delivery APIs read; management stays on `db`. */
  replica?: Kysely<DB>;
  replicaPoolUse?: () => PoolUse;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The connection pool's state now (PostgreSQL; PGlite is one connection and has none). */
  poolUse?: () => PoolUse;
}

// Dates are converted to ISO strings at the edges; keep int8 (counts) as JS numbers like PGlite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PostgresOptions {
  maxConnections?: number;
  /** How long a request waits for a new connection before failing (and answering 503); 0 waits for ever. */
  connectTimeoutMs?: number;
  /**
   * A connection failed (a server restart, a terminated backend, a network loss), idle in the pool or
   * checked out between two queries. The pool replaces it on demand and the query in flight, if any,
   * fails on its own; an unheard 'error' event would end the process, so one is always listened to.
   */
  onConnectionError?: (err: Error) => void;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pgPool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Finds connections whose peer vanished without closing them (a failover, a dropped network).
    keepAlive: true,
  });
  const onError = (err: Error) => options.onConnectionError?.(err);
  pgPool.on('error', onError);
  pgPool.on('connect', (client) => client.on('error', onError));
  const pool = new PreparedStatementPool(pgPool);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    close: () => db.destroy(),
    poolUse: () => ({ total: pgPool.totalCount, idle: pgPool.idleCount, waiting: pgPool.waitingCount }),
  };
}

/** Distinct statements the server prepares; any beyond (unusual query shapes) run unprepared. */
const MAX_PREPARED_STATEMENTS = 500;
/** `cached plan must not change result type`: a table changed (a migration) under a prepared `select *`. */
const STALE_PREPARED_STATEMENT = '0A000';

/**
 * Runs each parameterized query as a named prepared statement, so every connection parses and plans it
 * once instead of on each call: for the API's many small queries PostgreSQL spent more time parsing and
 * planning than executing (bench: ~1.7 of 2.7 ms per entry update). pg prepares a name on a connection
 * the first time that connection runs it. Parameterless SQL (transactions, migrations holding several
 * statements) runs as it is. A statement whose table changed shape is prepared again under a new name.
 */
class PreparedStatementPool implements PostgresPool {
  private readonly names = new Map<string, string>();
  private prepared = 0;
  /** One wrapper per pooled client, so Kysely recognizes a connection it has seen. */
  private readonly clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  constructor(private readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let wrapped = this.clients.get(client);
    if (!wrapped) {
      wrapped = {
        query: async (text: string, values: unknown[]) => {
          try {
            return await client.query(this.config(text, values));
          } catch (err) {
            if ((err as { code?: string }).code !== STALE_PREPARED_STATEMENT || !this.names.has(text)) throw err;
            this.names.set(text, this.nextName());
            return client.query(this.config(text, values));
          }
        },
        release: (destroy?: boolean) => client.release(destroy),
      } as unknown as PostgresPoolClient;
      this.clients.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private config(text: string, values: unknown[]): pg.QueryConfig {
    if (values.length === 0) return { text };
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED_STATEMENTS) {
      name = this.nextName();
      this.names.set(text, name);
    }
    return { name, text, values };
  }

  private nextName() {
    return `s${++this.prepared}`;
  }
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
  return pgliteDatabase(await PGlite.create(dataDir));
}

/** An open PGlite as a Database (closing it closes the PGlite): the tests start theirs from a dump. */
export function pgliteDatabase(pglite: PGlite): Database {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new PgliteSerialPool(pglite) }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

export async function openDatabase(
  options: { databaseUrl?: string; replicaUrl?: string; dataDir: string } & Omit<PostgresOptions, 'maxConnections'>,
): Promise<Database> {
  if (!options.databaseUrl) return openPglite(path.join(options.dataDir, 'pglite'));
  const primary = await openPostgres(options.databaseUrl, options);
  if (!options.replicaUrl) return primary;
  const replica = await openPostgres(options.replicaUrl, options);
  return {
    ...primary,
    replica: replica.db,
    replicaPoolUse: replica.poolUse,
    close: async () => {
      await Promise.all([primary.close(), replica.close()]);
    },
  };
}
