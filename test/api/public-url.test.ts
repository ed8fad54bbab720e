import { createClient } from 'contentful';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * PUBLIC_URL names where clients reach the server (a proxy's address, here with a path the proxy strips):
 * every URL the server builds comes from it, never from the request's scheme, Host or X-Forwarded-* headers,
 * even with TRUST_PROXY on.
 */
const PUBLIC_URL = 'https://cms.example.test/contentful';
/** What a client (or a misconfigured proxy) may send: none of it may leak into a built URL. */
const FORWARDED = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example.test' };

let server: TestServer;
let spaceId: string;
let fileId: string;
let fileUrl: string;
let deliveryToken: string;

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_URL, TRUST_PROXY: 'true' });
  const cma = server.plainClient(undefined, { headers: FORWARDED });
  spaceId = (await cma.space.create({}, { name: 'Behind a proxy' })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const created = await cma.asset.createFromFiles(env, {
    fields: { title: { 'en-US': 'Cover' }, file: { 'en-US': { file: makePng(4, 2), fileName: 'cover.png', contentType: 'image/png' } } },
  } as never);
  const processed = await cma.asset.processForAllLocales(env, created, { processingCheckWait: 50, processingCheckRetries: 100 });
  await cma.asset.publish({ ...env, assetId: processed.sys.id }, processed);
  fileId = processed.sys.id;
  const url = processed.fields.file['en-US'].url;
  if (!url) throw new Error('processing gave the file no url');
  fileUrl = url;
  // A second item, so that a sync page of one has a next page.
  const type = await cma.contentType.createWithId({ ...env, contentTypeId: 'note' }, {
    name: 'Note',
    fields: [{ id: 'text', name: 'Text', type: 'Symbol' }],
  } as never);
  await cma.contentType.publish({ ...env, contentTypeId: 'note' }, type);
  const note = await cma.entry.create({ ...env, contentTypeId: 'note' }, { fields: { text: { 'en-US': 'hi' } } });
  await cma.entry.publish({ ...env, entryId: note.sys.id }, note);
  deliveryToken = (await cma.apiKey.create({ spaceId }, { name: 'k' } as never)).accessToken as string;
});
afterAll(async () => {
  await server?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}${path}`, { headers: { ...FORWARDED, ...headers } });

describe('PUBLIC_URL is the base of every URL the server builds', () => {
  it('asset file URLs (CMA and CDA) are protocol-relative URLs of PUBLIC_URL host and path', async () => {
    expect(fileUrl).toMatch(new RegExp(`^//cms\\.example\\.test/contentful/files/${spaceId}/[^/]+/cover\\.png$`));
    const cda = createClient({ space: spaceId, accessToken: deliveryToken, host: server.host, basePath: '/cdn', insecure: true } as never);
    expect((await cda.getAsset(fileId)).fields.file?.url).toBe(fileUrl);
  });

  it('GraphQL asset URLs take PUBLIC_URL scheme, not the request scheme', async () => {
    const response = await fetch(`${server.baseUrl}/content/v1/spaces/${spaceId}`, {
      method: 'POST',
      headers: { ...FORWARDED, authorization: `Bearer ${deliveryToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ asset(id: "${fileId}") { url small: url(transform: { width: 2 }) } }` }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { asset: { url: `https:${fileUrl}`, small: `https:${fileUrl}?w=2` } } });
  });

  it('sync URLs (nextPageUrl and nextSyncUrl) start with PUBLIC_URL', async () => {
    const sync = `/cdn/spaces/${spaceId}/environments/master/sync`;
    const syncUrl = new RegExp(`^${PUBLIC_URL}${sync}\\?sync_token=[^&]+$`);
    let page = await (await get(`${sync}?initial=true&limit=1&access_token=${deliveryToken}`)).json();
    expect(page.nextPageUrl).toMatch(syncUrl);
    // The pages that follow, through the proxy's address as the server named it, up to the one with nextSyncUrl.
    while (page.nextPageUrl) {
      page = await (await get(`${page.nextPageUrl.slice(PUBLIC_URL.length)}&access_token=${deliveryToken}`)).json();
    }
    expect(page.nextSyncUrl).toMatch(syncUrl);
  });

  it('the GraphiQL page posts to the endpoint below PUBLIC_URL path', async () => {
    const response = await get(`/content/v1/spaces/${spaceId}`, { accept: 'text/html' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(JSON.stringify(`/contentful/content/v1/spaces/${spaceId}`));
  });

  it('the OpenAPI document names PUBLIC_URL as its server', async () => {
    expect((await (await get('/openapi.json')).json()).servers).toEqual([{ url: PUBLIC_URL }]);
  });
});
