import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 21: what the official SDK's own integration tests (user, space-user, space-team, space-member,
 * role, organization-*) expect of organizations, their users and the access resources of spaces.
 */

let server: TestServer;
let admin: PlainClientAPI;
let organizationId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = server.plainClient();
  organizationId = server.organizationId;
});
afterAll(async () => {
  await server?.close();
});

async function orgUser(email: string, role: 'owner' | 'admin' | 'member') {
  const user = await server.services.users.create({ email });
  await server.services.organizations.addMember(organizationId, user.id, role);
  const token = (await server.services.accessTokens.create(user.id, { name: email, scopes: ['content_management_manage'] })).token!;
  return { id: user.id, token, client: server.plainClient(token) };
}

const roleLink = (id: string) => ({ sys: { type: 'Link', linkType: 'Role', id } });

describe('space members', () => {
  it('are identified as {spaceId}-{userId}, and found by that id or by the user id', async () => {
    const spaceId = (await admin.space.create({}, { name: 'Members' })).sys.id;
    const members = await admin.spaceMember.getMany({ spaceId });
    expect(members.items.map((m) => m.sys.id)).toEqual([`${spaceId}-${server.adminUserId}`]);
    expect(members.items[0].sys.user.sys.id).toBe(server.adminUserId);
    // The SDK's space-member test asks by user id and expects the composite id back.
    expect((await admin.spaceMember.get({ spaceId, spaceMemberId: server.adminUserId })).sys.id).toBe(`${spaceId}-${server.adminUserId}`);
    expect((await admin.spaceMember.get({ spaceId, spaceMemberId: `${spaceId}-${server.adminUserId}` })).sys.type).toBe('SpaceMember');
    await expectSdkError(admin.spaceMember.get({ spaceId, spaceMemberId: `${spaceId}-nobody` }), 404, 'NotFound');
  });
});

describe('default roles', () => {
  it('a new space has Contentful’s default roles, which memberships can be given at once', async () => {
    const spaceId = (await admin.space.create({}, { name: 'Defaults' })).sys.id;
    const roles = await admin.role.getMany({ spaceId });
    expect(roles.items.map((r) => r.name).sort()).toEqual(['Author', 'Editor', 'Freelancer', 'Translator']);
    const editor = roles.items.find((r) => r.name === 'Editor')!;
    expect(editor).toMatchObject({
      description: 'Allows editing, publishing and archiving of content',
      permissions: { ContentModel: ['read'], Settings: [], ContentDelivery: [], Environments: [], EnvironmentAliases: [], Tags: [] },
      policies: [
        { effect: 'allow', actions: 'all', constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }] } },
        { effect: 'allow', actions: 'all', constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Asset'] }] } },
      ],
      sys: { type: 'Role', space: { sys: { id: spaceId } } },
    });

    // The SDK's space-membership test: a new space's first role is given to a member right away.
    const author = await orgUser('author@example.com', 'member');
    const authorRole = roles.items.find((r) => r.name === 'Author')!;
    await admin.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [roleLink(authorRole.sys.id)],
      email: 'author@example.com',
    } as never);
    const env = { spaceId, environmentId: 'master' };
    await admin.contentType.createWithId({ ...env, contentTypeId: 'post' }, {
      name: 'Post',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
    } as never);
    await admin.contentType.publish(
      { ...env, contentTypeId: 'post' },
      (await admin.contentType.get({ ...env, contentTypeId: 'post' })) as never,
    );
    // Authors create and edit, and may not publish or delete.
    const entry = await author.client.entry.create({ ...env, contentTypeId: 'post' }, { fields: { title: { 'en-US': 'By an author' } } });
    await expectSdkError(author.client.entry.publish({ ...env, entryId: entry.sys.id }, entry), 403, 'AccessDenied');
    await expectSdkError(author.client.entry.delete({ ...env, entryId: entry.sys.id }), 403, 'AccessDenied');
  });
});

describe('organizations', () => {
  it('lists 25 organizations a page unless asked for more, as Contentful does', async () => {
    expect((await admin.organization.getAll()).limit).toBe(25);
    expect((await admin.organization.getAll({ query: { limit: 100 } })).limit).toBe(100);
  });
});

describe('spaces', () => {
  it('page by cursor as the SDK asks for them (cursor=true): pages links and no total, forwards and backwards', async () => {
    const user = await orgUser('cursor-pager@example.com', 'member');
    const made: string[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const spaceId = (await admin.space.create({ organizationId }, { name })).sys.id;
      await admin.spaceMembership.create({ spaceId }, { admin: true, email: 'cursor-pager@example.com' } as never);
      made.push(spaceId);
    }
    const first = (await user.client.space.getMany({ query: { cursor: true, limit: 2 } })) as unknown as {
      items: { sys: { id: string } }[];
      total?: number;
      pages: { next?: string; prev?: string };
    };
    expect(first.total).toBeUndefined();
    expect(first.items.map((s) => s.sys.id)).toEqual(made.slice(0, 2));
    expect(first.pages.prev).toBeUndefined();
    const pageNext = new URLSearchParams(first.pages.next!.slice(1)).get('pageNext')!;
    const second = (await (
      await server.request('GET', `/spaces?limit=2&pageNext=${pageNext}`, { headers: { authorization: `Bearer ${user.token}` } })
    ).json()) as typeof first;
    expect(second.items.map((s) => s.sys.id)).toEqual(made.slice(2));
    expect(second.pages.next).toBeUndefined();
    const pagePrev = new URLSearchParams(second.pages.prev!.slice(1)).get('pagePrev')!;
    const back = (await (
      await server.request('GET', `/spaces?limit=2&pagePrev=${pagePrev}`, { headers: { authorization: `Bearer ${user.token}` } })
    ).json()) as typeof first;
    expect(back.items.map((s) => s.sys.id)).toEqual(made.slice(0, 2));
  });
});

describe('organization invitations', () => {
  it('invite with every organization role Contentful has, developer included; developers do not manage the organization', async () => {
    const invitation = await admin.organizationInvitation.create(
      { organizationId },
      { email: 'dev@example.com', firstName: 'Dev', lastName: 'Eloper', role: 'developer' },
    );
    expect(invitation).toMatchObject({ role: 'developer', sys: { type: 'Invitation' } });
    const membership = await admin.organizationMembership.get({
      organizationId,
      organizationMembershipId: invitation.sys.organizationMembership.sys.id,
    });
    expect(membership.role).toBe('developer');

    const developer = await orgUser('developer@example.com', 'member');
    const own = (await admin.organizationMembership.getMany({ organizationId, query: { limit: 100 } })).items.find(
      (m) => m.sys.user.sys.id === developer.id,
    )!;
    expect(
      (await admin.organizationMembership.update({ organizationId, organizationMembershipId: own.sys.id }, { ...own, role: 'developer' }))
        .role,
    ).toBe('developer');
    await expectSdkError(developer.client.organizationMembership.getMany({ organizationId }), 403, 'AccessDenied');
    await expectSdkError(developer.client.space.create({}, { name: 'Not mine to make' }), 403, 'AccessDenied');
  });
});

describe('organization and space reads the SDK makes', () => {
  let spaceId: string;
  let teamId: string;
  let member: Awaited<ReturnType<typeof orgUser>>;
  let teammate: Awaited<ReturnType<typeof orgUser>>;

  beforeAll(async () => {
    spaceId = (await admin.space.create({}, { name: 'Reads' })).sys.id;
    member = await orgUser('reader@example.com', 'member');
    const roles = await admin.role.getMany({ spaceId });
    const editor = roles.items.find((r) => r.name === 'Editor')!;
    await admin.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [roleLink(editor.sys.id)],
      email: 'reader@example.com',
    } as never);
    teamId = (await admin.team.create({ organizationId }, { name: 'Readers', description: '' })).sys.id;
    await admin.teamSpaceMembership.create({ spaceId, teamId }, { admin: false, roles: [roleLink(editor.sys.id)] } as never);
    teammate = await orgUser('teammate@example.com', 'member');
    const organizationMembershipId = (await admin.organizationMembership.getMany({ organizationId, query: { limit: 100 } })).items.find(
      (m) => m.sys.user.sys.id === teammate.id,
    )!.sys.id;
    await admin.teamMembership.create({ organizationId, teamId }, { admin: false, organizationMembershipId });
  });

  it('GET /organizations/{o}/roles: the roles of every space of the organization, for owners and admins', async () => {
    const roles = await admin.role.getManyForOrganization({ organizationId, query: { limit: 1000 } });
    const ofSpace = roles.items.filter((r) => r.sys.space.sys.id === spaceId);
    expect(ofSpace.map((r) => r.name).sort()).toEqual(['Author', 'Editor', 'Freelancer', 'Translator']);
    expect(roles.total).toBe(roles.items.length);
    expect((await admin.role.getManyForOrganization({ organizationId, query: { limit: 1, skip: 1 } })).items).toHaveLength(1);
    await expectSdkError(member.client.role.getManyForOrganization({ organizationId }), 403, 'AccessDenied');
  });

  it('GET /organizations/{o}/space_memberships[/{id}]: the space memberships of every space of the organization', async () => {
    const memberships = await admin.spaceMembership.getManyForOrganization({ organizationId, query: { limit: 1000 } });
    const reader = memberships.items.find((m) => m.user.sys.id === member.id)!;
    expect(reader).toMatchObject({ admin: false, sys: { type: 'SpaceMembership', space: { sys: { id: spaceId } } } });
    const one = await admin.spaceMembership.getForOrganization({ organizationId, spaceMembershipId: reader.sys.id });
    expect(one.sys.id).toBe(reader.sys.id);
    expect(one.user.sys.linkType).toBe('User');
    await expectSdkError(admin.spaceMembership.getForOrganization({ organizationId, spaceMembershipId: 'nope' }), 404, 'NotFound');
    await expectSdkError(member.client.spaceMembership.getManyForOrganization({ organizationId }), 403, 'AccessDenied');
  });

  it('GET /organizations/{o}/users/{id}: one user of the organization', async () => {
    const user = await admin.user.getForOrganization({ organizationId, userId: member.id });
    expect(user).toMatchObject({ email: 'reader@example.com', sys: { type: 'User', id: member.id } });
    const stranger = await server.services.users.create({ email: 'stranger@example.com' });
    await expectSdkError(admin.user.getForOrganization({ organizationId, userId: stranger.id }), 404, 'NotFound');
    await expectSdkError(member.client.user.getForOrganization({ organizationId, userId: member.id }), 403, 'AccessDenied');
  });

  it('GET /spaces/{s}/users[/{id}]: the users with access to the space, directly or through a team, for its members', async () => {
    const users = await member.client.user.getManyForSpace({ spaceId });
    expect(users.items.map((u) => u.sys.id).sort()).toEqual([server.adminUserId, member.id, teammate.id].sort());
    expect(users.total).toBe(3);
    expect(users.items.every((u) => u.sys.type === 'User')).toBe(true);
    const user = await member.client.user.getForSpace({ spaceId, userId: server.adminUserId });
    expect(user.sys).toMatchObject({ type: 'User', id: server.adminUserId });
    const outsider = await orgUser('outsider@example.com', 'member');
    await expectSdkError(admin.user.getForSpace({ spaceId, userId: outsider.id }), 404, 'NotFound');
    await expectSdkError(outsider.client.user.getManyForSpace({ spaceId }), 404, 'NotFound');
  });

  it('GET /spaces/{s}/teams: the teams with a team space membership in the space', async () => {
    const other = (await admin.team.create({ organizationId }, { name: 'Elsewhere', description: '' })).sys.id;
    const teams = await member.client.team.getManyForSpace({ spaceId });
    expect(teams.items.map((t) => [t.sys.type, t.sys.id, t.name])).toEqual([['Team', teamId, 'Readers']]);
    expect(teams.items.map((t) => t.sys.id)).not.toContain(other);
    expect(teams.total).toBe(1);
  });
});
