import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Locale-based publishing of assets through the official client (`asset.publish`/`unpublish` with `locales`). */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const cda = () => createClient({ space: spaceId, accessToken: deliveryToken, host: server.host, basePath: '/cdn', insecure: true });
const title = async (locale: string) => ((await cda().getAsset('logo', { locale })).fields as { title?: string }).title;

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Asset locales' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const key = await cma.apiKey.create({ spaceId }, {
    name: 'Site',
    environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
  } as never);
  deliveryToken = key.accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('asset locale-based publishing', () => {
  it('publishes and takes back single locales of an asset, and unpublishes it with the last one', async () => {
    const draft = await cma.asset.createWithId({ ...env(), assetId: 'logo' }, {
      fields: { title: { 'en-US': 'Logo', 'de-DE': 'Firmenzeichen' } },
    } as never);
    const english = await cma.asset.publish({ ...env(), assetId: 'logo', locales: ['en-US'] }, draft);
    expect(english.sys.publishedVersion).toBe(draft.sys.version);
    // German is not published: it falls back to the published English title.
    expect([await title('en-US'), await title('de-DE')]).toEqual(['Logo', 'Logo']);

    const both = await cma.asset.publish({ ...env(), assetId: 'logo', locales: ['de-DE'] }, english);
    expect([await title('en-US'), await title('de-DE')]).toEqual(['Logo', 'Firmenzeichen']);

    const german = await cma.asset.unpublish({ ...env(), assetId: 'logo', locales: ['en-US'] }, both);
    expect(german.sys.publishedVersion).toBeDefined();
    expect(await title('de-DE')).toBe('Firmenzeichen');
    expect(await title('en-US')).toBeUndefined();

    const gone = await cma.asset.unpublish({ ...env(), assetId: 'logo', locales: ['de-DE'] }, german);
    expect(gone.sys.publishedVersion).toBeUndefined();
    await expect(cda().getAsset('logo')).rejects.toThrow(/"status": 404/);
  });

  it('refuses unknown locales and a file that is not processed in a locale it publishes', async () => {
    const draft = await cma.asset.createWithId({ ...env(), assetId: 'raw' }, {
      fields: {
        title: { 'en-US': 'Raw' },
        file: { 'de-DE': { fileName: 'a.png', contentType: 'image/png', upload: 'https://example.com/a.png' } },
      },
    } as never);
    await expectSdkError(cma.asset.publish({ ...env(), assetId: 'raw', locales: ['fr-FR'] }, draft), 400, 'BadRequest');
    await expectSdkError(cma.asset.publish({ ...env(), assetId: 'raw', locales: ['de-DE'] }, draft), 422, 'ValidationFailed');
    // English has no file to process: it can be published alone.
    expect((await cma.asset.publish({ ...env(), assetId: 'raw', locales: ['en-US'] }, draft)).sys.publishedVersion).toBe(draft.sys.version);
  });
});
