import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let editorUserId: string;
let editorToken: string;

const editorRole = {
  name: 'Blog editor',
  description: 'Edits blog posts in English',
  permissions: { ContentModel: ['read'], Settings: [], ContentDelivery: 'all', Environments: [], EnvironmentAliases: [], Tags: ['read'] },
  policies: [
    {
      effect: 'allow',
      actions: ['read', 'update'],
      constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { equals: [{ doc: 'sys.contentType.sys.id' }, 'post'] }] },
    },
    { effect: 'deny', actions: ['update'], constraint: { paths: [{ doc: 'fields.%.de-DE' }] } },
  ],
};

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Roles' })).sys.id;
  const editor = await server.services.users.create({ email: 'editor@example.com' });
  await server.services.organizations.addMember(server.organizationId, editor.id, 'member');
  editorUserId = editor.id;
  editorToken = (await server.services.accessTokens.create(editor.id, { name: 'editor', scopes: ['content_management_manage'] })).token!;
});
afterAll(async () => {
  await server?.close();
});

describe('roles', () => {
  it('creates with permissions and policies, updates with a version, keeps names unique', async () => {
    const role = await client.role.create({ spaceId }, editorRole as never);
    expect(role).toMatchObject({ name: 'Blog editor', permissions: editorRole.permissions, policies: editorRole.policies });
    expect(role.sys).toMatchObject({ type: 'Role', version: 1 });
    const renamed = await client.role.update({ spaceId, roleId: role.sys.id }, { ...role, name: 'Senior editor' });
    expect(renamed.sys.version).toBe(2);
    await expectSdkError(client.role.update({ spaceId, roleId: role.sys.id }, { ...role, name: 'Stale' }), 409, 'VersionMismatch');
    await expectSdkError(client.role.create({ spaceId }, { ...editorRole, name: 'Senior editor' } as never), 422, 'ValidationFailed');
    // Beside Contentful's default roles, which every new space has.
    expect((await client.role.getMany({ spaceId, query: {} })).items.map((r) => r.name)).toEqual([
      'Author',
      'Editor',
      'Freelancer',
      'Senior editor',
      'Translator',
    ]);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown permission value', { name: 'x', permissions: { ContentModel: ['write'] } }, 'permissions.ContentModel'],
    ['an unknown action', { name: 'x', policies: [{ effect: 'allow', actions: ['fly'] }] }, 'policies.0.actions'],
    ['an unknown effect', { name: 'x', policies: [{ effect: 'maybe', actions: 'all' }] }, 'policies.0.effect'],
    [
      'a malformed constraint',
      { name: 'x', policies: [{ effect: 'allow', actions: 'all', constraint: { xor: [] } }] },
      'policies.0.constraint',
    ],
  ];
  for (const [label, body, path] of invalid) {
    it(`refuses ${label} with 422`, async () => {
      const error = await expectSdkError(client.role.create({ spaceId }, body as never), 422, 'ValidationFailed');
      expect((error.details.errors as { path: unknown[] }[]).map((e) => e.path.join('.')).some((p) => p.startsWith(path))).toBe(true);
    });
  }
});

describe('space memberships', () => {
  it("finds only users of the space's organization, by email or link, and tells no one else apart", async () => {
    const role = (await client.role.getMany({ spaceId, query: {} })).items[0];
    const roles = [{ sys: { type: 'Link', linkType: 'Role', id: role.sys.id } }];
    const stranger = await server.services.users.create({ email: 'elsewhere@example.com' });
    const before = (await client.spaceMembership.getMany({ spaceId, query: {} })).items.map((m) => m.sys.id);
    for (const [target, path] of [
      [{ email: 'elsewhere@example.com' }, 'email'],
      [{ email: 'nobody-at-all@example.com' }, 'email'],
      [{ user: { sys: { type: 'Link', linkType: 'User', id: stranger.id } } }, 'user'],
      [{ user: { sys: { type: 'Link', linkType: 'User', id: 'no-such-user' } } }, 'user'],
    ] as const) {
      const error = await expectSdkError(
        client.spaceMembership.create({ spaceId }, { admin: false, roles, ...target } as never),
        422,
        'ValidationFailed',
      );
      expect(error.details.errors).toEqual([
        { name: 'notResolvable', path: [path], details: "No such user in the space's organization; invite them to the organization first" },
      ]);
    }
    expect((await client.spaceMembership.getMany({ spaceId, query: {} })).items.map((m) => m.sys.id)).toEqual(before);
  });

  it('adds a member with a role, who then sees the space; removal takes access away at once', async () => {
    const role = (await client.role.getMany({ spaceId, query: {} })).items[0];
    await expectSdkError(
      client.spaceMembership.create({ spaceId }, { admin: false, roles: [], email: 'editor@example.com' } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(
      client.spaceMembership.create({ spaceId }, {
        admin: false,
        roles: [{ sys: { type: 'Link', linkType: 'Role', id: 'nope' } }],
        email: 'editor@example.com',
      } as never),
      422,
      'ValidationFailed',
    );
    const editorClient = server.plainClient(editorToken);
    await expectSdkError(editorClient.space.get({ spaceId }), 404, 'NotFound');
    const membership = await client.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [{ sys: { type: 'Link', linkType: 'Role', id: role.sys.id } }],
      email: 'editor@example.com',
    } as never);
    expect(membership).toMatchObject({ admin: false, user: { sys: { id: editorUserId } } });
    expect((await editorClient.space.get({ spaceId })).name).toBe('Roles');
    await expectSdkError(editorClient.space.delete({ spaceId }), 403, 'AccessDenied');

    await expectSdkError(client.role.delete({ spaceId, roleId: role.sys.id }), 400, 'BadRequest');
    const admin = await client.spaceMembership.update(
      { spaceId, spaceMembershipId: membership.sys.id },
      { ...membership, admin: true, roles: [] },
    );
    expect(admin.sys.version).toBe(2);
    await client.role.delete({ spaceId, roleId: role.sys.id });

    await client.spaceMembership.delete({ spaceId, spaceMembershipId: membership.sys.id });
    await expectSdkError(editorClient.space.get({ spaceId }), 404, 'NotFound');
  });
});
