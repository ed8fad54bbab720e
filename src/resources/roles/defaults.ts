import type { PolicyAction, PolicyConstraint, RoleInput, RolePermissions, RolePolicy } from '../../domain/roles.js';

/** Contentful's default permissions: read the content model, nothing else outside content. */
const CONTENT_ONLY: RolePermissions = {
  ContentModel: ['read'],
  Settings: [],
  ContentDelivery: [],
  Environments: [],
  EnvironmentAliases: [],
  Tags: [],
};

const ofType = (type: 'Entry' | 'Asset'): PolicyConstraint => ({ equals: [{ doc: 'sys.type' }, type] });
const TYPES = ['Entry', 'Asset'] as const;

/** One allow policy per action and entity type, in the order Contentful's own default roles list them. */
const allowEach = (actions: PolicyAction[], extra?: PolicyConstraint): RolePolicy[] =>
  TYPES.flatMap((type) =>
    actions.map((action) => ({
      effect: 'allow' as const,
      actions: [action],
      constraint: { and: extra ? [ofType(type), extra] : [ofType(type)] },
    })),
  );

/**
 * The roles Contentful gives every new space (its help center's "default roles"; the names, descriptions,
 * permissions and policies of Author, Editor and Translator as Contentful's own exports carry them).
 * The space admin is a membership flag, not a role. They are ordinary roles: admins may change or delete them.
 */
export const DEFAULT_ROLES: readonly RoleInput[] = [
  {
    name: 'Author',
    description: 'Allows editing of content',
    permissions: CONTENT_ONLY,
    policies: allowEach(['create', 'read', 'update']),
  },
  {
    name: 'Editor',
    description: 'Allows editing, publishing and archiving of content',
    permissions: CONTENT_ONLY,
    policies: TYPES.map((type) => ({ effect: 'allow' as const, actions: 'all' as const, constraint: { and: [ofType(type)] } })),
  },
  {
    name: 'Freelancer',
    description: 'Allows creating content, and editing and deleting the content they created themselves',
    permissions: CONTENT_ONLY,
    policies: [
      ...allowEach(['create']),
      ...allowEach(['read', 'update', 'delete'], { equals: [{ doc: 'sys.createdBy.sys.id' }, 'User.current()'] }),
    ],
  },
  {
    name: 'Translator',
    description: 'Allows editing of localized fields in the specified language',
    permissions: CONTENT_ONLY,
    policies: [
      ...TYPES.map((type) => ({ effect: 'allow' as const, actions: ['read' as const], constraint: { and: [ofType(type)] } })),
      ...allowEach(['update'], { paths: [{ doc: 'fields.%.%' }] }),
    ],
  },
];
