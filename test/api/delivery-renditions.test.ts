import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Computed delivery answers are assembled from kept renditions of entries and assets (src/delivery/
 * renditions.ts). These tests read with `Cache-Control: no-cache`, so no kept answer is involved, and check
 * that a rendition is reused while nothing it shows changed, and never once anything it shows did.
 */
const METRICS_TOKEN = 'renditions-metrics-token';

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let previewToken: string;
const env = () => ({ spaceId, environmentId: 'master' });

async function renditionLookups(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const count = (result: string) =>
    Number(new RegExp(`^cache_lookups_total\\{cache="delivery_renditions",result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  return { hit: count('hit'), miss: count('miss') };
}

async function read(api: 'cdn' | 'preview', path: string) {
  const response = await fetch(`${server.baseUrl}/${api}/spaces/${spaceId}/environments/master${path}`, {
    headers: { authorization: `Bearer ${api === 'cdn' ? deliveryToken : previewToken}`, 'cache-control': 'no-cache' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    items: { sys: Record<string, unknown>; fields: Record<string, unknown>; metadata: { tags: unknown[] } }[];
    includes?: { Entry?: { sys: { id: string }; fields: Record<string, unknown> }[]; Asset?: unknown[] };
    errors?: unknown[];
    total: number;
    sys: Record<string, unknown>;
    fields: Record<string, unknown>;
  };
}

async function publishEntry(id: string, fields: Record<string, unknown>, contentTypeId = 'post') {
  const existing = await cma.entry.get({ ...env(), entryId: id }).catch(() => undefined);
  const saved = existing
    ? await cma.entry.update({ ...env(), entryId: id }, { ...existing, fields } as never)
    : await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId }, { fields } as never);
  return cma.entry.publish({ ...env(), entryId: id }, saved);
}

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Renditions' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true },
      { id: 'secret', name: 'Secret', type: 'Symbol' },
      { id: 'next', name: 'Next', type: 'Link', linkType: 'Entry' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
  await publishEntry('second', { title: { 'en-US': 'Second' }, secret: { 'en-US': 's2' } });
  await publishEntry('first', {
    title: { 'en-US': 'First', 'de-DE': 'Erster' },
    secret: { 'en-US': 's1' },
    next: { 'en-US': { sys: { type: 'Link', linkType: 'Entry', id: 'second' } } },
  });
  const key = await cma.apiKey.create({ spaceId }, {
    name: 'Website',
    environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
  } as never);
  deliveryToken = key.accessToken;
  previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key!.sys.id })).accessToken;
});
afterAll(async () => server?.close());

describe('delivery renditions', () => {
  it('renders an entry once per state and locale, and reuses it for pages, includes and single reads', async () => {
    const first = await read('cdn', '/entries?content_type=post&locale=de-DE&order=sys.id&include=1');
    const before = await renditionLookups();
    const again = await read('cdn', '/entries?content_type=post&locale=de-DE&order=sys.id&include=1');
    const after = await renditionLookups();
    expect(again).toEqual(first);
    // Both items kept from the first read (the linked entry is one of them, so nothing is included).
    expect(after.miss - before.miss).toBe(0);
    expect(after.hit - before.hit).toBe(2);
    expect(first.items.map((i) => i.fields.title)).toEqual(['Erster', 'Second']);
    expect(first.includes).toBeUndefined();
    // The same renditions serve as an item and as an include.
    const linking = await read('cdn', '/entries?sys.id=first&locale=de-DE');
    expect(linking.includes?.Entry).toEqual([first.items[1]]);
    const afterIncludes = await renditionLookups();
    expect(afterIncludes.miss - after.miss).toBe(0);
    expect(afterIncludes.hit - after.hit).toBe(2);

    const single = await read('cdn', '/entries/first?locale=de-DE');
    expect(single).toEqual(first.items[0]);
    expect((await renditionLookups()).miss - afterIncludes.miss).toBe(0);
    // Another locale is another rendition.
    expect((await read('cdn', '/entries/first')).fields.title).toBe('First');
    expect((await renditionLookups()).miss - afterIncludes.miss).toBe(1);
  });

  it('shows every change at once: a publish, the content model, the locales and a recreated entry', async () => {
    await read('cdn', '/entries?content_type=post&locale=de-DE&include=1');
    await publishEntry('second', { title: { 'en-US': 'Second, edited' }, secret: { 'en-US': 's2' } });
    const republished = await read('cdn', '/entries?content_type=post&locale=de-DE&include=1&order=sys.id');
    expect(republished.items[1].fields.title).toBe('Second, edited');
    expect(republished.items[1].sys.revision).toBe(2);
    const linking = await read('cdn', '/entries?sys.id=first&include=1');
    expect(linking.includes?.Entry?.[0].fields.title).toBe('Second, edited');

    // Omitting a field hides it from every rendition of the type.
    const ct = await cma.contentType.get({ ...env(), contentTypeId: 'post' });
    const omitted = await cma.contentType.update(
      { ...env(), contentTypeId: 'post' },
      {
        ...ct,
        fields: ct.fields.map((f) => (f.id === 'secret' ? { ...f, omitted: true } : f)),
      },
    );
    await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, omitted);
    const withoutSecret = await read('cdn', '/entries/first?locale=de-DE');
    expect(withoutSecret.fields).toEqual({ title: 'Erster', next: { sys: { type: 'Link', linkType: 'Entry', id: 'second' } } });

    // A locale without a fallback no longer borrows English values.
    const german = (await cma.locale.getMany({ spaceId, environmentId: 'master', query: {} })).items.find((l) => l.code === 'de-DE')!;
    await cma.locale.update({ ...env(), localeId: german.sys.id }, { ...german, fallbackCode: null } as never);
    const second = await read('cdn', '/entries/second?locale=de-DE');
    expect(second.fields).toEqual({});

    // The CPA: an entry deleted and created again under its id starts at version 1 again, with other content.
    await cma.entry.createWithId({ ...env(), entryId: 'draft', contentTypeId: 'post' }, { fields: { title: { 'en-US': 'Old' } } } as never);
    expect((await read('preview', '/entries/draft')).fields.title).toBe('Old');
    await cma.entry.delete({ ...env(), entryId: 'draft' });
    await cma.entry.createWithId({ ...env(), entryId: 'draft', contentTypeId: 'post' }, { fields: { title: { 'en-US': 'New' } } } as never);
    const recreated = await read('preview', '/entries/draft');
    expect(recreated.fields.title).toBe('New');
    expect(recreated.sys.revision).toBe(1);
  });

  it('answers the official client alike, with links resolved from kept renditions', async () => {
    const cda = createClient({ space: spaceId, accessToken: deliveryToken, host: server.host, basePath: '/cdn', insecure: true });
    const entries = await cda.getEntries({ content_type: 'post', 'sys.id': 'first', include: 2 });
    expect(entries.items).toHaveLength(1);
    const next = entries.items[0].fields.next as { sys: { id: string }; fields: { title: string } };
    expect(next.sys.id).toBe('second');
    expect(next.fields.title).toBe('Second, edited');
  });
});
