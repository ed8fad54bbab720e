import { sql, type Expression, type SqlBool } from 'kysely';
import { invalidQuery } from '../domain/errors.js';
import { parseFullText, prefixTsQuery } from './fulltext.js';
import { listValues, type ParsedQuery } from './parse.js';

/**
 * The part of the grammar that applies to content types: `sys.id` (eq, ne, in, nin), `name` (eq, ne,
 * in, nin, match), `query=` over name and description, and ordering by `sys.id`, `sys.createdAt`,
 * `sys.updatedAt` or `name`. Filters on the activated copy when `published` is set.
 */
export function compileContentTypeQuery(query: ParsedQuery, published: boolean) {
  const where: Expression<SqlBool>[] = [];
  const name = published ? sql`(published ->> 'name')` : sql.ref('name');
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
  const order = (query.order.length ? query.order : [{ param: 'order', path: 'sys.createdAt', desc: false }]).map((key) => {
    const columns: Record<string, unknown> = {
      'sys.id': sql.ref('id'),
      'sys.createdAt': sql.ref('created_at'),
      'sys.updatedAt': sql.ref('updated_at'),
      name,
    };
    const expression = columns[key.path === 'fields.name' ? 'name' : key.path];
    if (!expression) throw invalidQuery(`Content types cannot be ordered by "${key.path}"`, { param: 'order' });
    return sql`${expression} ${sql.raw(key.desc ? 'desc' : 'asc')}`;
  });
  return { where, order: [...order, sql`id asc`] };
}
