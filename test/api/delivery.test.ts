import { createHash } from 'node:crypto';
import { createClient, type ContentfulClientApi } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let previewToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

function cda(options: { preview?: boolean; environment?: string; token?: string } = {}): ContentfulClientApi<undefined> {
  return createClient({
    space: spaceId,
    environment: options.environment ?? 'master',
    accessToken: options.token ?? (options.preview ? previewToken : deliveryToken),
    host: server.host,
    basePath: options.preview ? '/preview' : '/cdn',
    insecure: true,
    retryOnError: false,
  } as never);
}

async function cdaError(promise: Promise<unknown>): Promise<{ status: number; id: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { sys?: { id: string } };
    const data = JSON.parse(e.message) as { status: number };
    return { status: data.status, id: e.name };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  // A long time to live: every test here then relies on management writes clearing kept answers.
  server = await startTestServer({ DELIVERY_CACHE_TTL_MS: '600000' });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Delivery' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  await cma.locale.create(env(), { name: 'Swiss German', code: 'de-CH', fallbackCode: 'de-DE' } as never);
  await cma.tag.createWithId({ ...env(), tagId: 'public-tag' }, { name: 'Public', sys: { visibility: 'public' } } as never);
  await cma.tag.createWithId({ ...env(), tagId: 'private-tag' }, { name: 'Private', sys: { visibility: 'private' } } as never);
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true },
      { id: 'slug', name: 'Slug', type: 'Symbol' },
      { id: 'secret', name: 'Secret', type: 'Symbol', omitted: true },
      { id: 'next', name: 'Next', type: 'Link', linkType: 'Entry' },
      { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset' },
      { id: 'rank', name: 'Rank', type: 'Integer' },
      { id: 'labels', name: 'Labels', type: 'Array', items: { type: 'Symbol' } },
      { id: 'place', name: 'Place', type: 'Location' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
  const asset = await cma.asset.createWithId({ ...env(), assetId: 'pic' }, { fields: { title: { 'en-US': 'Picture' } } } as never);
  await cma.asset.publish({ ...env(), assetId: 'pic' }, asset);
  const post = async (id: string, fields: Record<string, unknown>, publish = true, tags: string[] = []) => {
    const existing = await cma.entry.get({ ...env(), entryId: id }).catch(() => undefined);
    const e = existing
      ? await cma.entry.update({ ...env(), entryId: id }, {
          ...existing,
          fields,
          metadata: { tags: tags.map((t) => link('Tag', t)) },
        } as never)
      : await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'post' }, {
          fields,
          metadata: { tags: tags.map((t) => link('Tag', t)) },
        } as never);
    if (publish) await cma.entry.publish({ ...env(), entryId: id }, e);
  };
  // a -> b -> c -> a (a cycle): published first without links, then linked and published again.
  for (const id of ['a', 'b', 'c', 'gone']) await post(id, { title: { 'en-US': id.toUpperCase() } });
  await post('c', {
    title: { 'en-US': 'C' },
    next: { 'en-US': link('Entry', 'a') },
    rank: { 'en-US': 3 },
    labels: { 'en-US': ['x'] },
    place: { 'en-US': { lat: 10, lon: 10 } },
  });
  await post('b', {
    title: { 'en-US': 'B' },
    next: { 'en-US': link('Entry', 'c') },
    rank: { 'en-US': 2 },
    labels: { 'en-US': ['x', 'y'] },
    place: { 'en-US': { lat: 50, lon: 8 } },
  });
  await post(
    'a',
    {
      title: { 'en-US': 'A', 'de-DE': 'A auf Deutsch' },
      slug: { 'en-US': 'a' },
      secret: { 'en-US': 'hidden' },
      next: { 'en-US': link('Entry', 'b') },
      image: { 'en-US': link('Asset', 'pic') },
      rank: { 'en-US': 1 },
      labels: { 'en-US': ['y'] },
      place: { 'en-US': { lat: 52, lon: 13 } },
    },
    true,
    ['public-tag', 'private-tag'],
  );
  await post('draft', { title: { 'en-US': 'Draft only' } }, false);
  // d links to an entry that is deleted after d was published.
  await post('d', { title: { 'en-US': 'D' }, next: { 'en-US': link('Entry', 'gone') } });
  await cma.entry.unpublish({ ...env(), entryId: 'gone' });
  await cma.entry.delete({ ...env(), entryId: 'gone' });
  const key = await cma.apiKey.create({ spaceId }, { name: 'Website', environments: [link('Environment', 'master')] } as never);
  deliveryToken = key.accessToken;
  previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('API keys', () => {
  it('creates a delivery key with its preview key and shows tokens', async () => {
    const keys = await cma.apiKey.getMany({ spaceId });
    expect(keys.items).toHaveLength(1);
    expect(keys.items[0].accessToken).toBe(deliveryToken);
    expect(keys.items[0].environments).toEqual([link('Environment', 'master')]);
    const previews = await cma.previewApiKey.getMany({ spaceId });
    expect(previews.items.map((k) => k.accessToken)).toEqual([previewToken]);
    const stored = await server.database.db.selectFrom('api_keys').select(['token_hash', 'token_sealed']).execute();
    expect(JSON.stringify(stored)).not.toContain(deliveryToken);
  });

  it('delivery tokens work only on /cdn, preview tokens only on /preview, management tokens on neither', async () => {
    expect(await cdaError(cda({ token: previewToken }).getEntries())).toEqual({ status: 401, id: 'AccessTokenInvalid' });
    expect(await cdaError(cda({ preview: true, token: deliveryToken }).getEntries())).toEqual({ status: 401, id: 'AccessTokenInvalid' });
    expect(await cdaError(cda({ token: server.adminToken }).getEntries())).toEqual({ status: 401, id: 'AccessTokenInvalid' });
  });

  it('a key reads only its environments; deleting the delivery key deletes the preview key', async () => {
    await cma.environment.createWithId({ spaceId, environmentId: 'staging' }, { name: 'Staging' });
    await waitFor('staging to be ready', async () => {
      const e = await cma.environment.get({ spaceId, environmentId: 'staging' });
      return (e.sys as unknown as { status: { sys: { id: string } } }).status.sys.id === 'ready';
    });
    expect(await cdaError(cda({ environment: 'staging' }).getEntries())).toEqual({ status: 404, id: 'NotFound' });
    const key = await cma.apiKey.create({ spaceId }, { name: 'Staging only', environments: [link('Environment', 'staging')] } as never);
    expect((await cda({ environment: 'staging', token: key.accessToken }).getEntries()).total).toBeGreaterThan(0);
    expect(await cdaError(cda({ token: key.accessToken }).getEntries())).toEqual({ status: 404, id: 'NotFound' });
    await cma.apiKey.delete({ spaceId, apiKeyId: key.sys.id });
    expect((await cma.previewApiKey.getMany({ spaceId })).items).toHaveLength(1);
    expect(await cdaError(cda({ environment: 'staging', token: key.accessToken }).getEntries())).toEqual({
      status: 401,
      id: 'AccessTokenInvalid',
    });
  });
});

describe('Content Delivery API through the contentful client', () => {
  it('reads the space, locales and the content model without omitted fields', async () => {
    const space = await cda().getSpace();
    expect(space.sys.id).toBe(spaceId);
    expect(space.locales.map((l) => l.code)).toEqual(['en-US', 'de-DE', 'de-CH']);
    expect((await cda().getLocales()).items.map((l) => [l.code, l.fallbackCode])).toEqual([
      ['en-US', null],
      ['de-DE', 'en-US'],
      ['de-CH', 'de-DE'],
    ]);
    const ct = await cda().getContentType('post');
    expect(ct.fields.map((f) => f.id)).toEqual(['title', 'slug', 'next', 'image', 'rank', 'labels', 'place']);
  });

  it('gets one entry with delivery sys and fallbacks over two steps', async () => {
    const a = await cda().getEntry('a', { locale: 'de-CH' } as never);
    expect(a.fields.title).toBe('A auf Deutsch');
    expect(a.fields.slug).toBe('a');
    expect(a.fields.secret).toBeUndefined();
    expect(a.sys.locale).toBe('de-CH');
    expect(a.sys.revision).toBe(2);
    expect(a.metadata.tags.map((t) => t.sys.id)).toEqual(['public-tag']);
    const c = await cda().getEntry('c', { locale: 'de-CH' } as never);
    expect(c.fields.title).toBe('C');
  });

  it('GET /entries/{id} and /assets/{id} answer one entity in the asked locale, 404 for drafts on the CDA', async () => {
    const get = async (path: string, token = deliveryToken, base = '/cdn') => {
      const response = await server.request('GET', `${base}/spaces/${spaceId}/environments/master${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: await response.json() };
    };
    const a = await get('/entries/a?locale=de-CH');
    expect(a.status).toBe(200);
    expect(a.body.fields).toEqual({
      title: 'A auf Deutsch',
      slug: 'a',
      next: link('Entry', 'b'),
      image: link('Asset', 'pic'),
      rank: 1,
      labels: ['y'],
      place: { lat: 52, lon: 13 },
    });
    expect(a.body.sys).toMatchObject({ id: 'a', type: 'Entry', locale: 'de-CH', revision: 2, contentType: link('ContentType', 'post') });
    expect(a.body.metadata.tags).toEqual([link('Tag', 'public-tag')]);
    expect((await get('/entries/a?locale=*')).body.fields.title).toEqual({ 'en-US': 'A', 'de-DE': 'A auf Deutsch' });
    expect((await get('/entries/a')).body.sys.locale).toBe('en-US');
    expect((await get('/assets/pic')).body.fields).toEqual({ title: 'Picture' });
    const unknownLocale = await get('/entries/a?locale=xx');
    expect([unknownLocale.status, unknownLocale.body.sys.id]).toEqual([400, 'InvalidQuery']);
    const draft = await get('/entries/draft');
    expect([draft.status, draft.body.sys.id]).toEqual([404, 'NotFound']);
    const previewed = await get('/entries/draft', previewToken, '/preview');
    expect([previewed.status, previewed.body.fields.title, previewed.body.sys.revision]).toEqual([200, 'Draft only', 1]);
  });

  it('locale=* returns every locale', async () => {
    const entries = await cda().withAllLocales.getEntries({ 'sys.id': 'a' } as never);
    expect(entries.items[0].fields.title).toEqual({ 'en-US': 'A', 'de-DE': 'A auf Deutsch' });
  });

  it('resolves includes three levels deep through a cycle, reporting the deleted target', async () => {
    const raw = await server.request('GET', `/cdn/spaces/${spaceId}/environments/master/entries?sys.id[in]=a,d&include=3`, {
      headers: { authorization: `Bearer ${deliveryToken}` },
    });
    const body = await raw.json();
    expect(body.items.map((e: { sys: { id: string } }) => e.sys.id).sort()).toEqual(['a', 'd']);
    expect(body.includes.Entry.map((e: { sys: { id: string } }) => e.sys.id).sort()).toEqual(['b', 'c']);
    expect(body.includes.Asset.map((e: { sys: { id: string } }) => e.sys.id)).toEqual(['pic']);
    expect(body.errors).toEqual([
      { sys: { id: 'notResolvable', type: 'error' }, details: { type: 'Link', linkType: 'Entry', id: 'gone' } },
    ]);
    const resolved = await cda().getEntries({ 'sys.id': 'a', include: 3 } as never);
    const a = resolved.items[0] as unknown as { fields: { next: { fields: { next: { fields: { title: string } } } } } };
    expect(a.fields.next.fields.next.fields.title).toBe('C');
  });

  it('searches published content with the grammar, select and order', async () => {
    expect(
      (await cda().getEntries({ content_type: 'post', 'fields.title[in]': 'A,B', order: 'fields.title' } as never)).items.map(
        (e) => e.sys.id,
      ),
    ).toEqual(['a', 'b']);
    expect((await cda().getEntries({ query: 'draft' } as never)).total).toBe(0);
    const selected = await cda().getEntries({ content_type: 'post', select: 'fields.title', 'sys.id': 'b' } as never);
    expect(selected.items[0].fields).toEqual({ title: 'B' });
    expect((await cda().getEntries({ links_to_entry: 'a' } as never)).items.map((e) => e.sys.id)).toEqual(['c']);
    expect((await cda().getAssets()).items.map((a) => a.sys.id)).toEqual(['pic']);
    expect((await cda().getTags()).items.map((t) => t.sys.id)).toEqual(['public-tag']);
  });

  it('answers every search operator on published content', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ 'fields.slug': 'a' }, ['a']],
      [{ 'fields.rank[ne]': '1' }, ['b', 'c', 'd']],
      [{ 'fields.rank[in]': '1,3' }, ['a', 'c']],
      [{ 'fields.rank[nin]': '1,3' }, ['b', 'd']],
      [{ 'fields.slug[exists]': 'true' }, ['a']],
      [{ 'fields.rank[lt]': '2' }, ['a']],
      [{ 'fields.rank[lte]': '2' }, ['a', 'b']],
      [{ 'fields.rank[gt]': '2' }, ['c']],
      [{ 'fields.rank[gte]': '2' }, ['b', 'c']],
      [{ 'fields.labels[all]': 'x,y' }, ['b']],
      [{ 'fields.title[match]': 'auf', locale: 'de-DE' }, ['a']],
      // Non-localized fields have one value, kept in the default locale, whatever locale is asked for.
      [{ 'fields.slug': 'a', locale: 'de-DE' }, ['a']],
      [{ 'fields.rank[gte]': '2', locale: 'de-CH' }, ['b', 'c']],
      [{ 'fields.place[within]': '45,0,55,20' }, ['a', 'b']],
      [{ 'fields.next.sys.id': 'b' }, ['a']],
      [{ 'metadata.tags.sys.id[in]': 'public-tag' }, ['a']],
    ];
    for (const [query, expected] of cases) {
      const result = await cda().getEntries({ content_type: 'post', ...query } as never);
      expect(result.items.map((e) => e.sys.id).sort(), JSON.stringify(query)).toEqual(expected);
    }
    const near = await cda().getEntries({ content_type: 'post', 'fields.place[near]': '52,13', 'fields.rank[exists]': 'true' } as never);
    expect(near.items.map((e) => e.sys.id)).toEqual(['a', 'b', 'c']);
    const german = await cda().getEntries({
      content_type: 'post',
      order: '-fields.rank',
      'fields.rank[exists]': 'true',
      locale: 'de-DE',
    } as never);
    expect(german.items.map((e) => e.sys.id)).toEqual(['c', 'b', 'a']);
  });

  it('preview sees drafts the CDA does not', async () => {
    expect((await cda().getEntries({ 'sys.id': 'draft' } as never)).total).toBe(0);
    const preview = await cda({ preview: true }).getEntries({ 'sys.id': 'draft' } as never);
    expect(preview.items.map((e) => e.fields.title)).toEqual(['Draft only']);
  });

  it('answers with an ETag, 304 on If-None-Match, and a new ETag after publishing', async () => {
    const url = `/cdn/spaces/${spaceId}/entries?sys.id=b`;
    const headers = { authorization: `Bearer ${deliveryToken}` };
    const first = await server.request('GET', url, { headers });
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('content-type')).toMatch(/application\/vnd\.contentful\.delivery\.v1\+json/);
    expect((await server.request('GET', url, { headers: { ...headers, 'if-none-match': etag } })).status).toBe(304);
    const b = await cma.entry.get({ ...env(), entryId: 'b' });
    await cma.entry.publish(
      { ...env(), entryId: 'b' },
      await cma.entry.update({ ...env(), entryId: 'b' }, { ...b, fields: { ...b.fields, title: { 'en-US': 'B2' } } }),
    );
    const after = await server.request('GET', url, { headers: { ...headers, 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('sends a long collection whole, with its length and ETag, computed or kept', async () => {
    const type = await cma.contentType.createWithId({ ...env(), contentTypeId: 'longread' }, {
      name: 'Long read',
      fields: [{ id: 'body', name: 'Body', type: 'Text' }],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'longread' }, type);
    // Five bodies of 39 KB of UTF-8 each (Text holds at most 50,000): the answer goes out in several pieces.
    const bodies = ['ä', 'ö', 'ü', 'ß', 'é'].map((letter) => `${letter}${'x'.repeat(13_000)}`.repeat(3));
    for (const [index, body] of bodies.entries()) {
      const entry = await cma.entry.createWithId(
        { ...env(), entryId: `long-${index}`, contentTypeId: 'longread' },
        { fields: { body: { 'en-US': body } } },
      );
      await cma.entry.publish({ ...env(), entryId: `long-${index}` }, entry);
    }
    const url = `/cdn/spaces/${spaceId}/entries?content_type=longread&order=sys.id`;
    const headers = { authorization: `Bearer ${deliveryToken}` };
    const computed = { 'cache-control': 'no-cache' };
    const identity = { 'accept-encoding': 'identity' };
    for (const extra of [{ ...computed, ...identity }, identity, identity, { ...computed, 'accept-encoding': 'gzip' }]) {
      const response = await server.request('GET', url, { headers: { ...headers, ...extra } });
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(180_000);
      const compressed = extra['accept-encoding'] === 'gzip';
      expect(response.headers.get('content-encoding')).toBe(compressed ? 'gzip' : null);
      expect(response.headers.get('content-length')).toBe(compressed ? null : String(bytes.length));
      expect(response.headers.get('etag')).toBe(`"${createHash('sha1').update(bytes).digest('base64url')}"`);
      const answer = JSON.parse(bytes.toString('utf8')) as { total: number; items: { fields: { body: string } }[] };
      expect(answer.total).toBe(5);
      expect(answer.items.map((item) => item.fields.body)).toEqual(bodies);
      const unchanged = await server.request('GET', url, {
        headers: { ...headers, ...extra, 'if-none-match': response.headers.get('etag')! },
      });
      expect(unchanged.status).toBe(304);
      expect(await unchanged.text()).toBe('');
    }
  });

  it('refuses bad parameters with 400', async () => {
    expect(await cdaError(cda().getEntries({ include: 11 } as never))).toEqual({ status: 400, id: 'InvalidQuery' });
    expect(await cdaError(cda().getEntries({ locale: 'xx' } as never))).toEqual({ status: 400, id: 'InvalidQuery' });
  });

  it('full text and links_to_entry follow the published copy on the CDA and the draft on the CPA', async () => {
    const ids = async (query: Record<string, string>, preview = false) =>
      (await cda({ preview }).getEntries(query as never)).items.map((e) => e.sys.id).sort();
    const created = await cma.entry.createWithId(
      { ...env(), entryId: 'e', contentTypeId: 'post' },
      { fields: { title: { 'en-US': 'Echo' }, next: { 'en-US': link('Entry', 'c') } } },
    );
    const published = await cma.entry.publish({ ...env(), entryId: 'e' }, created);
    const draft = await cma.entry.update(
      { ...env(), entryId: 'e' },
      { ...published, fields: { title: { 'en-US': 'Foxtrot' }, next: { 'en-US': link('Entry', 'a') } } },
    );
    expect(await ids({ query: 'echo' })).toEqual(['e']);
    expect(await ids({ query: 'foxtrot' })).toEqual([]);
    expect(await ids({ links_to_entry: 'c' })).toEqual(['b', 'e']);
    expect(await ids({ links_to_entry: 'a' })).toEqual(['c']);
    expect(await ids({ query: 'echo' }, true)).toEqual([]);
    expect(await ids({ query: 'foxtrot' }, true)).toEqual(['e']);
    expect(await ids({ links_to_entry: 'a' }, true)).toEqual(['c', 'e']);

    const republished = await cma.entry.publish({ ...env(), entryId: 'e' }, draft);
    expect(await ids({ query: 'echo' })).toEqual([]);
    expect(await ids({ query: 'foxtrot' })).toEqual(['e']);
    expect(await ids({ links_to_entry: 'a' })).toEqual(['c', 'e']);
    await cma.entry.unpublish({ ...env(), entryId: 'e' }, republished);
    expect(await ids({ query: 'foxtrot' })).toEqual([]);
    expect(await ids({ query: 'foxtrot' }, true)).toEqual(['e']);
    await cma.entry.delete({ ...env(), entryId: 'e' });
  });
});

describe('kept delivery answers', () => {
  it('serve collections until a management write of this process; Cache-Control: no-cache computes afresh', async () => {
    const url = `/cdn/spaces/${spaceId}/entries?content_type=post&sys.id=c&select=fields.title`;
    const read = async (headers: Record<string, string> = {}) => {
      const response = await server.request('GET', url, { headers: { authorization: `Bearer ${deliveryToken}`, ...headers } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { fields: { title: string } }[] };
      return { title: body.items[0].fields.title, etag: response.headers.get('etag') };
    };
    const setPublishedTitle = (title: string) =>
      server.database.db
        .updateTable('entries')
        .set({ published_fields: sql`jsonb_set(published_fields, '{title,en-US}', to_jsonb(${title}::text))` })
        .where('space_id', '=', spaceId)
        .where('id', '=', 'c')
        .execute();
    const kept = await read();
    expect(kept.title).toBe('C');

    // Another server process sharing the database changes the entry: this one keeps its answer.
    await setPublishedTitle('C elsewhere');
    expect(await read()).toEqual(kept);
    const fresh = await read({ 'cache-control': 'no-cache' });
    expect(fresh.title).toBe('C elsewhere');
    expect(fresh.etag).not.toBe(kept.etag);
    expect(await read()).toEqual(kept);

    // Any write through this process's management API forgets kept answers before it is answered.
    await cma.tag.createWithId({ ...env(), tagId: 'cache-buster' }, { name: 'Cache buster', sys: { visibility: 'private' } } as never);
    expect(await read()).toEqual(fresh);
    await setPublishedTitle('C');
  });
});
