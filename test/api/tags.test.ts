import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });
const tagLink = (id: string) => ({ sys: { type: 'Link', linkType: 'Tag', id } });

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Tags' })).sys.id;
  const ct = await client.contentType.createWithId({ ...env(), contentTypeId: 'page' }, {
    name: 'Page',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await client.contentType.publish({ ...env(), contentTypeId: 'page' }, ct);
});
afterAll(async () => {
  await server?.close();
});

describe('tags', () => {
  it('creates with a visibility, renames with a version, lists and deletes', async () => {
    const created = await client.tag.createWithId({ ...env(), tagId: 'nyCampaign' }, {
      name: 'NY Campaign',
      sys: { visibility: 'public' },
    } as never);
    expect(created.sys).toMatchObject({ id: 'nyCampaign', type: 'Tag', visibility: 'public', version: 1 });
    expect(created.sys.environment.sys.id).toBe('master');
    const privateTag = await client.tag.createWithId({ ...env(), tagId: 'internal' }, { name: 'Internal', sys: {} } as never);
    expect(privateTag.sys.visibility).toBe('private');
    const renamed = await client.tag.update({ ...env(), tagId: 'nyCampaign' }, { ...created, name: 'New York Campaign' });
    expect(renamed).toMatchObject({ name: 'New York Campaign', sys: { version: 2 } });
    await expectSdkError(client.tag.update({ ...env(), tagId: 'nyCampaign' }, { ...created, name: 'Stale' }), 409, 'VersionMismatch');
    expect((await client.tag.getMany({ ...env(), query: {} })).items.map((t) => t.sys.id)).toEqual(['internal', 'nyCampaign']);
    await expectSdkError(
      client.tag.createWithId({ ...env(), tagId: 'other' }, { name: 'Internal', sys: {} } as never),
      422,
      'ValidationFailed',
    );
    await client.tag.delete({ ...env(), tagId: 'internal', version: 1 });
    await expectSdkError(client.tag.get({ ...env(), tagId: 'internal' }), 404, 'NotFound');
  });

  it('entries and assets may only carry existing tags; deleting a tag takes it off them', async () => {
    await client.tag.createWithId({ ...env(), tagId: 'sale' }, { name: 'Sale', sys: { visibility: 'public' } } as never);
    await expectSdkError(
      client.entry.create({ ...env(), contentTypeId: 'page' }, { fields: {}, metadata: { tags: [tagLink('missing')] } } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(
      client.asset.create(env(), { fields: {}, metadata: { tags: [tagLink('missing')] } } as never),
      422,
      'ValidationFailed',
    );
    const entry = await client.entry.createWithId({ ...env(), entryId: 'tagged', contentTypeId: 'page' }, {
      fields: { title: { 'en-US': 'x' } },
      metadata: { tags: [tagLink('sale')] },
    } as never);
    expect(entry.metadata?.tags).toEqual([tagLink('sale')]);
    await client.entry.publish({ ...env(), entryId: 'tagged' }, entry);
    const tag = await client.tag.get({ ...env(), tagId: 'sale' });
    await client.tag.delete({ ...env(), tagId: 'sale', version: tag.sys.version });
    expect((await client.entry.get({ ...env(), entryId: 'tagged' })).metadata?.tags).toEqual([]);
    const published = await client.entry.getPublished({ ...env(), query: { 'sys.id': 'tagged' } });
    expect(published.items[0].metadata?.tags).toEqual([]);
  });
});
