import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { CompiledOrder } from './compile.js';
import { invalidQuery } from '../domain/errors.js';
import { parseFullText, prefixTsQuery } from './fulltext.js';
import { listValues, type ParsedQuery } from './parse.js';

/**
 * The part of the grammar that applies to content types: `sys.id` (eq, ne, in, nin), `name` (eq, ne,
 * in, nin, match), `query=` over name and description, and ordering by `sys.id`, `sys.createdAt`,
 * `sys.updatedAt` or `name` (`sys.id` breaks ties). Filters on the activated copy when `published` is set.
 */
export function compileContentTypeQuery(query: ParsedQuery, published: boolean) {
  const where: Expression<SqlBool>[] = [];
  const name = published ? sql`(published ->> 'name')` : sql`${sql.ref('name')}`;
  const description = published ? sql`coalesce(published ->> 'description', '')` : sql`coalesce(description, '')`;
  for (const filter of query.filters) {
    const target = filter.target;
    const column = target.kind === 'sys' && target.path === 'id' ? sql.ref('id') : undefined;
    if (!column) throw invalidQuery(`The query parameter "${filter.param}" is not supported on content types`, { param: filter.param });
    const values = listValues(filter.raw);
    switch (filter.op) {
      case 'eq':
        where.push(sql<SqlBool>`${column} = ${filter.raw}`);
        break;
      case 'ne':
        where.push(sql<SqlBool>`${column} <> ${filter.raw}`);
        break;
      case 'in':
        where.push(sql<SqlBool>`${column} = any(${values}::text[])`);
        break;
      case 'nin':
        where.push(sql<SqlBool>`${column} <> all(${values}::text[])`);
        break;
      default:
        throw invalidQuery(`[${filter.op}] is not supported on ${filter.param}`, { param: filter.param });
    }
  }
  if (
    query.contentType ||
    query.linksToEntry ||
    query.linksToAsset ||
    query.mimetypeGroup ||
    query.select ||
    query.referenceContentTypes.size
  ) {
    throw invalidQuery('Content types support sys.id filters, query, order, skip and limit');
  }
  if (query.query !== undefined) {
    const { tokens, phrases } = parseFullText(query.query);
    const vector = sql`to_tsvector('simple', ${name} || ' ' || ${description})`;
    const prefix = prefixTsQuery(tokens);
    if (prefix) where.push(sql<SqlBool>`${vector} @@ to_tsquery('simple', ${prefix})`);
    for (const phrase of phrases) where.push(sql<SqlBool>`${vector} @@ phraseto_tsquery('simple', ${phrase.join(' ')})`);
  }
  const order: CompiledOrder[] = (query.order.length ? query.order : [{ param: 'order', path: 'sys.createdAt', desc: false }]).map(
    (key) => {
      // Cursor pages walk only the columns that are never null.
      const columns: Record<string, { expression: RawBuilder<unknown>; cursorColumn?: string }> = {
        'sys.id': { expression: sql`${sql.ref('id')}`, cursorColumn: 'id' },
        'sys.createdAt': { expression: sql`${sql.ref('created_at')}`, cursorColumn: 'created_at' },
        'sys.updatedAt': { expression: sql`${sql.ref('updated_at')}`, cursorColumn: 'updated_at' },
        name: { expression: name },
      };
      const column = columns[key.path === 'fields.name' ? 'name' : key.path];
      if (!column) throw invalidQuery(`Content types cannot be ordered by "${key.path}"`, { param: 'order' });
      return { ...column, desc: key.desc };
    },
  );
  if (!order.some((key) => key.cursorColumn === 'id')) order.push({ expression: sql`${sql.ref('id')}`, desc: false, cursorColumn: 'id' });
  return { where, order };
}
