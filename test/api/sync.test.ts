import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let token: string;
const env = () => ({ spaceId, environmentId: 'master' });

const cda = () =>
  createClient({
    space: spaceId,
    environment: 'master',
    accessToken: token,
    host: server.host,
    basePath: '/cdn',
    insecure: true,
    retryOnError: false,
  } as never);

async function publishEntry(id: string, title: string) {
  const existing = await cma.entry.get({ ...env(), entryId: id }).catch(() => undefined);
  const entry = existing
    ? await cma.entry.update({ ...env(), entryId: id }, { ...existing, fields: { title: { 'en-US': title } } })
    : await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'item' }, { fields: { title: { 'en-US': title } } });
  return cma.entry.publish({ ...env(), entryId: id }, entry);
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Sync' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'item' }, {
    name: 'Item',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: true }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'item' }, ct);
  for (let i = 0; i < 7; i++) await publishEntry(`item${i}`, `Item ${i}`);
  await cma.entry.createWithId({ ...env(), entryId: 'draft', contentTypeId: 'item' }, { fields: { title: { 'en-US': 'draft' } } });
  const asset = await cma.asset.createWithId({ ...env(), assetId: 'asset1' }, {
    fields: { title: { 'en-US': 'A', 'de-DE': 'B' } },
  } as never);
  await cma.asset.publish({ ...env(), assetId: 'asset1' }, asset);
  token = (await cma.apiKey.create({ spaceId }, { name: 'Sync key' } as never)).accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('Sync API', () => {
  it('an initial sync (paged) returns what getEntries returns, with all locales', async () => {
    const raw = await fetch(
      `${server.baseUrl}/cdn/spaces/${spaceId}/environments/master/sync?initial=true&limit=3&access_token=${token}`,
    ).then((r) => r.json());
    expect(raw.items).toHaveLength(3);
    expect(raw.nextPageUrl).toMatch(/\/cdn\/spaces\/.+\/sync\?sync_token=[^&]+$/);
    const synced = await cda().sync({ initial: true, limit: 3 } as never);
    const entries = await cda().getEntries({ limit: 1000 } as never);
    expect(synced.entries.map((e) => e.sys.id).sort()).toEqual(entries.items.map((e) => e.sys.id).sort());
    expect(synced.assets.map((a) => a.sys.id)).toEqual(['asset1']);
    expect(synced.assets[0].fields.title).toEqual({ 'en-US': 'A', 'de-DE': 'B' });
    expect(synced.nextSyncToken).toEqual(expect.any(String));
  });

  it('a delta sync reports exactly the publishes, unpublishes and deletes since', async () => {
    const initial = await cda().sync({ initial: true } as never);
    await publishEntry('item1', 'Item 1 changed');
    await publishEntry('fresh', 'Fresh');
    await cma.entry.unpublish({ ...env(), entryId: 'item2' });
    await cma.entry.unpublish({ ...env(), entryId: 'item3' });
    await cma.entry.delete({ ...env(), entryId: 'item3' });
    await cma.entry.update(
      { ...env(), entryId: 'item4' },
      { ...(await cma.entry.get({ ...env(), entryId: 'item4' })), fields: { title: { 'en-US': 'draft change only' } } },
    );
    const delta = await cda().sync({ nextSyncToken: initial.nextSyncToken } as never);
    expect(delta.entries.map((e) => e.sys.id).sort()).toEqual(['fresh', 'item1']);
    expect(delta.entries.find((e) => e.sys.id === 'item1')!.fields.title).toEqual({ 'en-US': 'Item 1 changed' });
    expect(delta.deletedEntries.map((e) => e.sys.id).sort()).toEqual(['item2', 'item3']);
    expect(delta.deletedEntries[0].sys.type).toBe('DeletedEntry');
    expect(delta.assets).toEqual([]);
    const nothing = await cda().sync({ nextSyncToken: delta.nextSyncToken } as never);
    expect([nothing.entries.length, nothing.deletedEntries.length]).toEqual([0, 0]);
  });

  it('filters by type and content type', async () => {
    const onlyAssets = await cda().sync({ initial: true, type: 'Asset' } as never);
    expect([onlyAssets.entries.length, onlyAssets.assets.length]).toEqual([0, 1]);
    const items = await cda().sync({ initial: true, content_type: 'item' } as never);
    expect(items.assets).toEqual([]);
    expect(items.entries.length).toBeGreaterThan(0);
    const bad = await fetch(`${server.baseUrl}/cdn/spaces/${spaceId}/sync?initial=true&type=Asset&content_type=item&access_token=${token}`);
    expect(bad.status).toBe(400);
  });

  it('refuses forged tokens and tokens of another space', async () => {
    const initial = await fetch(`${server.baseUrl}/cdn/spaces/${spaceId}/sync?initial=true&access_token=${token}`).then((r) => r.json());
    const syncToken = new URL(initial.nextPageUrl ?? initial.nextSyncUrl).searchParams.get('sync_token')!;
    const [body] = syncToken.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), seq: 999_999 })).toString(
      'base64url',
    );
    const forged = await fetch(
      `${server.baseUrl}/cdn/spaces/${spaceId}/sync?sync_token=${forgedBody}.${syncToken.split('.')[1]}&access_token=${token}`,
    );
    expect(forged.status).toBe(400);
    expect((await forged.json()).sys.id).toBe('BadRequest');
    const otherSpace = (await cma.space.create({}, { name: 'Other' })).sys.id;
    const otherToken = (await cma.apiKey.create({ spaceId: otherSpace }, { name: 'k' } as never)).accessToken;
    const crossed = await fetch(`${server.baseUrl}/cdn/spaces/${otherSpace}/sync?sync_token=${syncToken}&access_token=${otherToken}`);
    expect(crossed.status).toBe(400);
  });
});
