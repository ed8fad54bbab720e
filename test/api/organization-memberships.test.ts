import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function member(email: string, role: 'owner' | 'admin' | 'member') {
  const user = await server.services.users.create({ email });
  await server.services.organizations.addMember(server.organizationId, user.id, role);
  const token = (await server.services.accessTokens.create(user.id, { name: email, scopes: ['content_management_manage'] })).token!;
  return { user, client: server.plainClient(token) };
}

describe('organization memberships', () => {
  it('owners and admins read and manage them; members get 403; an owner always remains', async () => {
    const admin = await member('admin@example.com', 'admin');
    const plain = await member('member@example.com', 'member');
    const owner = server.plainClient();
    const organizationId = server.organizationId;

    const list = await owner.organizationMembership.getMany({ organizationId });
    expect(list.items.map((m) => m.role).sort()).toEqual(['admin', 'member', 'owner']);
    expect((await owner.user.getManyForOrganization({ organizationId })).items.map((u) => u.email).sort()).toEqual(
      ['admin@example.com', server.config.bootstrapAdminEmail, 'member@example.com'].sort(),
    );
    await expectSdkError(plain.client.organizationMembership.getMany({ organizationId }), 403, 'AccessDenied');

    const memberMembership = list.items.find((m) => m.role === 'member')!;
    const promoted = await admin.client.organizationMembership.update(
      { organizationId, organizationMembershipId: memberMembership.sys.id },
      { ...memberMembership, role: 'admin' },
    );
    expect(promoted).toMatchObject({ role: 'admin', sys: { version: 2 } });
    await expectSdkError(
      admin.client.organizationMembership.update(
        { organizationId, organizationMembershipId: memberMembership.sys.id },
        { ...promoted, role: 'owner' },
      ),
      403,
      'AccessDenied',
    );
    await expectSdkError(
      owner.organizationMembership.update(
        { organizationId, organizationMembershipId: memberMembership.sys.id },
        { ...memberMembership, role: 'member' },
      ),
      409,
      'VersionMismatch',
    );

    const ownerMembership = list.items.find((m) => m.role === 'owner')!;
    await expectSdkError(
      owner.organizationMembership.update(
        { organizationId, organizationMembershipId: ownerMembership.sys.id },
        { ...ownerMembership, role: 'admin' },
      ),
      400,
      'BadRequest',
    );
    await expectSdkError(
      owner.organizationMembership.delete({ organizationId, organizationMembershipId: ownerMembership.sys.id }),
      400,
      'BadRequest',
    );

    await owner.organizationMembership.delete({ organizationId, organizationMembershipId: memberMembership.sys.id });
    expect((await plain.client.organization.getAll({})).items).toEqual([]);
  });

  it('another organization is 404 to outsiders', async () => {
    const outsider = await server.services.users.create({ email: 'outsider@example.com' });
    const token = (await server.services.accessTokens.create(outsider.id, { name: 'o', scopes: ['content_management_manage'] })).token!;
    const client = server.plainClient(token);
    await expectSdkError(client.organizationMembership.getMany({ organizationId: server.organizationId }), 404, 'NotFound');
    await expectSdkError(client.user.getManyForOrganization({ organizationId: server.organizationId }), 404, 'NotFound');
  });
});
