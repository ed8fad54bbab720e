import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * The environment-aware tables (seed 000, "Environment aware resources") that a new environment copies
 * from its source, in an order that satisfies their foreign keys. A new environment-scoped resource only
 * needs its table named here.
 */
export const ENVIRONMENT_TABLES = ['locales', 'tags', 'content_types', 'editor_interfaces', 'extensions', 'entries', 'assets'] as const;

/** Column lists, read once per process from the catalog so new columns are copied without code changes. */
let columnCache: Promise<Map<string, string[]>> | undefined;

async function tableColumns(db: Kysely<DB>): Promise<Map<string, string[]>> {
  columnCache ??= sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and is_generated = 'NEVER' and table_name in (${sql.join([...ENVIRONMENT_TABLES])})
      order by table_name, ordinal_position`
    .execute(db)
    .then((result) => {
      const map = new Map<string, string[]>();
      for (const row of result.rows) map.set(row.table_name, [...(map.get(row.table_name) ?? []), row.column_name]);
      return map;
    })
    .catch((err) => {
      columnCache = undefined;
      throw err;
    });
  return columnCache;
}

/**
 * Copies every environment-aware row of `source` into `target` with `INSERT ... SELECT`, inside the
 * database and inside the caller's transaction: all `sys` metadata (ids, versions, dates, users) is kept.
 */
export async function copyEnvironmentContent(db: Kysely<DB>, spaceId: string, source: string, target: string) {
  const columns = await tableColumns(db);
  for (const table of ENVIRONMENT_TABLES) {
    const names = columns.get(table);
    if (!names) throw new Error(`Environment table ${table} has no columns`);
    const insertList = sql.join(names.map((c) => sql.ref(c)));
    const selectList = sql.join(names.map((c) => (c === 'environment_id' ? sql`${target}::text` : sql.ref(c))));
    await sql`insert into ${sql.table(table)} (${insertList})
      select ${selectList} from ${sql.table(table)} where space_id = ${spaceId} and environment_id = ${source}`.execute(db);
  }
}
