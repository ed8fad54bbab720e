import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { invalidQuery } from '../domain/errors.js';
import type { CompiledOrder } from './compile.js';

/**
 * Cursor pagination (`cursor=true`, then `pageNext` / `pagePrev`, as the SDK's `getEntriesWithCursor`
 * uses it): a token holds the order keys of the row a page ended (or started) at, and the next page
 * continues strictly after it, so rows inserted meanwhile never shift a page.
 */

type CursorValue = string | number;

interface CursorToken {
  /** Order columns, to refuse a token used with another order. */
  c: string[];
  v: CursorValue[];
}

export function cursorColumns(order: CompiledOrder[]): string[] {
  const columns = order.map((o) => o.cursorColumn);
  if (columns.some((c) => c === undefined)) {
    throw invalidQuery(
      'Cursor pagination can only order by sys properties that are always set (sys.id, sys.createdAt, sys.updatedAt; on entries and assets also sys.version and sys.contentType.sys.id)',
    );
  }
  return columns as string[];
}

export function encodeCursor(columns: string[], row: Record<string, unknown>): string {
  const values = columns.map((c) => {
    const v = row[c];
    return v instanceof Date ? v.toISOString() : (v as CursorValue);
  });
  return Buffer.from(JSON.stringify({ c: columns, v: values } satisfies CursorToken)).toString('base64url');
}

export function decodeCursor(token: string, columns: string[]): CursorValue[] {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as CursorToken;
    if (
      Array.isArray(parsed.c) &&
      parsed.c.join(',') === columns.join(',') &&
      Array.isArray(parsed.v) &&
      parsed.v.length === columns.length
    ) {
      return parsed.v;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidQuery('The page token is invalid for this query', { param: 'pageNext' });
}

/**
 * Rows strictly after (`forward`) or before the cursor in the given order:
 * (k1 > v1) or (k1 = v1 and k2 > v2) or ..., with each comparison flipped for descending keys.
 */
export function afterCursor(order: CompiledOrder[], values: CursorValue[], forward: boolean): Expression<SqlBool> {
  const clauses = order.map((key, i) => {
    const greater = forward !== key.desc;
    const equalities = order.slice(0, i).map((prev, j) => sql`${prev.expression} = ${values[j]}`);
    const compare = sql`${key.expression} ${sql.raw(greater ? '>' : '<')} ${values[i]}`;
    return sql`(${sql.join([...equalities, compare], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(clauses, sql` or `)})`;
}

export interface CursorPages {
  next?: string;
  prev?: string;
}

/**
 * One cursor page in the compiled order: `read` gets the condition that starts it after (or ends it before)
 * the token's row, the order to read in and how many rows to read (one more than the page, to tell
 * whether another page follows). Page links hold the order keys of the page's first and last rows.
 */
export async function readCursorPage<Row extends object>(
  order: CompiledOrder[],
  query: { limit: number; pageNext?: string; pagePrev?: string },
  read: (after: Expression<SqlBool> | undefined, orderBy: RawBuilder<unknown>[], limit: number) => Promise<Row[]>,
): Promise<{ rows: Row[]; pages: CursorPages }> {
  const columns = cursorColumns(order);
  const token = query.pageNext ?? query.pagePrev;
  const forward = query.pagePrev === undefined;
  const after = token ? afterCursor(order, decodeCursor(token, columns), forward) : undefined;
  // Backwards, the rows before the token are read nearest first, then turned around.
  const orderBy = order.map((key) => sql`${key.expression} ${sql.raw(key.desc === forward ? 'desc' : 'asc')}`);
  const fetched = await read(after, orderBy, query.limit + 1);
  const more = fetched.length > query.limit;
  const rows = forward ? fetched.slice(0, query.limit) : fetched.slice(0, query.limit).reverse();
  const pages: CursorPages = {};
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (last && (forward ? more : true)) pages.next = `?pageNext=${encodeCursor(columns, last as Record<string, unknown>)}`;
  if (first && (forward ? token !== undefined : more)) pages.prev = `?pagePrev=${encodeCursor(columns, first as Record<string, unknown>)}`;
  return { rows, pages };
}
