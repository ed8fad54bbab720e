import { sql, type RawBuilder } from 'kysely';

/**
 * `column = any($1::text[])` rather than `column in ($1, $2, ...)`: one statement text whatever the
 * list's length. Every parameterized query is a prepared statement (db/connection.ts), and an `in` list
 * made a new one for each length, spending the process's budget of prepared statements on them.
 */
export const anyText = (values: readonly string[]): RawBuilder<string> => sql<string>`any(${values}::text[])`;
