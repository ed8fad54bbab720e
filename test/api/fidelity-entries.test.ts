import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Issue 21: where the SDK's own integration tests and Contentful's behaviour disagreed with the server on entries and searches. */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

async function entry(id: string, fields: Record<string, unknown>, publish = true) {
  const created = await client.entry.createWithId(
    { ...env(), entryId: id, contentTypeId: 'cat' },
    { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { 'en-US': v }])) },
  );
  return publish ? client.entry.publish({ ...env(), entryId: id }, created) : created;
}

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Fidelity entries' })).sys.id;
  for (const [id, name] of [
    ['cat', 'Cat'],
    ['dog', 'Dog'],
    ['bird', 'Bird'],
  ]) {
    const ct = await client.contentType.createWithId({ ...env(), contentTypeId: id }, {
      name,
      displayField: 'name',
      fields: [
        { id: 'name', name: 'Name', type: 'Symbol' },
        { id: 'likes', name: 'Likes', type: 'Array', items: { type: 'Symbol' } },
        { id: 'friend', name: 'Friend', type: 'Link', linkType: 'Entry' },
        { id: 'friends', name: 'Friends', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
        { id: 'photo', name: 'Photo', type: 'Link', linkType: 'Asset' },
      ],
    } as never);
    await client.contentType.publish({ ...env(), contentTypeId: id }, ct);
  }
  await entry('nyancat', { name: 'Nyan Cat', likes: ['rainbows', 'fish'] });
  await entry('garfield', { name: 'Garfield', likes: ['lasagna'] });
  await entry('happycat', { name: 'Happy Cat', likes: ['cheezburger'] });
  await entry('plaincat', { name: 'Plain Cat' });
});
afterAll(async () => {
  await server?.close();
});

describe('publishing links to unpublished and missing targets', () => {
  it('publishes an entry linking to a draft entry, an archived entry and a draft asset', async () => {
    await entry('draft-friend', { name: 'Draft' }, false);
    const archived = await entry('archived-friend', { name: 'Archived' }, false);
    await client.entry.archive({ ...env(), entryId: archived.sys.id });
    const asset = await client.asset.create(env(), { fields: { title: { 'en-US': 'draft photo' } } } as never);
    const linking = await entry(
      'links-to-unpublished',
      {
        name: 'Linker',
        friend: link('Entry', 'draft-friend'),
        friends: [link('Entry', 'archived-friend')],
        photo: link('Asset', asset.sys.id),
      },
      false,
    );
    const published = await client.entry.publish({ ...env(), entryId: 'links-to-unpublished' }, linking);
    expect(published.sys.publishedVersion).toBe(linking.sys.version);
  });

  it('refuses a link to an entity that does not exist with UnresolvedLinks', async () => {
    const linking = await entry(
      'links-to-nothing',
      { name: 'Linker', friends: [link('Entry', 'nyancat'), link('Entry', 'no-such-entry')] },
      false,
    );
    const error = await expectSdkError(client.entry.publish({ ...env(), entryId: 'links-to-nothing' }, linking), 422, 'UnresolvedLinks');
    expect(error.details.errors).toEqual([
      expect.objectContaining({
        name: 'notResolvable',
        link: { type: 'Link', linkType: 'Entry', id: 'no-such-entry' },
        path: ['fields', 'friends', 'en-US', 1],
      }),
    ]);
    expect((await client.entry.get({ ...env(), entryId: 'links-to-nothing' })).sys.publishedVersion).toBeUndefined();
  });
});

describe('indexed array parameters, as the SDK serializes lists', () => {
  it('accepts order, select and operator lists on entries', async () => {
    const result = await client.entry.getMany({
      ...env(),
      query: {
        content_type: 'cat',
        order: ['-fields.name'],
        select: ['sys.id', 'fields.name'],
        'sys.id[in]': ['nyancat', 'garfield'],
      } as never,
    });
    expect(result.items.map((e) => e.sys.id)).toEqual(['nyancat', 'garfield']);
    expect(Object.keys(result.items[0].fields)).toEqual(['name']);
  });

  it('accepts them on content types and on the published copies', async () => {
    const types = await client.contentType.getMany({ ...env(), query: { order: ['-sys.id'], 'sys.id[in]': ['cat', 'dog'] } as never });
    expect(types.items.map((t) => t.sys.id)).toEqual(['dog', 'cat']);
    const published = await client.entry.getPublished({
      ...env(),
      query: { order: ['-sys.id'], 'sys.id[in]': ['nyancat', 'garfield', 'happycat'], 'sys.id[nin]': ['nyancat'] } as never,
    });
    expect(published.items.map((e) => e.sys.id)).toEqual(['happycat', 'garfield']);
  });
});

describe('cursor pages on content types (getManyWithCursor)', () => {
  it('answers pages and no total, forwards and backwards', async () => {
    const first = await client.contentType.getManyWithCursor({ ...env(), query: { limit: 2, order: ['sys.createdAt'] } as never });
    expect((first as { total?: number }).total).toBeUndefined();
    expect(first.items.map((t) => t.sys.id)).toEqual(['cat', 'dog']);
    expect(first.pages?.next).toBeDefined();
    const second = await client.contentType.getManyWithCursor({
      ...env(),
      query: { limit: 2, order: ['sys.createdAt'], pageNext: first.pages?.next } as never,
    });
    expect(second.items.map((t) => t.sys.id)).toEqual(['bird']);
    expect(second.pages?.next).toBeUndefined();
    const back = await client.contentType.getManyWithCursor({
      ...env(),
      query: { limit: 2, order: ['sys.createdAt'], pagePrev: second.pages?.prev } as never,
    });
    expect(back.items.map((t) => t.sys.id)).toEqual(['cat', 'dog']);
  });
});

describe('[in] and [nin] on an Array field', () => {
  it('[nin] leaves out entries holding any of the values; [in] keeps them', async () => {
    const ids = async (query: Record<string, unknown>) =>
      (
        await client.entry.getMany({
          ...env(),
          query: { content_type: 'cat', 'sys.id[in]': 'nyancat,garfield,happycat,plaincat', ...query },
        })
      ).items
        .map((e) => e.sys.id)
        .sort();
    expect(await ids({ 'fields.likes[nin]': 'rainbows,lasagna' })).toEqual(['happycat', 'plaincat']);
    expect(await ids({ 'fields.likes[in]': 'rainbows,lasagna' })).toEqual(['garfield', 'nyancat']);
  });
});

describe('references of a missing entry', () => {
  it('answers 200 with no items', async () => {
    const references = await client.entry.references({ ...env(), entryId: 'no-such-entry', include: 2 });
    expect(references.items).toEqual([]);
  });
});

describe('404 details name what was looked for', () => {
  it('an entry, with its space and environment', async () => {
    const error = await expectSdkError(client.entry.get({ ...env(), entryId: 'no-such-entry' }), 404, 'NotFound');
    expect(error.message).toBe('The resource could not be found.');
    expect(error.details).toEqual({ type: 'Entry', id: 'no-such-entry', space: spaceId, environment: environmentId });
  });

  it('an environment, with its space', async () => {
    const error = await expectSdkError(client.environment.get({ spaceId, environmentId: 'no-such-env' }), 404, 'NotFound');
    expect(error.details).toEqual({ type: 'Environment', id: 'no-such-env', space: spaceId });
  });

  it('a space', async () => {
    const error = await expectSdkError(client.space.get({ spaceId: 'no-such-space' }), 404, 'NotFound');
    expect(error.details).toEqual({ type: 'Space', id: 'no-such-space' });
  });
});
