import { isExpression, sql, type RawBuilder } from 'kysely';

/**
 * `insert into <table> (...) select ... from <source>`: one row of `values` for each row the common
 * table expression `source` yields. It lets a write and its side records (events, snapshots) be one
 * statement that inserts them exactly when the write matched. Values that are not plain text must come
 * as typed expressions (`sql\`${json}::jsonb\``): a bare parameter in a select list is read as text.
 */
export function insertForEachRow(table: string, source: string, values: Record<string, unknown>): RawBuilder<unknown> {
  const columns = Object.keys(values);
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(columns.map((c) => (isExpression(values[c]) ? values[c] : sql`${values[c]}`)))} from ${sql.table(source)}`;
}

/** A JSON document as a jsonb parameter. */
export const jsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::jsonb`;
