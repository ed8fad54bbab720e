import { type Expression, sql, type SqlBool } from 'kysely';
import type { FieldDefinition } from '../domain/field-types.js';
import type { SearchCompiler, SearchContentType } from '../query/compile.js';
import type { Filter, Operator, Target } from '../query/parse.js';
import type { ActiveContentType } from '../resources/content-types/service.js';

/**
 * GraphQL collection filters (`where`) compiled to SQL by the search engine's own conditions: each
 * `<field><suffix>` key is one filter of the REST grammar (`title_in` is `fields.title[in]`), `AND` and
 * `OR` combine them, and a link field's nested filter is a condition on the linked entry.
 */

export type OperandKind = 'value' | 'list' | 'exists' | 'circle' | 'rectangle';

export interface FilterOperator {
  suffix: string;
  op: Operator;
  kind: OperandKind;
  negated?: boolean;
}

const operator = (suffix: string, op: Operator, kind: OperandKind, negated = false): FilterOperator => ({ suffix, op, kind, negated });

const EXISTS = operator('_exists', 'exists', 'exists');
const EQUALITY = [operator('', 'eq', 'value'), operator('_not', 'ne', 'value'), EXISTS];
const LISTS = [operator('_in', 'in', 'list'), operator('_not_in', 'nin', 'list')];
const CONTAINS = [operator('_contains', 'match', 'value'), operator('_not_contains', 'match', 'value', true)];
const RANGES = [
  operator('_gt', 'gt', 'value'),
  operator('_gte', 'gte', 'value'),
  operator('_lt', 'lt', 'value'),
  operator('_lte', 'lte', 'value'),
];

/** The filters a field gets (Contentful's "Collection Filters" table), by field type. */
export function fieldOperators(field: FieldDefinition): FilterOperator[] {
  switch (field.type) {
    case 'Symbol':
    case 'Text':
      return [...EQUALITY, ...CONTAINS, ...LISTS];
    case 'Integer':
    case 'Number':
    case 'Date':
      return [...EQUALITY, ...LISTS, ...RANGES];
    case 'Boolean':
      return EQUALITY;
    case 'Location':
      return [EXISTS, operator('_within_circle', 'within', 'circle'), operator('_within_rectangle', 'within', 'rectangle')];
    case 'RichText':
      return [EXISTS, ...CONTAINS];
    case 'Array':
      return field.items?.type === 'Symbol'
        ? [
            EXISTS,
            operator('_contains_all', 'all', 'list'),
            operator('_contains_some', 'in', 'list'),
            operator('_contains_none', 'nin', 'list'),
          ]
        : [];
    default:
      return [EXISTS];
  }
}

/** A field a nested filter can go through: one link, or an array of links, to entries of one content type. */
export function linkedContentType(field: FieldDefinition): string[] | undefined {
  const linksEntries =
    (field.type === 'Link' && field.linkType === 'Entry') || (field.type === 'Array' && field.items?.linkType === 'Entry');
  if (!linksEntries) return undefined;
  const validations = field.type === 'Array' ? field.items?.validations : field.validations;
  return validations?.find((v) => v.linkContentType)?.linkContentType ?? [];
}

export const isManyLinks = (field: FieldDefinition) => field.type === 'Array' && field.items?.type === 'Link';

/** Text is searched like Symbol here: GraphQL offers equality on it, which the REST grammar does not. */
export function searchDefinition(ct: ActiveContentType): SearchContentType {
  return { id: ct.id, fields: ct.fields.map((f) => (f.type === 'Text' ? { ...f, type: 'Symbol' } : f)) };
}

const SYS_FIELDS: Record<string, { path: string; contains?: boolean; ranges?: boolean }> = {
  id: { path: 'id', contains: true },
  publishedAt: { path: 'publishedAt', ranges: true },
  firstPublishedAt: { path: 'firstPublishedAt', ranges: true },
  publishedVersion: { path: 'publishedVersion', ranges: true },
};

export const SYS_FILTER_FIELDS = Object.keys(SYS_FIELDS);

export function sysOperators(name: string): FilterOperator[] {
  const spec = SYS_FIELDS[name]!;
  return [...EQUALITY, ...LISTS, ...(spec.contains ? CONTAINS : []), ...(spec.ranges ? RANGES : [])];
}

export interface WhereContext {
  compilerFor: (definition?: SearchContentType) => SearchCompiler;
  /** The content types nested filters reach, by id. */
  contentTypes: Map<string, ActiveContentType>;
}

type Where = Record<string, unknown>;

const and = (conditions: Expression<SqlBool>[]) =>
  conditions.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;

function raw(value: unknown, kind: OperandKind): Pick<Filter, 'raw' | 'values'> {
  if (kind === 'list') {
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String);
    return { raw: values.join(','), values };
  }
  if (kind === 'circle' || kind === 'rectangle') return { raw: shape(value, kind).join(',') };
  return { raw: String(value) };
}

/** `Circle` is `[lat, lon, radiusKm]` or `{ lat, lon, radius }`; `Rectangle` is `[lat1, lon1, lat2, lon2]` or its corners. */
function shape(value: unknown, kind: 'circle' | 'rectangle'): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const v = (value ?? {}) as Record<string, unknown>;
  return (
    kind === 'circle'
      ? [v.lat, v.lon, v.radius]
      : [v.topLeftLat ?? v.lat1, v.topLeftLon ?? v.lon1, v.bottomRightLat ?? v.lat2, v.bottomRightLon ?? v.lon2]
  ).map(Number);
}

/** The conditions of a `where` on entries of `ct` (or on assets, or any entry, without one), on rows aliased `alias`. */
export function compileWhere(
  where: Where | null | undefined,
  ct: ActiveContentType | undefined,
  context: WhereContext,
  alias = 'e',
  table: 'entries' | 'assets' = 'entries',
): Expression<SqlBool>[] {
  if (!where) return [];
  const compiler = context.compilerFor(ct ? searchDefinition(ct) : undefined);
  const conditions: Expression<SqlBool>[] = [];
  const leaf = (filter: Filter, negated = false) => {
    const condition = compiler.condition(filter, alias);
    conditions.push(negated ? sql<SqlBool>`not coalesce(${condition}, false)` : condition);
  };
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === 'AND') {
      for (const part of value as Where[]) conditions.push(and(compileWhere(part, ct, context, alias, table)));
      continue;
    }
    if (key === 'OR') {
      const parts = (value as Where[]).map((part) => and(compileWhere(part, ct, context, alias, table)));
      if (parts.length) conditions.push(sql<SqlBool>`(${sql.join(parts, sql` or `)})`);
      continue;
    }
    if (key === 'sys') {
      for (const [name, operand] of Object.entries(value as Where)) {
        if (operand === null || operand === undefined) continue;
        const field = SYS_FILTER_FIELDS.find((f) => name === f || name.startsWith(`${f}_`))!;
        const spec = sysOperators(field).find((o) => `${field}${o.suffix}` === name)!;
        if (spec.op === 'match') {
          const found = sql<SqlBool>`strpos(lower(${sql.ref(`${alias}.id`)}), lower(${String(operand)})) > 0`;
          conditions.push(spec.negated ? sql<SqlBool>`not ${found}` : found);
          continue;
        }
        leaf({ param: `sys.${name}`, target: { kind: 'sys', path: SYS_FIELDS[field]!.path }, op: spec.op, ...raw(operand, spec.kind) });
      }
      continue;
    }
    if (key === 'contentfulMetadata') {
      const metadata = value as Record<string, unknown>;
      const ops: Record<string, Operator> = { id_contains_all: 'all', id_contains_some: 'in', id_contains_none: 'nin' };
      const lists = (name: string, target: Target, lists: unknown) => {
        for (const [op, ids] of Object.entries((lists ?? {}) as Record<string, unknown>)) {
          if (ids === null || ids === undefined || !Object.hasOwn(ops, op)) continue;
          leaf({ param: `contentfulMetadata.${name}.${op}`, target, op: ops[op]!, ...raw(ids, 'list') });
        }
      };
      for (const [name, target] of [
        ['tags', { kind: 'tags' }],
        ['concepts', { kind: 'concepts', descendants: false }],
      ] as const) {
        const exists = metadata[`${name}_exists`];
        if (exists !== null && exists !== undefined)
          leaf({ param: `contentfulMetadata.${name}_exists`, target, op: 'exists', raw: String(exists) });
        lists(name, target, metadata[name]);
      }
      lists(
        'concepts.descendants',
        { kind: 'concepts', descendants: true },
        (metadata.concepts as { descendants?: unknown } | null)?.descendants,
      );
      continue;
    }
    const fields = table === 'assets' ? ASSET_FILTER_FIELDS : (ct?.fields ?? []);
    const nested = fields.find((f) => f.id === key && linkedContentType(f) !== undefined);
    if (nested && typeof value === 'object' && !Array.isArray(value)) {
      const targets = linkedContentType(nested)!;
      const target = targets.length === 1 ? context.contentTypes.get(targets[0]!) : undefined;
      conditions.push(
        compiler.linkedEntryCondition(nested, isManyLinks(nested), target?.id, (innerAlias) =>
          and(compileWhere(value as Where, target, context, innerAlias)),
        ),
      );
      continue;
    }
    const collectionExists = /^(.+)Collection_exists$/.exec(key);
    const field = collectionExists
      ? fields.find((f) => f.id === collectionExists[1])
      : fields.find((f) => key.startsWith(f.id) && fieldOperators(f).some((o) => `${f.id}${o.suffix}` === key));
    if (!field) continue;
    const spec = collectionExists ? EXISTS : fieldOperators(field).find((o) => `${field.id}${o.suffix}` === key)!;
    leaf({ param: key, target: { kind: 'field', fieldId: field.id, sub: [] }, op: spec.op, ...raw(value, spec.kind) }, spec.negated);
  }
  return conditions;
}

/** The asset fields GraphQL filters: file properties live inside `file`, searched as the REST grammar cannot. */
const ASSET_FILTER_FIELDS: FieldDefinition[] = [
  { id: 'title', name: 'Title', type: 'Symbol' },
  { id: 'description', name: 'Description', type: 'Symbol' },
];
