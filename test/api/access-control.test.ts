import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorResponse, expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let admin: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const isEntry = { equals: [{ doc: 'sys.type' }, 'Entry'] };
const isAsset = { equals: [{ doc: 'sys.type' }, 'Asset'] };

const ROLES = {
  postEditor: {
    name: 'Post editor (English)',
    permissions: { ContentModel: ['read'] },
    policies: [
      {
        effect: 'allow',
        actions: ['read', 'create', 'update', 'publish', 'unpublish', 'delete'],
        constraint: { and: [isEntry, { equals: [{ doc: 'sys.contentType.sys.id' }, 'post'] }] },
      },
      { effect: 'deny', actions: ['update'], constraint: { and: [isEntry, { paths: [{ doc: 'fields.%.de-DE' }] }] } },
    ],
  },
  translator: {
    name: 'Translator (German)',
    permissions: {},
    policies: [
      { effect: 'allow', actions: ['read'], constraint: { or: [isEntry, isAsset] } },
      { effect: 'allow', actions: ['update'], constraint: { and: [isEntry, { paths: [{ doc: 'fields.%.de-DE' }] }] } },
    ],
  },
  reader: {
    name: 'Read-only author',
    permissions: { ContentModel: ['read'], ContentDelivery: ['read'] },
    policies: [{ effect: 'allow', actions: ['read'] }],
  },
  nothing: { name: 'No access', permissions: {}, policies: [] },
  sandbox: {
    name: 'Sandbox developer',
    permissions: { Environments: 'all' },
    policies: [{ effect: 'allow', actions: ['read'], constraint: isAsset }],
  },
};
type RoleName = keyof typeof ROLES;
const roleIds = {} as Record<RoleName, string>;

/** A user with a token, made by the operator, optionally a member of the space with one role. */
async function user(email: string, role?: RoleName) {
  const created = await server.services.users.create({ email });
  await server.services.organizations.addMember(server.organizationId, created.id, 'member');
  const token = (await server.services.accessTokens.create(created.id, { name: email, scopes: ['content_management_manage'] })).token!;
  if (role) await admin.spaceMembership.create({ spaceId }, { admin: false, roles: [link('Role', roleIds[role])], email } as never);
  return { id: created.id, token, client: server.plainClient(token) };
}

async function entryVersion(entryId: string) {
  return (await admin.entry.get({ ...env(), entryId })).sys.version;
}

beforeAll(async () => {
  // Lookups kept long: every test here then relies on management writes forgetting them at once.
  server = await startTestServer({ ACCESS_CACHE_TTL_MS: '600000' });
  admin = server.plainClient();
  spaceId = (await admin.space.create({}, { name: 'Access' })).sys.id;
  await admin.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
  for (const [id, name] of [
    ['post', 'Post'],
    ['page', 'Page'],
  ]) {
    const ct = await admin.contentType.createWithId({ ...env(), contentTypeId: id }, {
      name,
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'related', name: 'Related', type: 'Link', linkType: 'Entry' },
      ],
    } as never);
    await admin.contentType.publish({ ...env(), contentTypeId: id }, ct);
  }
  const about = await admin.entry.createWithId(
    { ...env(), entryId: 'about', contentTypeId: 'page' },
    { fields: { title: { 'en-US': 'About', 'de-DE': 'Über' } } },
  );
  await admin.entry.publish({ ...env(), entryId: 'about' }, about);
  await admin.entry.createWithId(
    { ...env(), entryId: 'hello', contentTypeId: 'post' },
    {
      fields: { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' }, related: { 'en-US': link('Entry', 'about') } },
    },
  );
  await admin.asset.createWithId({ ...env(), assetId: 'logo' }, { fields: { title: { 'en-US': 'Logo' } } } as never);
  for (const name of Object.keys(ROLES) as RoleName[]) roleIds[name] = (await admin.role.create({ spaceId }, ROLES[name] as never)).sys.id;
  await admin.environment.createWithId({ spaceId, environmentId: 'sandbox' }, { name: 'Sandbox' });
  await waitFor('the sandbox to be ready', async () => {
    const sandbox = await admin.environment.get({ spaceId, environmentId: 'sandbox' });
    return (sandbox.sys as unknown as { status: { sys: { id: string } } }).status.sys.id === 'ready';
  });
});
afterAll(async () => {
  await server?.close();
});

describe('an editor limited to one content type and one locale', () => {
  it('reads, creates, updates and publishes posts in English, and nothing else', async () => {
    const { client } = await user('editor@example.com', 'postEditor');
    const list = await client.entry.getMany({ ...env(), query: {} });
    expect(list.items.map((e) => e.sys.id)).toEqual(['hello']);
    expect(list.total).toBe(1);
    expect((await client.entry.getMany({ ...env(), query: { limit: 1, skip: 0, 'sys.id[in]': 'about,hello' } })).total).toBe(1);
    await expectSdkError(client.entry.get({ ...env(), entryId: 'about' }), 404, 'NotFound');
    expect((await client.asset.getMany({ ...env(), query: {} })).items).toEqual([]);

    const refs = await client.entry.references({ ...env(), entryId: 'hello', include: 2 });
    expect(refs.includes?.Entry ?? []).toEqual([]);

    const created = await client.entry.create({ ...env(), contentTypeId: 'post' }, { fields: { title: { 'en-US': 'Mine' } } });
    expect(created.sys.createdBy?.sys.id).toBeDefined();
    await expectSdkError(
      client.entry.create({ ...env(), contentTypeId: 'page' }, { fields: { title: { 'en-US': 'Not mine' } } }),
      403,
      'AccessDenied',
    );
    expect((await admin.entry.getMany({ ...env(), query: { content_type: 'page' } })).total).toBe(1);

    const hello = await client.entry.get({ ...env(), entryId: 'hello' });
    const english = await client.entry.update(
      { ...env(), entryId: 'hello' },
      { ...hello, fields: { ...hello.fields, title: { 'en-US': 'Hello again', 'de-DE': 'Hallo' } } },
    );
    expect(english.sys.version).toBe(hello.sys.version + 1);
    await expectSdkError(
      client.entry.update(
        { ...env(), entryId: 'hello' },
        { ...english, fields: { ...english.fields, title: { 'en-US': 'Hello again', 'de-DE': 'Grüß Gott' } } },
      ),
      403,
      'AccessDenied',
    );
    expect((await admin.entry.get({ ...env(), entryId: 'hello' })).fields.title).toEqual({ 'en-US': 'Hello again', 'de-DE': 'Hallo' });
    await client.entry.publish({ ...env(), entryId: 'hello' }, english);
    await expectSdkError(client.entry.archive({ ...env(), entryId: created.sys.id }), 403, 'AccessDenied');
    await client.entry.delete({ ...env(), entryId: created.sys.id });
  });

  it('cannot change the content model, settings, tags, API keys, webhooks or environments', async () => {
    const { client } = await user('editor2@example.com', 'postEditor');
    const post = await client.contentType.get({ ...env(), contentTypeId: 'post' });
    await expectSdkError(client.contentType.update({ ...env(), contentTypeId: 'post' }, { ...post, name: 'Article' }), 403, 'AccessDenied');
    await expectSdkError(client.contentType.publish({ ...env(), contentTypeId: 'post' }, post), 403, 'AccessDenied');
    await expectSdkError(client.locale.create(env(), { name: 'French', code: 'fr-FR' } as never), 403, 'AccessDenied');
    await expectSdkError(
      client.tag.createWithId({ ...env(), tagId: 'news' }, { name: 'News', sys: { visibility: 'public' } } as never),
      403,
      'AccessDenied',
    );
    await expectSdkError(client.apiKey.getMany({ spaceId }), 403, 'AccessDenied');
    await expectSdkError(client.webhook.getMany({ spaceId }), 403, 'AccessDenied');
    await expectSdkError(client.environment.createWithId({ spaceId, environmentId: 'mine' }, { name: 'Mine' }), 403, 'AccessDenied');
    await expectSdkError(client.role.create({ spaceId }, { name: 'Self-made admin', policies: [] } as never), 403, 'AccessDenied');
    await expectSdkError(client.space.update({ spaceId }, { name: 'Renamed', sys: { version: 1 } } as never), 403, 'AccessDenied');
    expect((await client.environment.getMany({ spaceId })).items.map((e) => e.sys.id)).toEqual(['master']);
    await expectSdkError(client.entry.getMany({ spaceId, environmentId: 'sandbox', query: {} }), 404, 'NotFound');
    expect((await admin.locale.getMany(env())).total).toBe(2);
    expect((await admin.contentType.get({ ...env(), contentTypeId: 'post' })).name).toBe('Post');
  });
});

describe('a translator who may only change German values', () => {
  it('updates de-DE values of any entry and is refused everything else', async () => {
    const { client } = await user('translator@example.com', 'translator');
    expect((await client.entry.getMany({ ...env(), query: { order: 'sys.id' } })).items.map((e) => e.sys.id)).toEqual(['about', 'hello']);
    expect((await client.asset.getMany({ ...env(), query: {} })).items.map((a) => a.sys.id)).toEqual(['logo']);

    const about = await client.entry.get({ ...env(), entryId: 'about' });
    const translated = await client.entry.update(
      { ...env(), entryId: 'about' },
      { ...about, fields: { title: { 'en-US': 'About', 'de-DE': 'Über uns' } } },
    );
    expect(translated.fields.title).toEqual({ 'en-US': 'About', 'de-DE': 'Über uns' });

    const before = await entryVersion('about');
    await expectSdkError(
      client.entry.update(
        { ...env(), entryId: 'about' },
        { ...translated, fields: { title: { 'en-US': 'About us', 'de-DE': 'Über uns' } } },
      ),
      403,
      'AccessDenied',
    );
    await expectSdkError(
      client.entry.update({ ...env(), entryId: 'about' }, { ...translated, fields: { title: { 'de-DE': 'Über uns' } } }),
      403,
      'AccessDenied',
    );
    await expectSdkError(client.entry.publish({ ...env(), entryId: 'about' }, translated), 403, 'AccessDenied');
    await expectSdkError(client.entry.delete({ ...env(), entryId: 'about' }), 403, 'AccessDenied');
    await expectSdkError(client.entry.create({ ...env(), contentTypeId: 'page' }, { fields: {} }), 403, 'AccessDenied');
    const logo = await client.asset.get({ ...env(), assetId: 'logo' });
    await expectSdkError(
      client.asset.update({ ...env(), assetId: 'logo' }, { ...logo, fields: { title: { 'en-US': 'Logo', 'de-DE': 'Logo' } } } as never),
      403,
      'AccessDenied',
    );
    expect(await entryVersion('about')).toBe(before);
    expect((await admin.entry.get({ ...env(), entryId: 'about' })).fields.title).toEqual({ 'en-US': 'About', 'de-DE': 'Über uns' });
  });
});

describe('a read-only author', () => {
  it('reads entries, assets, the content model and API keys, and changes nothing', async () => {
    const { client } = await user('reader@example.com', 'reader');
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBe(2);
    expect((await client.asset.get({ ...env(), assetId: 'logo' })).fields.title).toEqual({ 'en-US': 'Logo' });
    expect((await client.contentType.getMany({ ...env(), query: {} })).total).toBe(2);
    expect((await client.apiKey.getMany({ spaceId })).items).toEqual([]);
    const hello = await client.entry.get({ ...env(), entryId: 'hello' });
    const version = hello.sys.version;
    await expectSdkError(
      client.entry.update({ ...env(), entryId: 'hello' }, { ...hello, fields: { title: { 'en-US': 'Changed' } } }),
      403,
      'AccessDenied',
    );
    await expectSdkError(client.entry.unpublish({ ...env(), entryId: 'hello' }), 403, 'AccessDenied');
    await expectSdkError(client.entry.create({ ...env(), contentTypeId: 'post' }, { fields: {} }), 403, 'AccessDenied');
    await expectSdkError(client.asset.delete({ ...env(), assetId: 'logo' }), 403, 'AccessDenied');
    await expectSdkError(
      client.apiKey.create({ spaceId }, { name: 'Website', environments: [link('Environment', 'master')] } as never),
      403,
      'AccessDenied',
    );
    expect(await entryVersion('hello')).toBe(version);
    expect((await admin.entry.get({ ...env(), entryId: 'hello' })).sys.publishedVersion).toBeDefined();
  });
});

describe('members without access', () => {
  it('a member whose role grants nothing sees empty collections and 404s', async () => {
    const { client } = await user('nobody@example.com', 'nothing');
    expect((await client.space.get({ spaceId })).name).toBe('Access');
    const entries = await client.entry.getMany({ ...env(), query: {} });
    expect(entries.items).toEqual([]);
    expect(entries.total).toBe(0);
    await expectSdkError(client.entry.get({ ...env(), entryId: 'hello' }), 404, 'NotFound');
    await expectSdkError(client.snapshot.getManyForEntry({ ...env(), entryId: 'hello' }), 404, 'NotFound');
  });

  it('an organization member without a space membership gets 404 for the space and everything in it', async () => {
    const { client } = await user('outside@example.com');
    await expectSdkError(client.space.get({ spaceId }), 404, 'NotFound');
    await expectSdkError(client.entry.get({ ...env(), entryId: 'hello' }), 404, 'NotFound');
    expect((await client.space.getMany({})).items).toEqual([]);
  });

  it('a role with the Environments permission works freely outside master only', async () => {
    const { client } = await user('developer@example.com', 'sandbox');
    const sandbox = { spaceId, environmentId: 'sandbox' };
    expect((await client.environment.getMany({ spaceId })).items.map((e) => e.sys.id).sort()).toEqual(['master', 'sandbox']);
    expect((await client.entry.getMany({ ...sandbox, query: {} })).total).toBe(2);
    const ct = await client.contentType.get({ ...sandbox, contentTypeId: 'page' });
    await client.contentType.update({ ...sandbox, contentTypeId: 'page' }, { ...ct, name: 'Landing page' });
    await client.entry.create({ ...sandbox, contentTypeId: 'page' }, { fields: { title: { 'en-US': 'Draft' } } });
    expect((await client.entry.getMany({ ...env(), query: {} })).items).toEqual([]);
    await expectSdkError(client.entry.create({ ...env(), contentTypeId: 'page' }, { fields: {} }), 403, 'AccessDenied');
    expect((await client.asset.getMany({ ...env(), query: {} })).total).toBe(1);
  });
});

describe('another organization', () => {
  it('sees none of the first organization: every id is 404', async () => {
    const other = await server.services.organizations.create('Other');
    const stranger = await server.services.users.create({ email: 'stranger@example.com' });
    await server.services.organizations.addMember(other.id, stranger.id, 'owner');
    const token = (await server.services.accessTokens.create(stranger.id, { name: 's', scopes: ['content_management_manage'] })).token!;
    const client = server.plainClient(token);
    const team = await admin.team.create({ organizationId: server.organizationId }, { name: 'Writers', description: '' });
    const checks: (() => Promise<unknown>)[] = [
      () => client.organizationMembership.getMany({ organizationId: server.organizationId }),
      () => client.team.get({ organizationId: server.organizationId, teamId: team.sys.id }),
      () => client.team.getMany({ organizationId: server.organizationId }),
      () => client.space.get({ spaceId }),
      () => client.environment.get({ spaceId, environmentId }),
      () => client.entry.get({ ...env(), entryId: 'hello' }),
      () => client.asset.get({ ...env(), assetId: 'logo' }),
      () => client.contentType.get({ ...env(), contentTypeId: 'post' }),
      () => client.role.get({ spaceId, roleId: roleIds.reader }),
      () => client.spaceMember.getMany({ spaceId }),
      () => client.teamSpaceMembership.getMany({ spaceId }),
      () => client.entry.update({ ...env(), entryId: 'hello' }, { fields: {}, sys: { version: 1 } } as never),
    ];
    for (const check of checks) await expectSdkError(check(), 404, 'NotFound');
    expect((await client.space.getMany({})).items).toEqual([]);
    expect((await client.organization.getAll()).items.map((o) => o.name)).toEqual(['Other']);
    const direct = await server.request('GET', `/organizations/${server.organizationId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await expectErrorResponse(direct, 404, 'NotFound');
    await admin.team.delete({ organizationId: server.organizationId, teamId: team.sys.id });
  });
});

describe('teams, team space memberships and space members', () => {
  it('gives every team member the team roles, shows them in space_members, and takes access away at once', async () => {
    const organizationId = server.organizationId;
    const member = await user('teammate@example.com');
    const orgMembership = (await admin.organizationMembership.getMany({ organizationId, query: { limit: 100 } })).items.find(
      (m) => m.sys.user.sys.id === member.id,
    )!;
    await expectSdkError(member.client.team.create({ organizationId }, { name: 'Rogue', description: '' }), 403, 'AccessDenied');

    const team = await admin.team.create({ organizationId }, { name: 'Translators', description: 'German team' });
    expect(team).toMatchObject({
      name: 'Translators',
      description: 'German team',
      sys: { type: 'Team', memberCount: 0, organization: { sys: { id: organizationId } } },
    });
    await expectSdkError(admin.team.create({ organizationId }, { name: 'translators', description: '' }), 422, 'ValidationFailed');
    const teamMembership = await admin.teamMembership.create(
      { organizationId, teamId: team.sys.id },
      { admin: false, organizationMembershipId: orgMembership.sys.id },
    );
    expect(teamMembership).toMatchObject({
      admin: false,
      organizationMembershipId: orgMembership.sys.id,
      sys: { type: 'TeamMembership', team: { sys: { id: team.sys.id } } },
    });
    expect((await admin.team.get({ organizationId, teamId: team.sys.id })).sys.memberCount).toBe(1);
    expect((await member.client.team.getMany({ organizationId })).items.map((t) => t.name)).toEqual(['Translators']);
    await expectSdkError(member.client.space.get({ spaceId }), 404, 'NotFound');

    const tsm = await admin.teamSpaceMembership.create({ spaceId, teamId: team.sys.id }, {
      admin: false,
      roles: [link('Role', roleIds.translator)],
    } as never);
    expect(tsm).toMatchObject({
      admin: false,
      roles: [{ sys: { id: roleIds.translator } }],
      sys: { type: 'TeamSpaceMembership', team: { sys: { id: team.sys.id } }, space: { sys: { id: spaceId } } },
    });
    await expectSdkError(
      admin.teamSpaceMembership.create({ spaceId, teamId: team.sys.id }, { admin: false, roles: [link('Role', roleIds.reader)] } as never),
      409,
      'Conflict',
    );
    await expectSdkError(admin.role.delete({ spaceId, roleId: roleIds.translator }), 400, 'BadRequest');

    expect((await member.client.entry.getMany({ ...env(), query: {} })).total).toBe(2);
    const about = await member.client.entry.get({ ...env(), entryId: 'about' });
    await expectSdkError(
      member.client.entry.update(
        { ...env(), entryId: 'about' },
        { ...about, fields: { title: { 'en-US': 'Team edit', 'de-DE': 'Über uns' } } },
      ),
      403,
      'AccessDenied',
    );

    const direct = await admin.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [link('Role', roleIds.reader)],
      email: 'teammate@example.com',
    } as never);
    const members = await member.client.spaceMember.getMany({ spaceId });
    const combined = members.items.find((m) => m.sys.user.sys.id === member.id)!;
    expect(combined.admin).toBe(false);
    expect(combined.roles.map((r) => r.sys.id).sort()).toEqual([roleIds.reader, roleIds.translator].sort());
    expect(combined.sys.relatedMemberships.map((r) => r.sys.id).sort()).toEqual([direct.sys.id, tsm.sys.id].sort());
    expect((await admin.spaceMember.get({ spaceId, spaceMemberId: member.id })).roles).toHaveLength(2);

    const updated = await admin.teamSpaceMembership.update(
      { spaceId, teamSpaceMembershipId: tsm.sys.id },
      { ...tsm, admin: true, roles: [] },
    );
    expect(updated).toMatchObject({ admin: true, sys: { version: 2 } });
    expect((await member.client.spaceMember.get({ spaceId, spaceMemberId: member.id })).admin).toBe(true);
    await member.client.locale.getMany(env());
    await admin.spaceMembership.delete({ spaceId, spaceMembershipId: direct.sys.id });

    await admin.teamMembership.delete({ organizationId, teamId: team.sys.id, teamMembershipId: teamMembership.sys.id });
    await expectSdkError(member.client.space.get({ spaceId }), 404, 'NotFound');
    await admin.teamSpaceMembership.delete({ spaceId, teamSpaceMembershipId: tsm.sys.id });
    await admin.team.delete({ organizationId, teamId: team.sys.id });
    await expectSdkError(admin.team.get({ organizationId, teamId: team.sys.id }), 404, 'NotFound');
  });
});

describe('invitations', () => {
  it('invite makes an inactive member who can be given spaces at once; accepting activates and issues a token', async () => {
    const organizationId = server.organizationId;
    const invitation = await admin.organizationInvitation.create(
      { organizationId },
      { email: 'new@example.com', firstName: 'Nina', lastName: 'Neu', role: 'member' },
    );
    expect(invitation).toMatchObject({
      email: 'new@example.com',
      firstName: 'Nina',
      lastName: 'Neu',
      role: 'member',
      sys: { type: 'Invitation', status: 'pending', user: null },
    });
    expect(await admin.organizationInvitation.get({ organizationId, invitationId: invitation.sys.id })).toMatchObject({
      sys: { status: 'pending' },
    });
    await expectSdkError(
      admin.organizationInvitation.create({ organizationId }, { email: 'NEW@example.com', firstName: 'N', lastName: 'N', role: 'member' }),
      409,
      'Conflict',
    );

    const users = await admin.user.getManyForOrganization({ organizationId, query: { limit: 100 } });
    const invited = users.items.find((u) => u.email === 'new@example.com')!;
    expect(invited.activated).toBe(false);
    await admin.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [link('Role', roleIds.reader)],
      email: 'new@example.com',
    } as never);

    const { invitation: accepted, token } = await server.services.invitations.accept(invitation.sys.id);
    expect(accepted.sys).toMatchObject({ status: 'accepted', user: { sys: { id: invited.sys.id } } });
    await expect(server.services.invitations.accept(invitation.sys.id)).rejects.toMatchObject({ id: 'BadRequest' });
    const client = server.plainClient(token.token!);
    expect((await client.user.getCurrent()).activated).toBe(true);
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBe(2);

    const membership = (await admin.organizationMembership.getMany({ organizationId, query: { limit: 100 } })).items.find(
      (m) => m.sys.user.sys.id === invited.sys.id,
    )!;
    await admin.organizationMembership.delete({ organizationId, organizationMembershipId: membership.sys.id });
    await expectSdkError(admin.organizationInvitation.get({ organizationId, invitationId: invitation.sys.id }), 404, 'NotFound');
    await expectSdkError(client.space.get({ spaceId }), 404, 'NotFound');
  });
});

describe('tokens', () => {
  it('a revoked token and a read-only token lose write access immediately', async () => {
    const { id } = await user('scoped@example.com', 'postEditor');
    const readOnly = server.plainClient(
      (await server.services.accessTokens.create(id, { name: 'ro', scopes: ['content_management_read'] })).token!,
    );
    expect((await readOnly.entry.getMany({ ...env(), query: {} })).items.map((e) => e.sys.id)).toContain('hello');
    await expectSdkError(readOnly.entry.create({ ...env(), contentTypeId: 'post' }, { fields: {} }), 403, 'AccessDenied');

    const created = await server.services.accessTokens.create(id, { name: 'rw', scopes: ['content_management_manage'] });
    const client = server.plainClient(created.token!);
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBeGreaterThan(0);
    await client.personalAccessToken.revoke({ tokenId: created.sys.id });
    await expectSdkError(client.entry.getMany({ ...env(), query: {} }), 401, 'AccessTokenInvalid');
  });

  it('a removed space membership takes environment access away at once', async () => {
    const { id, client } = await user('removed@example.com', 'postEditor');
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBeGreaterThan(0);
    const memberships = await admin.spaceMembership.getMany({ spaceId, query: { limit: 100 } });
    const membership = memberships.items.find((m) => m.user.sys.id === id)!;
    await admin.spaceMembership.delete({ spaceId, spaceMembershipId: membership.sys.id });
    await expectSdkError(client.entry.getMany({ ...env(), query: {} }), 404, 'NotFound');
  });

  it('a revocation by another process sharing the database shows once this one forgets its lookups', async () => {
    const { id } = await user('elsewhere@example.com', 'postEditor');
    const created = await server.services.accessTokens.create(id, { name: 'elsewhere', scopes: ['content_management_manage'] });
    const client = server.plainClient(created.token!);
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBeGreaterThan(0);
    await server.database.db
      .updateTable('personal_access_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', created.sys.id)
      .execute();
    expect((await client.entry.getMany({ ...env(), query: {} })).total).toBeGreaterThan(0);
    await admin.tag.createWithId({ ...env(), tagId: 'forget-lookups' }, {
      name: 'Forget lookups',
      sys: { visibility: 'private' },
    } as never);
    await expectSdkError(client.entry.getMany({ ...env(), query: {} }), 401, 'AccessTokenInvalid');
  });
});
