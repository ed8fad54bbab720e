import type { PermissionArea, PermissionValue, Policy, PolicyAction, PolicyConstraint, Role, RoleInput } from '../../api/settings-access';

/**
 * A role as the role editor shows it, and back. Contentful's web app writes one policy per rule:
 * `{effect, actions, constraint: {and: [sys.type, content type?, created by the user?, paths?]}}`; a
 * rule left unchanged keeps the policy it was read from verbatim, so saving never rewrites what the
 * editor only displayed.
 */

export const ACTIONS: readonly PolicyAction[] = ['read', 'create', 'update', 'delete', 'publish', 'unpublish', 'archive', 'unarchive'];
export type EntityType = 'Entry' | 'Asset';

export interface Rule {
  key: number;
  effect: 'allow' | 'deny';
  type: EntityType;
  actions: 'all' | PolicyAction[];
  /** Entries only: of any content type, or of these. */
  contentTypes: 'all' | string[];
  /** Only what the user created themselves (`sys.createdBy` is `User.current()`). */
  ownOnly: boolean;
  /** The locales an update may change (`paths: fields.%.<code>`); none: no paths term; `%` stands for any locale. */
  locales?: string[];
  /** The policy the rule was read from, saved as it is while the rule is unchanged. */
  source?: Policy;
}

export type Level = 'none' | 'read' | 'manage';
/** The permission areas and the levels Contentful offers for each (seed 000: "read" is not for Settings and Environments). */
export const AREAS: readonly { area: PermissionArea; label: string; help: string; levels: readonly Level[] }[] = [
  { area: 'ContentModel', label: 'Content model', help: 'Read or change content types.', levels: ['none', 'read', 'manage'] },
  {
    area: 'ContentDelivery',
    label: 'API keys',
    help: 'See or manage the delivery and preview API keys.',
    levels: ['none', 'read', 'manage'],
  },
  {
    area: 'Settings',
    label: 'Space settings',
    help: 'Locales, webhooks, the space name (not users or roles).',
    levels: ['none', 'manage'],
  },
  { area: 'Environments', label: 'Environments', help: 'Manage and use every environment of the space.', levels: ['none', 'manage'] },
  {
    area: 'EnvironmentAliases',
    label: 'Environment aliases',
    help: 'Create aliases and change the environment they point to.',
    levels: ['none', 'manage'],
  },
  { area: 'Tags', label: 'Tags', help: 'Create and manage tags.', levels: ['none', 'manage'] },
];

export interface RoleDraft {
  name: string;
  description: string;
  levels: Record<PermissionArea, Level>;
  rules: Rule[];
  /** The policies as loaded when the editor cannot show them as rules: shown as JSON and saved as they are. */
  rawPolicies?: Policy[];
}

let nextKey = 1;
export const newKey = () => nextKey++;

export function levelOf(value: PermissionValue | undefined): Level {
  if (value === 'all' || (Array.isArray(value) && value.includes('manage'))) return 'manage';
  if (Array.isArray(value) && value.includes('read')) return 'read';
  return 'none';
}

const LEVEL_VALUES: Record<Level, PermissionValue> = { none: [], read: ['read'], manage: 'all' };

const docOf = (term: { equals: [{ doc: string }, unknown] } | { in: [{ doc: string }, unknown[]] }) =>
  'equals' in term ? term.equals[0].doc : term.in[0].doc;
const LOCALE_PATH = /^fields\.%\.([^.]+)$/;

/** The rule a policy is, or undefined when the editor cannot show it (a policy written by hand). */
export function parsePolicy(policy: Policy): Rule | undefined {
  if (policy.effect !== 'allow' && policy.effect !== 'deny') return undefined;
  const actions = policy.actions;
  if (actions !== 'all' && !(Array.isArray(actions) && actions.length > 0 && actions.every((a) => ACTIONS.includes(a)))) return undefined;
  const constraint = policy.constraint;
  const terms: PolicyConstraint[] = constraint === undefined ? [] : 'and' in constraint ? constraint.and : [constraint];
  let type: EntityType | undefined;
  let contentTypes: Rule['contentTypes'] = 'all';
  let ownOnly = false;
  let locales: string[] | undefined;
  for (const term of terms) {
    if ('paths' in term) {
      const codes = term.paths.map((p) => LOCALE_PATH.exec(p.doc)?.[1]);
      if (locales || codes.some((c) => c === undefined)) return undefined;
      locales = codes as string[];
      continue;
    }
    if (!('equals' in term) && !('in' in term)) return undefined;
    const doc = docOf(term);
    const values = 'equals' in term ? [term.equals[1]] : term.in[1];
    if (doc === 'sys.type' && 'equals' in term && !type && (values[0] === 'Entry' || values[0] === 'Asset')) type = values[0];
    else if (doc === 'sys.contentType.sys.id' && contentTypes === 'all' && values.length > 0 && values.every((v) => typeof v === 'string'))
      contentTypes = values as string[];
    else if (doc === 'sys.createdBy.sys.id' && 'equals' in term && !ownOnly && values[0] === 'User.current()') ownOnly = true;
    else return undefined;
  }
  if (!type || (type === 'Asset' && contentTypes !== 'all')) return undefined;
  return { key: newKey(), effect: policy.effect, type, actions, contentTypes, ownOnly, locales, source: policy };
}

/** The policy Contentful's web app writes for a rule (the one it was read from while unchanged). */
export function toPolicy(rule: Rule): Policy {
  if (rule.source) return rule.source;
  const terms: PolicyConstraint[] = [{ equals: [{ doc: 'sys.type' }, rule.type] }];
  if (rule.type === 'Entry' && rule.contentTypes !== 'all') {
    const doc = { doc: 'sys.contentType.sys.id' };
    terms.push(rule.contentTypes.length === 1 ? { equals: [doc, rule.contentTypes[0]] } : { in: [doc, rule.contentTypes] });
  }
  if (rule.ownOnly) terms.push({ equals: [{ doc: 'sys.createdBy.sys.id' }, 'User.current()'] });
  if (rule.locales) terms.push({ paths: rule.locales.map((code) => ({ doc: `fields.%.${code}` })) });
  const actions = rule.actions === 'all' ? 'all' : ACTIONS.filter((a) => rule.actions.includes(a));
  return { effect: rule.effect, actions, constraint: { and: terms } };
}

/** What keeps a rule from being saved, if anything. */
export function ruleProblem(rule: Rule): string | undefined {
  if (rule.actions !== 'all' && rule.actions.length === 0) return 'Choose at least one action.';
  if (rule.contentTypes !== 'all' && rule.contentTypes.length === 0) return 'Choose at least one content type.';
  if (rule.locales?.length === 0) return 'Choose at least one locale.';
  return undefined;
}

export function newRule(type: EntityType): Rule {
  return { key: newKey(), effect: 'allow', type, actions: ['read'], contentTypes: 'all', ownOnly: false };
}

/** Contentful's default permissions for a new role: read the content model, nothing else outside content. */
const NEW_ROLE_LEVELS: Record<PermissionArea, Level> = {
  ContentModel: 'read',
  ContentDelivery: 'none',
  Settings: 'none',
  Environments: 'none',
  EnvironmentAliases: 'none',
  Tags: 'none',
};

export function toDraft(role?: Role): RoleDraft {
  if (!role) return { name: '', description: '', levels: { ...NEW_ROLE_LEVELS }, rules: [] };
  const levels = Object.fromEntries(AREAS.map(({ area }) => [area, levelOf(role.permissions?.[area])])) as Record<PermissionArea, Level>;
  const rules = role.policies.map(parsePolicy);
  const representable = rules.every((r) => r !== undefined);
  return {
    name: role.name,
    description: role.description ?? '',
    levels,
    rules: representable ? (rules as Rule[]) : [],
    rawPolicies: representable ? undefined : role.policies,
  };
}

/** The body to save; a permission whose level did not change keeps the value it was read with. */
export function toRoleInput(draft: RoleDraft, original?: Role): RoleInput {
  const permissions: RoleInput['permissions'] = {};
  for (const { area } of AREAS) {
    const before = original?.permissions?.[area];
    const level = draft.levels[area];
    if (original && levelOf(before) === level) {
      if (before !== undefined) permissions[area] = before;
    } else permissions[area] = LEVEL_VALUES[level];
  }
  return {
    name: draft.name.trim(),
    description: draft.description.trim() || null,
    permissions,
    policies: draft.rawPolicies ?? draft.rules.map(toPolicy),
  };
}
