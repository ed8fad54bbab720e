import { type Cma, type Collection, environmentPath, type Link, type User } from './cma';

/** The CMA calls of the access settings: roles, space memberships and members, teams and invitations. */

export type PermissionArea = 'ContentModel' | 'ContentDelivery' | 'Environments' | 'EnvironmentAliases' | 'Settings' | 'Tags';
export type PermissionValue = 'all' | ('read' | 'manage')[] | null;
export type PolicyAction = 'read' | 'create' | 'update' | 'delete' | 'publish' | 'unpublish' | 'archive' | 'unarchive';
export type PolicyConstraint =
  | { and: PolicyConstraint[] }
  | { or: PolicyConstraint[] }
  | { not: PolicyConstraint }
  | { equals: [{ doc: string }, unknown] }
  | { in: [{ doc: string }, unknown[]] }
  | { paths: { doc: string }[] };
export interface Policy {
  effect: 'allow' | 'deny';
  actions: 'all' | PolicyAction[];
  constraint?: PolicyConstraint;
}
export interface RoleInput {
  name: string;
  description: string | null;
  permissions: Partial<Record<PermissionArea, PermissionValue>>;
  policies: Policy[];
}
export interface Role extends RoleInput {
  sys: { id: string; version: number };
}

/** Who a membership grants access to a space, and how: an admin, or the roles named. */
export interface Grant {
  admin: boolean;
  roles: Link[];
}
export interface SpaceMembership extends Grant {
  user: Link;
  sys: { id: string; version: number };
}
export interface TeamSpaceMembership extends Grant {
  sys: { id: string; version: number; team: Link };
}
/** A user's access combining their own membership and those of their teams (read only). */
export interface SpaceMember extends Grant {
  sys: { id: string; user: Link; relatedMemberships: Link[] };
}
export interface SpaceUser extends User {
  activated?: boolean;
}
export interface Team {
  name: string;
  description: string | null;
  sys: { id: string; version: number; memberCount: number };
}
export interface Invitation {
  email: string;
  role: string;
  sys: { id: string; status: string };
}
export interface Locale {
  name: string;
  code: string;
  default: boolean;
}

const ALL = '?limit=1000';
const space = (spaceId: string) => `/spaces/${encodeURIComponent(spaceId)}`;
const roleLinks = (roleIds: string[]) => roleIds.map((id) => ({ sys: { type: 'Link' as const, linkType: 'Role', id } }));

export const listRoles = (cma: Cma, spaceId: string) => cma.request<Collection<Role>>('GET', `${space(spaceId)}/roles${ALL}`);
export const getRole = (cma: Cma, spaceId: string, roleId: string) =>
  cma.request<Role>('GET', `${space(spaceId)}/roles/${encodeURIComponent(roleId)}`);
/** A new role; the server chooses its id. */
export const createRole = (cma: Cma, spaceId: string, role: RoleInput) =>
  cma.request<Role>('POST', `${space(spaceId)}/roles`, { body: role });
/** At the version the editor started from: a newer one on the server is a 409. */
export const updateRole = (cma: Cma, spaceId: string, roleId: string, role: RoleInput, version: number) =>
  cma.request<Role>('PUT', `${space(spaceId)}/roles/${encodeURIComponent(roleId)}`, { body: role, version });
export const deleteRole = (cma: Cma, spaceId: string, roleId: string) =>
  cma.request<void>('DELETE', `${space(spaceId)}/roles/${encodeURIComponent(roleId)}`);

export const listSpaceMembers = (cma: Cma, spaceId: string) =>
  cma.request<Collection<SpaceMember>>('GET', `${space(spaceId)}/space_members${ALL}`);
export const listSpaceUsers = (cma: Cma, spaceId: string) => cma.request<Collection<SpaceUser>>('GET', `${space(spaceId)}/users${ALL}`);
export const listSpaceMemberships = (cma: Cma, spaceId: string) =>
  cma.request<Collection<SpaceMembership>>('GET', `${space(spaceId)}/space_memberships${ALL}`);
/** An existing user of the organization, named by their email. */
export const createSpaceMembership = (cma: Cma, spaceId: string, email: string, admin: boolean, roleIds: string[]) =>
  cma.request<SpaceMembership>('POST', `${space(spaceId)}/space_memberships`, { body: { email, admin, roles: roleLinks(roleIds) } });
export const updateSpaceMembership = (cma: Cma, spaceId: string, membership: SpaceMembership, admin: boolean, roleIds: string[]) =>
  cma.request<SpaceMembership>('PUT', `${space(spaceId)}/space_memberships/${encodeURIComponent(membership.sys.id)}`, {
    body: { admin, roles: roleLinks(roleIds) },
    version: membership.sys.version,
  });
export const deleteSpaceMembership = (cma: Cma, spaceId: string, membershipId: string) =>
  cma.request<void>('DELETE', `${space(spaceId)}/space_memberships/${encodeURIComponent(membershipId)}`);

export const listOrganizationTeams = (cma: Cma, organizationId: string) =>
  cma.request<Collection<Team>>('GET', `/organizations/${encodeURIComponent(organizationId)}/teams${ALL}`);
/** The teams with access to the space (every member may read them). */
export const listSpaceTeams = (cma: Cma, spaceId: string) => cma.request<Collection<Team>>('GET', `${space(spaceId)}/teams${ALL}`);
export const listTeamSpaceMemberships = (cma: Cma, spaceId: string) =>
  cma.request<Collection<TeamSpaceMembership>>('GET', `${space(spaceId)}/team_space_memberships${ALL}`);
/** The team is named in the X-Contentful-Team header, as the SDK sends it. */
export const createTeamSpaceMembership = (cma: Cma, spaceId: string, teamId: string, admin: boolean, roleIds: string[]) =>
  cma.request<TeamSpaceMembership>('POST', `${space(spaceId)}/team_space_memberships`, {
    body: { admin, roles: roleLinks(roleIds) },
    headers: { 'X-Contentful-Team': teamId },
  });
export const updateTeamSpaceMembership = (cma: Cma, spaceId: string, membership: TeamSpaceMembership, admin: boolean, roleIds: string[]) =>
  cma.request<TeamSpaceMembership>('PUT', `${space(spaceId)}/team_space_memberships/${encodeURIComponent(membership.sys.id)}`, {
    body: { admin, roles: roleLinks(roleIds) },
    version: membership.sys.version,
  });
export const deleteTeamSpaceMembership = (cma: Cma, spaceId: string, membershipId: string) =>
  cma.request<void>('DELETE', `${space(spaceId)}/team_space_memberships/${encodeURIComponent(membershipId)}`);

/** Makes the user (inactive until the operator accepts the invitation) and their organization membership. */
export const inviteToOrganization = (cma: Cma, organizationId: string, email: string, role: 'member' | 'developer' | 'admin') =>
  cma.request<Invitation>('POST', `/organizations/${encodeURIComponent(organizationId)}/invitations`, { body: { email, role } });

/** What a role's rules are written with: the environment's locales and content types. */
export const listLocales = (cma: Cma, spaceId: string, environmentId: string) =>
  cma.request<Collection<Locale>>('GET', `${environmentPath(spaceId, environmentId)}/locales${ALL}`);
