import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorResponse, expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('spaces through the plain client', () => {
  it('creates, lists, gets, renames and deletes a space', async () => {
    const client = server.plainClient();
    const created = await client.space.create({}, { name: 'Plain space' });
    expect(created.name).toBe('Plain space');
    expect(created.sys).toMatchObject({
      type: 'Space',
      version: 1,
      createdBy: { sys: { type: 'Link', linkType: 'User', id: server.adminUserId } },
      organization: { sys: { type: 'Link', linkType: 'Organization', id: server.organizationId } },
    });
    expect(created.sys.id).toMatch(/^[0-9A-Za-z]{22}$/);

    const list = await client.space.getMany({});
    expect(list.sys.type).toBe('Array');
    expect(list.items.map((s) => s.sys.id)).toContain(created.sys.id);
    expect(list.total).toBe(list.items.length);

    const fetched = await client.space.get({ spaceId: created.sys.id });
    expect(fetched).toEqual(created);

    const renamed = await client.space.update({ spaceId: created.sys.id }, { ...fetched, name: 'Renamed' });
    expect(renamed.name).toBe('Renamed');
    expect(renamed.sys.version).toBe(2);

    // A stale version loses.
    await expectSdkError(client.space.update({ spaceId: created.sys.id }, { ...fetched, name: 'Stale' }), 409, 'VersionMismatch');
    expect((await client.space.get({ spaceId: created.sys.id })).name).toBe('Renamed');

    await client.space.delete({ spaceId: created.sys.id });
    await expectSdkError(client.space.get({ spaceId: created.sys.id }), 404, 'NotFound');
  });

  it('creates the master environment with the default locale', async () => {
    const space = await server.plainClient().space.create({}, { name: 'With env', defaultLocale: 'de-DE' } as never);
    const envs = await server.database.db.selectFrom('environments').selectAll().where('space_id', '=', space.sys.id).execute();
    expect(envs.map((e) => [e.id, e.status])).toEqual([['master', 'ready']]);
    const locales = await server.database.db.selectFrom('locales').selectAll().where('space_id', '=', space.sys.id).execute();
    expect(locales.map((l) => [l.code, l.is_default])).toEqual([['de-DE', true]]);
  });

  it('deleting a space removes everything in it', async () => {
    const space = await server.plainClient().space.create({}, { name: 'Doomed' });
    await server.plainClient().space.delete({ spaceId: space.sys.id });
    const db = server.database.db;
    expect(await db.selectFrom('environments').select('id').where('space_id', '=', space.sys.id).execute()).toEqual([]);
    expect(await db.selectFrom('locales').select('id').where('space_id', '=', space.sys.id).execute()).toEqual([]);
    expect(await db.selectFrom('space_memberships').select('id').where('space_id', '=', space.sys.id).execute()).toEqual([]);
  });

  it('two concurrent renames with the same version: exactly one wins', async () => {
    const client = server.plainClient();
    const space = await client.space.create({}, { name: 'Race' });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => client.space.update({ spaceId: space.sys.id }, { ...space, name: `Writer ${i}` })),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status === 'rejected')) {
      expect((loser as PromiseRejectedResult).reason.name).toBe('VersionMismatch');
    }
    const final = await client.space.get({ spaceId: space.sys.id });
    expect(final.sys.version).toBe(2);
    expect(final.name).toBe((winners[0] as PromiseFulfilledResult<{ name: string }>).value.name);
  });
});

describe('spaces through the legacy client', () => {
  it('runs the same life cycle', async () => {
    const client = server.legacyClient();
    const space = await client.createSpace({ name: 'Legacy space' }, server.organizationId);
    expect(space.sys.type).toBe('Space');
    const spaces = await client.getSpaces();
    expect(spaces.items.some((s) => s.sys.id === space.sys.id)).toBe(true);
    const fetched = await client.getSpace(space.sys.id);
    fetched.name = 'Legacy renamed';
    const updated = await fetched.update();
    expect(updated.name).toBe('Legacy renamed');
    expect(updated.sys.version).toBe(2);
    await updated.delete();
    await expectSdkError(client.getSpace(space.sys.id), 404, 'NotFound');
  });

  it('reads the current user and organizations', async () => {
    const client = server.legacyClient();
    const me = await client.getCurrentUser();
    expect(me.sys).toMatchObject({ type: 'User', id: server.adminUserId });
    expect(me.email).toBe(server.config.bootstrapAdminEmail);
    const orgs = await client.getOrganizations();
    expect(orgs.items.map((o) => o.sys.id)).toEqual([server.organizationId]);
    expect(orgs.items[0].sys.type).toBe('Organization');
  });
});

describe('authentication', () => {
  it('refuses a missing or unknown token with 401 AccessTokenInvalid', async () => {
    await expectSdkError(server.plainClient('CFPAT-not-a-real-token').space.getMany({}), 401, 'AccessTokenInvalid');
    await expectErrorResponse(await fetch(`${server.baseUrl}/spaces`), 401, 'AccessTokenInvalid');
  });

  it('accepts the token in the access_token query parameter', async () => {
    const response = await fetch(`${server.baseUrl}/users/me?access_token=${server.adminToken}`);
    expect(response.status).toBe(200);
  });

  it('a read-only token reads but cannot write', async () => {
    const token = await server.plainClient().personalAccessToken.create({ name: 'reader', scopes: ['content_management_read' as never] });
    const reader = server.plainClient(token.token);
    expect((await reader.space.getMany({})).sys.type).toBe('Array');
    const before = await server.plainClient().space.getMany({});
    await expectSdkError(reader.space.create({}, { name: 'Nope' }), 403, 'AccessDenied');
    expect((await server.plainClient().space.getMany({})).total).toBe(before.total);
  });

  it('another user sees none of the admin spaces: 404, not 403', async () => {
    const admin = server.plainClient();
    const space = await admin.space.create({}, { name: 'Private' });
    const other = await server.services.users.create({ email: 'other@example.com' });
    const token = await server.services.accessTokens.create(other.id, { name: 'other', scopes: ['content_management_manage'] });
    const client = server.plainClient(token.token);
    expect((await client.space.getMany({})).items).toEqual([]);
    await expectSdkError(client.space.get({ spaceId: space.sys.id }), 404, 'NotFound');
    await expectSdkError(client.space.delete({ spaceId: space.sys.id }), 404, 'NotFound');
    await expectSdkError(client.space.create({}, { name: 'No org' }), 403, 'AccessDenied');
    expect((await admin.space.get({ spaceId: space.sys.id })).name).toBe('Private');
  });
});

describe('personal access tokens', () => {
  it('creates, lists, gets and revokes; the value is shown once and revocation is immediate', async () => {
    const client = server.plainClient();
    const created = await client.personalAccessToken.create({ name: 'CI token', scopes: ['content_management_manage'] });
    expect(created.token).toMatch(/^CFPAT-[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'CI token', scopes: ['content_management_manage'], revokedAt: null });
    expect(created.sys.type).toBe('PersonalAccessToken');

    const fetched = await client.personalAccessToken.get({ tokenId: created.sys.id });
    expect(fetched.token).toBeUndefined();
    expect(fetched.sys.id).toBe(created.sys.id);
    const list = await client.personalAccessToken.getMany({});
    expect(list.items.map((t) => t.sys.id)).toContain(created.sys.id);
    expect(list.items.every((t) => t.token === undefined)).toBe(true);

    const stored = await server.database.db
      .selectFrom('personal_access_tokens')
      .selectAll()
      .where('id', '=', created.sys.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(created.token!);
    expect(JSON.stringify(stored)).not.toContain(created.token!);

    const asNewToken = server.plainClient(created.token);
    expect((await asNewToken.user.getCurrent({})).sys.id).toBe(server.adminUserId);

    const revoked = await client.personalAccessToken.revoke({ tokenId: created.sys.id });
    expect(revoked.revokedAt).toEqual(expect.any(String));
    await expectSdkError(asNewToken.user.getCurrent({}), 401, 'AccessTokenInvalid');
    expect((await client.personalAccessToken.getMany({})).items.map((t) => t.sys.id)).not.toContain(created.sys.id);
  });

  it('refuses an invalid token definition with 422', async () => {
    const data = await expectSdkError(
      server.plainClient().personalAccessToken.create({ name: '', scopes: ['root' as never] }),
      422,
      'ValidationFailed',
    );
    const paths = (data.details.errors as { path: unknown[] }[]).map((e) => e.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'scopes.0']));
  });
});

describe('shared HTTP rules', () => {
  it('every response has a request id and the management content type', async () => {
    const ok = await server.request('GET', '/spaces');
    expect(ok.headers.get('x-contentful-request-id')).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(ok.headers.get('content-type')).toMatch(/^application\/vnd\.contentful\.management\.v1\+json/);
    const missing = await server.request('GET', '/spaces/nope-not-here');
    expect(missing.headers.get('content-type')).toMatch(/^application\/vnd\.contentful\.management\.v1\+json/);
    await expectErrorResponse(missing, 404, 'NotFound');
  });

  it('answers bad input with the right 4xx and writes nothing', async () => {
    const before = (await (await server.request('GET', '/spaces')).json()).total;
    await expectErrorResponse(await server.request('POST', '/spaces', { body: '{"name": ' }), 400, 'BadRequest');
    await expectErrorResponse(
      await server.request('POST', '/spaces', { body: 'name=x', headers: { 'content-type': 'text/plain' } }),
      415,
      'UnsupportedMediaType',
    );
    await expectErrorResponse(
      await server.request('POST', '/spaces', { body: { name: 'x'.repeat(3 * 1024 * 1024) } }),
      413,
      'PayloadTooLarge',
    );
    await expectErrorResponse(await server.request('POST', '/spaces', { body: { name: 42 } }), 422, 'ValidationFailed');
    await expectErrorResponse(await server.request('POST', '/spaces', { body: [] }), 400, 'BadRequest');
    await expectErrorResponse(await server.request('POST', '/spaces'), 400, 'BadRequest');
    await expectErrorResponse(await server.request('GET', '/spaces/bad%20id'), 400, 'BadRequest');
    await expectErrorResponse(await server.request('GET', '/spaces?limit=5000'), 400, 'BadRequest');
    await expectErrorResponse(await server.request('GET', '/spaces?skip=-1'), 400, 'BadRequest');
    await expectErrorResponse(await server.request('GET', '/no/such/route'), 404, 'NotFound');
    await expectErrorResponse(await server.request('GET', '/spaces/x/entries/%00'), 400, 'BadRequest');
    const space = await (await server.request('POST', '/spaces', { body: { name: 'Versioned' } })).json();
    await expectErrorResponse(
      await server.request('PUT', `/spaces/${space.sys.id}`, { body: { name: 'x' }, headers: { 'x-contentful-version': 'one' } }),
      400,
      'BadRequest',
    );
    await expectErrorResponse(await server.request('PUT', `/spaces/${space.sys.id}`, { body: { name: 'x' } }), 409, 'VersionMismatch');
    const after = (await (await server.request('GET', '/spaces')).json()).total;
    expect(after).toBe(before + 1);
    expect((await (await server.request('GET', `/spaces/${space.sys.id}`)).json()).name).toBe('Versioned');
  });

  it('accepts plain application/json bodies too', async () => {
    const response = await server.request('POST', '/spaces', {
      body: { name: 'json' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(201);
  });

  it('speaks CORS as the seeds describe', async () => {
    const preflight = await fetch(`${server.baseUrl}/spaces`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-contentful-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Contentful-Version');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(Number(preflight.headers.get('access-control-max-age'))).toBeGreaterThanOrEqual(86400);
    const simple = await server.request('GET', '/spaces', { headers: { origin: 'https://app.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    expect(simple.headers.get('access-control-expose-headers')).toContain('X-Contentful-Request-Id');
  });

  it('compresses large responses with gzip', async () => {
    for (let i = 0; i < 15; i++) await server.request('POST', '/spaces', { body: { name: `Bulk space number ${i}` } });
    const response = await server.request('GET', '/spaces', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await response.json()).sys.type).toBe('Array');
  });

  it('health and readiness', async () => {
    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe('ready');
  });
});
