/** The pure rules of roles, as the server evaluates them (kept apart from React so specs can run them). */
export type PolicyAction = 'read' | 'create' | 'update' | 'delete' | 'publish' | 'unpublish' | 'archive' | 'unarchive';
type Constraint =
  | { and: Constraint[] }
  | { or: Constraint[] }
  | { not: Constraint }
  | { equals: [{ doc: string }, unknown] }
  | { in: [{ doc: string }, unknown[]] }
  | { paths: { doc: string }[] };
interface Policy {
  effect: 'allow' | 'deny';
  actions: 'all' | PolicyAction[];
  constraint?: Constraint;
}
type Area = 'ContentModel' | 'ContentDelivery' | 'Environments' | 'EnvironmentAliases' | 'Settings' | 'Tags';
export interface Role {
  name: string;
  policies: Policy[];
  permissions: Partial<Record<Area, 'all' | ('read' | 'manage')[] | null>>;
}

/** What a question about an entry or asset names: enough of its `sys` and tags for a role's constraints. */
export interface AccessSubject {
  type: 'Entry' | 'Asset';
  id?: string;
  contentTypeId?: string;
  createdBy?: string;
  tags?: string[];
}

/**
 * What the signed-in user may do in a space, from their space membership's roles, evaluated as the server
 * does (an action is allowed when an allow policy matches and no deny policy does; `paths` narrow updates
 * to fields and locales). The app only uses it to offer what is allowed: the CMA still decides.
 */
export interface SpaceAccess {
  admin: boolean;
  can(action: PolicyAction, subject: AccessSubject): boolean;
  /** Whether an update may write this field in this locale. */
  canEdit(subject: AccessSubject, fieldId: string, locale: string): boolean;
  /** `read` or `manage` of a permission area (content model, settings, environments, tags, API keys). */
  may(area: Area, level: 'read' | 'manage'): boolean;
}

export const ADMIN: SpaceAccess = { admin: true, can: () => true, canEdit: () => true, may: () => true };

function docValue(subject: AccessSubject, doc: string): string | string[] | undefined {
  if (doc === 'sys.type') return subject.type;
  if (doc === 'sys.id') return subject.id;
  if (doc === 'sys.contentType.sys.id') return subject.contentTypeId;
  if (doc === 'sys.createdBy.sys.id') return subject.createdBy;
  if (doc === 'metadata.tags.sys.id') return subject.tags ?? [];
  return undefined;
}

function pathCovers(pattern: string, path: string[]) {
  const segments = pattern.split('.');
  return segments.length <= path.length && segments.every((s, i) => s === '%' || s === path[i]);
}

export function roleAccess(roles: Role[], userId: string): SpaceAccess {
  const policies = roles.flatMap((r) => r.policies);
  const resolve = (value: unknown) => (value === 'User.current()' ? userId : String(value));
  const holds = (c: Constraint, subject: AccessSubject, path: string[] | undefined, whole: boolean): boolean => {
    if ('and' in c) return c.and.every((x) => holds(x, subject, path, whole));
    if ('or' in c) return c.or.some((x) => holds(x, subject, path, whole));
    if ('not' in c) return !holds(c.not, subject, path, !whole);
    if ('paths' in c) return path ? c.paths.some((p) => pathCovers(p.doc, path)) : whole;
    const [{ doc }, expected] = 'equals' in c ? [c.equals[0], [c.equals[1]]] : [c.in[0], c.in[1]];
    const actual = docValue(subject, doc);
    const wanted = expected.map(resolve);
    if (actual === undefined) return false;
    return typeof actual === 'string' ? wanted.includes(actual) : actual.some((v) => wanted.includes(v));
  };
  const allows = (action: PolicyAction, subject: AccessSubject, path?: string[]) => {
    const applicable = policies.filter((p) => p.actions === 'all' || p.actions.includes(action));
    const matches = (p: Policy) => !p.constraint || holds(p.constraint, subject, path, p.effect === 'allow');
    return applicable.some((p) => p.effect === 'allow' && matches(p)) && !applicable.some((p) => p.effect === 'deny' && matches(p));
  };
  return {
    admin: false,
    can: (action, subject) => allows(action, subject),
    canEdit: (subject, fieldId, locale) => allows('update', subject) && allows('update', subject, ['fields', fieldId, locale]),
    may: (area, level) =>
      roles.some((r) => {
        const value = r.permissions[area];
        return value === 'all' || (Array.isArray(value) && (value.includes('manage') || value.includes(level)));
      }),
  };
}
