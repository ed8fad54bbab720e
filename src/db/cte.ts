import { sql, type RawBuilder } from 'kysely';

/**
 * `insert into <table> (...) select ... from <source>`: one row of `values` for each row the common
 * table expression `source` yields. It lets a write and its side records (events, snapshots) be one
 * statement that inserts them exactly when the write matched. A bare parameter in a select list is read
 * as text, so the columns named in `jsonColumns` (their values JSON text) are cast to jsonb.
 */
export function insertForEachRow(
  table: string,
  source: string,
  values: Record<string, unknown>,
  jsonColumns: readonly string[] = [],
): RawBuilder<unknown> {
  const columns = Object.keys(values);
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(columns.map((c) => (jsonColumns.includes(c) ? sql`${values[c]}::jsonb` : sql`${values[c]}`)))} from ${sql.table(source)}`;
}
