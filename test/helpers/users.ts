import type { PlainClientAPI } from 'contentful-management';
import type { TestServer } from './server.js';

export interface TestUser {
  id: string;
  token: string;
  client: PlainClientAPI;
}

/**
 * A user with a token, made by the operator and added to the organization; with `roleId`, a member of
 * the space (not an admin) with that role.
 */
export async function organizationUser(server: TestServer, email: string, space?: { spaceId: string; roleId: string }): Promise<TestUser> {
  const created = await server.services.users.create({ email });
  await server.services.organizations.addMember(server.organizationId, created.id, 'member');
  const token = (await server.services.accessTokens.create(created.id, { name: email, scopes: ['content_management_manage'] })).token!;
  if (space)
    await server.plainClient().spaceMembership.create({ spaceId: space.spaceId }, {
      admin: false,
      roles: [{ sys: { type: 'Link', linkType: 'Role', id: space.roleId } }],
      email,
    } as never);
  return { id: created.id, token, client: server.plainClient(token) };
}
