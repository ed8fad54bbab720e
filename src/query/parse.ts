import { invalidQuery } from '../domain/errors.js';
import { MAX_LIMIT } from '../domain/collections.js';
import type { FieldDefinition } from '../domain/field-types.js';
import { MAX_INCLUDE } from '../domain/links.js';

/**
 * The search grammar of seed 003 ("Search parameters"), parsed once into a plain structure that the SQL
 * compiler (compile.ts) turns into conditions. The same parser serves the management, delivery and
 * preview APIs; what a parameter means there is decided by the compiler.
 */

export const OPERATORS = ['ne', 'in', 'nin', 'all', 'exists', 'lt', 'lte', 'gt', 'gte', 'match', 'near', 'within'] as const;
export type Operator = 'eq' | (typeof OPERATORS)[number];

export type Target =
  | { kind: 'sys'; path: string }
  | { kind: 'field'; fieldId: string; locale?: string; sub: string[] }
  | { kind: 'reference'; fieldId: string; inner: { fieldId: string; sub: string[] } }
  | { kind: 'tags' }
  /** `metadata.concepts.sys.id`, or with `descendants` the concepts named and every concept below them. */
  | { kind: 'concepts'; descendants: boolean };

export interface Filter {
  param: string;
  target: Target;
  op: Operator;
  raw: string;
  /** The list of `[in]`, `[nin]`, `[all]` as given (GraphQL lists), rather than split from `raw` at commas. */
  values?: string[];
}

export interface OrderKey {
  param: string;
  path: string;
  desc: boolean;
}

export interface ParsedQuery {
  contentType?: string;
  filters: Filter[];
  /** `fields.<link>.sys.contentType.sys.id=<ct>`: the content type of a referenced entry. */
  referenceContentTypes: Map<string, string>;
  order: OrderKey[];
  skip: number;
  limit: number;
  select?: string[];
  query?: string;
  linksToEntry?: string;
  linksToAsset?: string;
  mimetypeGroup?: string;
  locale?: string;
  include?: number;
  cursor: boolean;
  pageNext?: string;
  pagePrev?: string;
}

export const MAX_REFERENCE_SEARCHES = 2;
export const MAX_SELECT = 100;

/** Parameters that are not filters and never reach the compiler. */
const IGNORED = new Set(['access_token', 'sync_token', 'initial', 'type']);

const KEY = /^([^[\]]+?)(?:\[([a-z]+)\])?$/;

function single(value: unknown, param: string): string {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (typeof v !== 'string') throw invalidQuery(`The parameter "${param}" must be a string`, { param });
  return v;
}

function nonNegativeInt(raw: string, param: string, max?: number): number {
  if (!/^\d+$/.test(raw.trim())) throw badParam(param, 'must be a non-negative integer');
  const n = Number(raw);
  if (max !== undefined && n > max) throw badParam(param, `must be at most ${max}`);
  return n;
}

function badParam(param: string, problem: string) {
  return invalidQuery(`The query parameter "${param}" ${problem}`, { param });
}

/** The file properties of an asset that field filters may name (the CDA reference's asset properties). */
export const ASSET_FILE_PROPERTIES: Record<string, FieldDefinition['type']> = {
  fileName: 'Symbol',
  contentType: 'Symbol',
  url: 'Symbol',
  'details.size': 'Number',
  'details.image.width': 'Integer',
  'details.image.height': 'Integer',
};

/** Their first keys (`fileName`, `details`): never locale codes, so `fields.file.<key>` is a property. */
const FILE_PROPERTIES = new Set(Object.keys(ASSET_FILE_PROPERTIES).map((path) => path.split('.')[0]!));

function parseTarget(path: string, param: string): Target {
  if (path === 'metadata.tags' || path === 'metadata.tags.sys.id') return { kind: 'tags' };
  if (path === 'metadata.concepts' || path === 'metadata.concepts.sys.id') return { kind: 'concepts', descendants: false };
  if (path === 'metadata.concepts.descendants') return { kind: 'concepts', descendants: true };
  const parts = path.split('.');
  if (parts[0] === 'sys' && parts.length >= 2) return { kind: 'sys', path: parts.slice(1).join('.') };
  if (parts[0] === 'fields' && parts.length >= 2 && parts[1] !== '') {
    const [, fieldId, ...rest] = parts;
    if (rest[0] === 'fields' && rest.length >= 2) return { kind: 'reference', fieldId, inner: { fieldId: rest[1], sub: rest.slice(2) } };
    // `fields.x.en-US` names a locale (CMA); `fields.x.sys.id` goes into a link value.
    if (rest.length === 0) return { kind: 'field', fieldId, sub: [] };
    if (rest[0] === 'sys') return { kind: 'field', fieldId, sub: rest };
    // An asset's file properties: `fields.file.fileName`, `fields.file.en-US.details.size` (CMA).
    if (fieldId === 'file' && FILE_PROPERTIES.has(rest[0]!)) return { kind: 'field', fieldId, sub: rest };
    if (fieldId === 'file' && rest.length >= 2 && FILE_PROPERTIES.has(rest[1]!))
      return { kind: 'field', fieldId, locale: rest[0], sub: rest.slice(1) };
    if (rest.length === 1) return { kind: 'field', fieldId, locale: rest[0], sub: [] };
    if (rest[1] === 'sys') return { kind: 'field', fieldId, locale: rest[0], sub: rest.slice(1) };
  }
  throw badParam(param, 'is not a supported search parameter');
}

/** `order[0]`, `sys.id[in][1]`: the index qs (the official SDKs' serializer) appends to each item of a list. */
const INDEXED = /^(.+?)\[(\d+)\]$/;

/**
 * Joins the items of indexed parameters (`order[0]=a&order[1]=b`) into the comma-separated list the
 * grammar takes (`order=a,b`): in index order, after a plain value of the same parameter, where the
 * parameter first appeared (filters keep their order).
 */
function withIndexedLists(raw: Record<string, unknown>): Record<string, unknown> {
  const lists = new Map<string, { index: number; value: string }[]>();
  const plain = new Map<string, unknown>();
  for (const [param, value] of Object.entries(raw)) {
    const indexed = INDEXED.exec(param);
    const name = indexed ? indexed[1] : param;
    if (!lists.has(name)) lists.set(name, []);
    if (indexed) lists.get(name)!.push({ index: Number(indexed[2]), value: single(value, param) });
    else plain.set(name, value);
  }
  return Object.fromEntries(
    [...lists].map(([name, items]) => {
      if (items.length === 0) return [name, plain.get(name)];
      const values = items.sort((a, b) => a.index - b.index).map((item) => item.value);
      return [name, (plain.has(name) ? [single(plain.get(name), name), ...values] : values).join(',')];
    }),
  );
}

export function parseSearchQuery(raw: Record<string, unknown> | undefined): ParsedQuery {
  const parsed: ParsedQuery = { filters: [], referenceContentTypes: new Map(), order: [], skip: 0, limit: 100, cursor: false };
  for (const [param, value] of Object.entries(withIndexedLists(raw ?? {}))) {
    if (IGNORED.has(param)) continue;
    const text = single(value, param);
    switch (param) {
      case 'content_type':
        if (text === '' || text.includes(',')) throw badParam(param, 'takes exactly one content type id');
        parsed.contentType = text;
        continue;
      case 'skip':
        parsed.skip = nonNegativeInt(text, param);
        continue;
      case 'limit':
        parsed.limit = nonNegativeInt(text, param, MAX_LIMIT);
        continue;
      case 'include':
        parsed.include = nonNegativeInt(text, param, MAX_INCLUDE);
        continue;
      case 'order':
        parsed.order = text.split(',').map((key) => {
          const trimmed = key.trim();
          const desc = trimmed.startsWith('-');
          const path = desc ? trimmed.slice(1) : trimmed;
          if (!/^((sys|fields)\.[\w.-]+|name)$/.test(path)) throw badParam(param, `cannot order by "${trimmed}"`);
          return { param, path, desc };
        });
        continue;
      case 'select': {
        const paths = text
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
        if (paths.length > MAX_SELECT) throw badParam(param, `selects at most ${MAX_SELECT} properties`);
        for (const p of paths) {
          const depth = p.split('.').length;
          if (depth > 2 || !/^(sys|fields|metadata)(\.[\w-]+)?$/.test(p)) throw badParam(param, `has an invalid property path "${p}"`);
        }
        parsed.select = paths;
        continue;
      }
      case 'query':
        parsed.query = text;
        continue;
      case 'links_to_entry':
        parsed.linksToEntry = text;
        continue;
      case 'links_to_asset':
        parsed.linksToAsset = text;
        continue;
      case 'mimetype_group':
        parsed.mimetypeGroup = text;
        continue;
      case 'locale':
        parsed.locale = text;
        continue;
      case 'cursor':
        if (text !== 'true' && text !== 'false') throw badParam(param, 'must be true or false');
        parsed.cursor = text === 'true';
        continue;
      case 'pageNext':
        parsed.pageNext = text;
        continue;
      case 'pagePrev':
        parsed.pagePrev = text;
        continue;
      default:
        break;
    }
    const match = KEY.exec(param);
    if (!match) throw badParam(param, 'is not a supported search parameter');
    const [, path, opName] = match;
    const op = (opName ?? 'eq') as Operator;
    if (opName !== undefined && !(OPERATORS as readonly string[]).includes(opName))
      throw badParam(param, `uses the unknown operator [${opName}]`);
    if (op === 'exists' && text !== 'true' && text !== 'false') throw badParam(param, 'must be true or false');
    const refContentType = /^fields\.([^.]+)\.sys\.contentType\.sys\.id$/.exec(path);
    if (refContentType && op === 'eq') {
      parsed.referenceContentTypes.set(refContentType[1], text);
      continue;
    }
    parsed.filters.push({ param, target: parseTarget(path, param), op, raw: text });
  }
  const references = new Set(
    parsed.filters.filter((f) => f.target.kind === 'reference').map((f) => (f.target as { fieldId: string }).fieldId),
  );
  if (references.size > MAX_REFERENCE_SEARCHES)
    throw invalidQuery(`At most ${MAX_REFERENCE_SEARCHES} reference searches are allowed in one query`);
  for (const fieldId of references) {
    if (!parsed.referenceContentTypes.has(fieldId)) {
      throw invalidQuery(`Searching on fields.${fieldId}.fields needs fields.${fieldId}.sys.contentType.sys.id`, {
        param: `fields.${fieldId}.sys.contentType.sys.id`,
      });
    }
  }
  return parsed;
}

/** Splits comma-separated operator values (`[in]`, `[nin]`, `[all]`, `[near]`, `[within]`). */
export function listValues(raw: string): string[] {
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
