import { z } from 'zod';

/** Seed 000, "Roles": the permission areas and what each may hold. */
export const PERMISSION_AREAS = ['ContentModel', 'ContentDelivery', 'Environments', 'EnvironmentAliases', 'Settings', 'Tags'] as const;
export const POLICY_ACTIONS = ['read', 'create', 'update', 'delete', 'publish', 'unpublish', 'archive', 'unarchive'] as const;

const permissionValue = z.union([z.literal('all'), z.array(z.enum(['read', 'manage'])).max(2)]).nullable();

/** A policy constraint: `and`/`or` lists, `not`, `equals`, `in` on `{doc: path}`, and `paths` for fields and locales. */
export type PolicyConstraint =
  | { and: PolicyConstraint[] }
  | { or: PolicyConstraint[] }
  | { not: PolicyConstraint }
  | { equals: [{ doc: string }, unknown] }
  | { in: [{ doc: string }, unknown[]] }
  | { paths: { doc: string }[] };

const doc = z.object({ doc: z.string().min(1) }).strict();
export const constraint: z.ZodType<PolicyConstraint> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(constraint).min(1) }).strict(),
    z.object({ or: z.array(constraint).min(1) }).strict(),
    z.object({ not: constraint }).strict(),
    z.object({ equals: z.tuple([doc, z.union([z.string(), z.number(), z.boolean()])]) }).strict(),
    z.object({ in: z.tuple([doc, z.array(z.union([z.string(), z.number()]))]) }).strict(),
    z.object({ paths: z.array(doc).min(1) }).strict(),
  ]),
) as z.ZodType<PolicyConstraint>;

export const policy = z
  .object({
    effect: z.enum(['allow', 'deny']),
    actions: z.union([z.literal('all'), z.array(z.enum(POLICY_ACTIONS)).min(1)]),
    constraint: constraint.optional(),
  })
  .strict();

export const roleBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).nullable().optional(),
  permissions: z.partialRecord(z.enum(PERMISSION_AREAS), permissionValue).optional(),
  policies: z.array(policy).max(100).optional(),
});

export type RoleInput = z.infer<typeof roleBody>;
export type RolePolicy = z.infer<typeof policy>;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export type PermissionArea = (typeof PERMISSION_AREAS)[number];
export type RolePermissions = NonNullable<RoleInput['permissions']>;
