import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** JSON Patch (RFC 6902) on entries through the official client's `entry.patch`, and on assets. */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Patching' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  await cma.tag.createWithId({ ...env(), tagId: 'news' }, { name: 'News', sys: { visibility: 'public' } } as never);
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true, validations: [{ size: { max: 20 } }] },
      { id: 'subtitle', name: 'Subtitle', type: 'Symbol', localized: true },
      { id: 'tags', name: 'Tags', type: 'Array', items: { type: 'Symbol' } },
      { id: 'views', name: 'Views', type: 'Integer' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
});
afterAll(async () => {
  await server?.close();
});

async function post(entryId: string) {
  return cma.entry.createWithId({ ...env(), entryId, contentTypeId: 'post' }, {
    fields: { title: { 'en-US': 'Hello' }, tags: { 'en-US': ['a', 'b'] }, views: { 'en-US': 1 } },
  } as never);
}

describe('JSON Patch', () => {
  it('applies add, replace, remove, move, copy and test in order, as one versioned update', async () => {
    const entry = await post('ops');
    const patched = await cma.entry.patch({ ...env(), entryId: 'ops', version: entry.sys.version }, [
      { op: 'test', path: '/fields/title/en-US', value: 'Hello' },
      { op: 'add', path: '/fields/title/de-DE', value: 'Hallo' },
      { op: 'replace', path: '/fields/views/en-US', value: 2 },
      { op: 'add', path: '/fields/tags/en-US/-', value: 'c' },
      { op: 'remove', path: '/fields/tags/en-US/0' },
      { op: 'copy', from: '/fields/title', path: '/fields/subtitle' },
      { op: 'move', from: '/fields/subtitle/de-DE', path: '/fields/subtitle/en-US' },
      { op: 'add', path: '/metadata/tags/-', value: { sys: { type: 'Link', linkType: 'Tag', id: 'news' } } },
    ]);
    expect(patched.sys.version).toBe(entry.sys.version + 1);
    expect(patched.fields).toEqual({
      title: { 'en-US': 'Hello', 'de-DE': 'Hallo' },
      subtitle: { 'en-US': 'Hallo' },
      tags: { 'en-US': ['b', 'c'] },
      views: { 'en-US': 2 },
    });
    expect(patched.metadata?.tags).toEqual([{ sys: { type: 'Link', linkType: 'Tag', id: 'news' } }]);
  });

  it('validates the result like a full update and writes nothing when it fails', async () => {
    const entry = await post('invalid');
    await expectSdkError(
      cma.entry.patch({ ...env(), entryId: 'invalid', version: entry.sys.version }, [
        { op: 'replace', path: '/fields/views/en-US', value: 'many' },
      ]),
      422,
      'ValidationFailed',
    );
    await expectSdkError(
      cma.entry.patch({ ...env(), entryId: 'invalid', version: entry.sys.version }, [
        { op: 'add', path: '/fields/nope', value: { 'en-US': 1 } },
      ]),
      422,
      'UnknownField',
    );
    const stored = await cma.entry.get({ ...env(), entryId: 'invalid' });
    expect([stored.sys.version, stored.fields.title]).toEqual([entry.sys.version, { 'en-US': 'Hello' }]);
  });

  it('answers 409 for a stale version, 422 for a failed test or a missing path, 400 outside fields and metadata', async () => {
    const entry = await post('errors');
    const at = (version: number) => ({ ...env(), entryId: 'errors', version });
    await expectSdkError(
      cma.entry.patch(at(entry.sys.version - 1), [{ op: 'replace', path: '/fields/views/en-US', value: 5 }]),
      409,
      'VersionMismatch',
    );
    const failedTest = await expectSdkError(
      cma.entry.patch(at(entry.sys.version), [
        { op: 'replace', path: '/fields/views/en-US', value: 5 },
        { op: 'test', path: '/fields/title/en-US', value: 'Goodbye' },
      ]),
      422,
      'UnprocessableEntity',
    );
    expect(failedTest.details).toMatchObject({ index: 1, reason: 'TEST_OPERATION_FAILED' });
    await expectSdkError(
      cma.entry.patch(at(entry.sys.version), [{ op: 'remove', path: '/fields/subtitle/en-US' }]),
      422,
      'UnprocessableEntity',
    );
    await expectSdkError(cma.entry.patch(at(entry.sys.version), [{ op: 'replace', path: '/sys/id', value: 'other' }]), 400, 'BadRequest');
    await expectSdkError(cma.entry.patch(at(entry.sys.version), [{ op: 'frobnicate', path: '/fields/views' } as never]), 400, 'BadRequest');
    const stored = await cma.entry.get({ ...env(), entryId: 'errors' });
    expect([stored.sys.version, stored.fields.views]).toEqual([entry.sys.version, { 'en-US': 1 }]);
  });

  it('patches assets the same way', async () => {
    const asset = await cma.asset.createWithId({ ...env(), assetId: 'pic' }, { fields: { title: { 'en-US': 'Picture' } } } as never);
    const response = await server.request('PATCH', `/spaces/${spaceId}/environments/master/assets/pic`, {
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        'content-type': 'application/json-patch+json',
        'x-contentful-version': String(asset.sys.version),
      },
      body: [{ op: 'add', path: '/fields/description', value: { 'en-US': 'A picture' } }],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.fields).toEqual({ title: { 'en-US': 'Picture' }, description: { 'en-US': 'A picture' } });
    expect(body.sys.version).toBe(asset.sys.version + 1);
  });
});
