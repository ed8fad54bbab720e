import { MASTER } from '../domain/environments.js';

/**
 * Which webhooks an event triggers (seed 000, "Filtering webhook calls"): topics with `*` wildcards, and
 * filters on `sys.id`, `sys.environment.sys.id` and `sys.contentType.sys.id` joined by AND. Without
 * filters (absent or null) only the master environment triggers.
 */

export const FILTER_DOCS = ['sys.id', 'sys.environment.sys.id', 'sys.contentType.sys.id'] as const;
export type FilterDoc = (typeof FILTER_DOCS)[number];

type Condition =
  | { equals: [{ doc: FilterDoc }, string] }
  | { in: [{ doc: FilterDoc }, string[]] }
  | { regexp: [{ doc: FilterDoc }, { pattern: string }] };
export type WebhookFilter = Condition | { not: Condition };

export interface EventFacts {
  topic: string;
  entityId: string;
  environmentId: string;
  contentTypeId?: string;
}

/**
 * The entity types and actions of webhook topics Contentful documents: seed 000 (ContentType, Entry, Asset)
 * and its webhook reference (content events, action events, app event topics), plus `Tag` and `Snapshot`,
 * which its exports carry. Types and actions are checked apart, not as documented pairs, so that no topic a
 * real export carries is refused for a pairing the documentation leaves out. This server emits events for
 * ContentType, Entry, Asset, Task, Comment, Workflow, ScheduledAction, BulkAction, Release and ReleaseAction: topics
 * of the other types are kept and never fire.
 */
const TOPIC_TYPES = new Set([
  'ContentType',
  'Entry',
  'Asset',
  'Task',
  'Comment',
  'Workflow',
  'Release',
  'ReleaseAction',
  'BulkAction',
  'BulkContentOperation',
  'ScheduledAction',
  'AppInstallation',
  'Template',
  'TemplateInstallation',
  'Tag',
  'Snapshot',
]);
const TOPIC_ACTIONS = new Set([
  'create',
  'save',
  'auto_save',
  'archive',
  'unarchive',
  'publish',
  'unpublish',
  'delete',
  'complete',
  'execute',
  'update',
]);

/** `<Type>.<action>`, either part possibly the `*` wildcard. */
export function isTopic(topic: string): boolean {
  const parts = topic.split('.');
  if (parts.length !== 2) return false;
  const [type, action] = parts;
  return (type === '*' || TOPIC_TYPES.has(type)) && (action === '*' || TOPIC_ACTIONS.has(action));
}

/** `ContentManagement.Entry.publish` against `Entry.publish`, `Entry.*`, `*.publish`, `*.*`. */
export function topicMatches(topics: string[], topic: string): boolean {
  const [, type, action] = topic.split('.');
  return topics.some((t) => {
    const [wantType, wantAction] = t.split('.');
    return (wantType === '*' || wantType === type) && (wantAction === '*' || wantAction === action);
  });
}

function docValue(doc: FilterDoc, facts: EventFacts): string | undefined {
  if (doc === 'sys.id') return facts.entityId;
  if (doc === 'sys.environment.sys.id') return facts.environmentId;
  return facts.contentTypeId;
}

function conditionHolds(condition: Condition, facts: EventFacts): boolean {
  if ('equals' in condition) return docValue(condition.equals[0].doc, facts) === condition.equals[1];
  if ('in' in condition) return condition.in[1].includes(docValue(condition.in[0].doc, facts) ?? '');
  const value = docValue(condition.regexp[0].doc, facts);
  return value !== undefined && new RegExp(condition.regexp[1].pattern).test(value);
}

export function filtersMatch(filters: WebhookFilter[] | null | undefined, facts: EventFacts): boolean {
  if (filters === null || filters === undefined) return facts.environmentId === MASTER;
  return filters.every((f) => ('not' in f ? !conditionHolds(f.not, facts) : conditionHolds(f, facts)));
}

/** Checks a `filters` value; returns the problems with their paths. */
export function filterErrors(filters: unknown): { path: (string | number)[]; details: string }[] {
  if (filters === null || filters === undefined) return [];
  if (!Array.isArray(filters)) return [{ path: ['filters'], details: 'filters must be an array' }];
  const errors: { path: (string | number)[]; details: string }[] = [];
  for (const [i, filter] of filters.entries()) {
    const inner = filter && typeof filter === 'object' && 'not' in filter ? (filter as { not: unknown }).not : filter;
    const path = ['filters', i];
    if (!inner || typeof inner !== 'object') {
      errors.push({ path, details: 'A filter is an object' });
      continue;
    }
    const keys = Object.keys(inner);
    if (keys.length !== 1 || !['equals', 'in', 'regexp'].includes(keys[0])) {
      errors.push({ path, details: 'A filter is one of equals, in, regexp (optionally inside not)' });
      continue;
    }
    const [doc, arg] = (inner as Record<string, unknown[]>)[keys[0]] ?? [];
    if (
      !Array.isArray((inner as Record<string, unknown>)[keys[0]]) ||
      !FILTER_DOCS.includes((doc as { doc?: FilterDoc })?.doc as FilterDoc)
    ) {
      errors.push({ path: [...path, keys[0], 0], details: `doc must be one of ${FILTER_DOCS.join(', ')}` });
      continue;
    }
    if (keys[0] === 'equals' && typeof arg !== 'string')
      errors.push({ path: [...path, 'equals', 1], details: 'equals compares with a string' });
    if (keys[0] === 'in' && !(Array.isArray(arg) && arg.every((v) => typeof v === 'string')))
      errors.push({ path: [...path, 'in', 1], details: 'in needs a list of strings' });
    if (keys[0] === 'regexp') {
      const pattern = (arg as { pattern?: unknown })?.pattern;
      try {
        if (typeof pattern !== 'string') throw new Error();
        new RegExp(pattern);
      } catch {
        errors.push({ path: [...path, 'regexp', 1, 'pattern'], details: 'regexp needs a valid pattern' });
      }
    }
  }
  return errors;
}
