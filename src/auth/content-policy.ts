import { isDeepStrictEqual } from 'node:util';
import { sql, type Expression, type SqlBool } from 'kysely';
import { accessDenied } from '../domain/errors.js';
import type { PolicyAction, PolicyConstraint, RolePolicy } from '../domain/roles.js';

/** What a policy constraint can see of an entry or asset: its system metadata and tags (seed 000, "Roles"). */
export interface PolicyEntity {
  type: 'Entry' | 'Asset';
  id: string;
  contentTypeId?: string | null;
  createdBy: string | null;
  tags: readonly string[];
}

/** A place inside an entity an update touches: `fields.<field>.<locale>` or `metadata.tags`. */
export type EntityPath = readonly string[];

/** `User.current()` in a constraint stands for the caller. */
const CURRENT_USER = 'User.current()';
const ALL_ACTIONS = 'all';

type DocValue = string | readonly string[] | null | undefined;

function docValue(entity: PolicyEntity, doc: string): DocValue {
  switch (doc) {
    case 'sys.type':
      return entity.type;
    case 'sys.id':
      return entity.id;
    case 'sys.contentType.sys.id':
      return entity.contentTypeId;
    case 'sys.createdBy.sys.id':
      return entity.createdBy;
    case 'metadata.tags.sys.id':
      return entity.tags;
    default:
      return undefined;
  }
}

/** `%` matches any one segment; a pattern shorter than the path covers everything beneath it. */
function pathMatches(pattern: string, path: EntityPath): boolean {
  const segments = pattern.split('.');
  if (segments.length > path.length) return false;
  return segments.every((segment, i) => segment === '%' || segment === path[i]);
}

/**
 * The policies of a member's roles, evaluated with Contentful's semantics: an action is allowed when some
 * allow policy for it matches and no deny policy for it does. `paths` terms (`fields.<field>.<locale>`,
 * `%` for any) only narrow where inside an entity an update may write.
 */
export class ContentPolicy {
  static readonly unrestricted = new ContentPolicy('all', '');

  constructor(
    private readonly policies: readonly RolePolicy[] | 'all',
    private readonly userId: string,
  ) {}

  get isUnrestricted(): boolean {
    return this.policies === 'all';
  }

  allows(action: PolicyAction, entity: PolicyEntity, path?: EntityPath): boolean {
    if (this.policies === 'all') return true;
    const applicable = this.policies.filter((p) => p.actions === ALL_ACTIONS || p.actions.includes(action));
    const matches = (p: RolePolicy) => p.constraint === undefined || this.evaluate(p.constraint, entity, path, p.effect === 'allow');
    return applicable.some((p) => p.effect === 'allow' && matches(p)) && !applicable.some((p) => p.effect === 'deny' && matches(p));
  }

  require(action: PolicyAction, entity: PolicyEntity): void {
    if (!this.allows(action, entity)) throw accessDenied(`Your role does not allow you to ${action} this ${entity.type.toLowerCase()}`);
  }

  /** An update must be allowed for the entity and for every field, locale and tag list it changes. */
  requireUpdate(entity: PolicyEntity, changedPaths: readonly EntityPath[]): void {
    this.require('update', entity);
    const refused = changedPaths.find((path) => !this.allows('update', entity, path));
    if (refused) throw accessDenied(`Your role does not allow you to change ${refused.join('.')} of this ${entity.type.toLowerCase()}`);
  }

  /**
   * `wholeEntity` is what a `paths` term means when the question is about the whole entity: an allow
   * limited to some paths still grants something (true); a deny limited to some paths does not deny
   * the whole entity (false).
   */
  private evaluate(constraint: PolicyConstraint, entity: PolicyEntity, path: EntityPath | undefined, wholeEntity: boolean): boolean {
    if ('and' in constraint) return constraint.and.every((c) => this.evaluate(c, entity, path, wholeEntity));
    if ('or' in constraint) return constraint.or.some((c) => this.evaluate(c, entity, path, wholeEntity));
    if ('not' in constraint) return !this.evaluate(constraint.not, entity, path, !wholeEntity);
    if ('paths' in constraint) return path === undefined ? wholeEntity : constraint.paths.some((p) => pathMatches(p.doc, path));
    if ('equals' in constraint) {
      const [{ doc }, expected] = constraint.equals;
      return valueMatches(docValue(entity, doc), [this.resolve(expected)]);
    }
    const [{ doc }, values] = constraint.in;
    return valueMatches(
      docValue(entity, doc),
      values.map((v) => this.resolve(v)),
    );
  }

  private resolve(value: unknown): string {
    return value === CURRENT_USER ? this.userId : String(value);
  }

  /**
   * The read rule as SQL over an entries or assets table aliased `alias`, so collections are filtered
   * before paging. Undefined when nothing is filtered.
   */
  readFilter(type: PolicyEntity['type'], alias: string): Expression<SqlBool> | undefined {
    if (this.policies === 'all') return undefined;
    const applicable = this.policies.filter((p) => p.actions === ALL_ACTIONS || p.actions.includes('read'));
    const toSql = (p: RolePolicy) =>
      p.constraint === undefined ? sql<SqlBool>`true` : this.compile(p.constraint, type, alias, p.effect === 'allow');
    const allowed = applicable.filter((p) => p.effect === 'allow').map(toSql);
    const denied = applicable.filter((p) => p.effect === 'deny').map(toSql);
    const allow = allowed.length ? sql<SqlBool>`(${sql.join(allowed, sql` or `)})` : sql<SqlBool>`false`;
    return denied.length ? sql<SqlBool>`(${allow} and not (${sql.join(denied, sql` or `)}))` : allow;
  }

  private compile(constraint: PolicyConstraint, type: PolicyEntity['type'], alias: string, wholeEntity: boolean): Expression<SqlBool> {
    const column = (name: string) => sql.ref(`${alias}.${name}`);
    const each = (list: PolicyConstraint[]) => list.map((c) => this.compile(c, type, alias, wholeEntity));
    if ('and' in constraint) return sql<SqlBool>`(${sql.join(each(constraint.and), sql` and `)})`;
    if ('or' in constraint) return sql<SqlBool>`(${sql.join(each(constraint.or), sql` or `)})`;
    if ('not' in constraint) return sql<SqlBool>`(not ${this.compile(constraint.not, type, alias, !wholeEntity)})`;
    if ('paths' in constraint) return wholeEntity ? sql<SqlBool>`true` : sql<SqlBool>`false`;
    const [{ doc }, raw] = 'equals' in constraint ? [constraint.equals[0], [constraint.equals[1]]] : constraint.in;
    const values = raw.map((v) => this.resolve(v));
    if (values.length === 0) return sql<SqlBool>`false`;
    const list = sql.join(values);
    switch (doc) {
      case 'sys.type':
        return values.includes(type) ? sql<SqlBool>`true` : sql<SqlBool>`false`;
      case 'sys.id':
        return sql<SqlBool>`${column('id')} in (${list})`;
      case 'sys.contentType.sys.id':
        return type === 'Entry' ? sql<SqlBool>`${column('content_type_id')} in (${list})` : sql<SqlBool>`false`;
      case 'sys.createdBy.sys.id':
        // An entity without a creator matches no value (false, as in `allows`), never unknown: a null here
        // would make `not (...)` and a deny's `and not` hide it.
        return sql<SqlBool>`coalesce(${column('created_by')} in (${list}), false)`;
      case 'metadata.tags.sys.id':
        return sql<SqlBool>`${column('tags')} && array[${list}]::text[]`;
      default:
        return sql<SqlBool>`false`;
    }
  }
}

function valueMatches(actual: DocValue, expected: readonly string[]): boolean {
  if (actual === null || actual === undefined) return false;
  if (typeof actual === 'string') return expected.includes(actual);
  return actual.some((v) => expected.includes(v));
}

/** The `fields.<field>.<locale>` paths whose values differ between two versions of an entity's fields. */
export function changedFieldPaths(
  before: Record<string, Record<string, unknown> | undefined>,
  after: Record<string, Record<string, unknown> | undefined>,
): EntityPath[] {
  const paths: EntityPath[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[field] ?? {};
    const next = after[field] ?? {};
    for (const locale of new Set([...Object.keys(old), ...Object.keys(next)])) {
      if (!isDeepStrictEqual(old[locale], next[locale])) paths.push(['fields', field, locale]);
    }
  }
  return paths;
}

export const TAGS_PATH: EntityPath = ['metadata', 'tags'];
