import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Locale-based publishing through the official client (`entry.publish`/`unpublish` with `locales`): only
 * those locales reach the CDA, the others keep what was published before (or fall back).
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const cda = () => createClient({ space: spaceId, accessToken: deliveryToken, host: server.host, basePath: '/cdn', insecure: true });
const title = async (locale: string) => ((await cda().getEntry('page', { locale })).fields as { title?: string }).title;

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Locales' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'page' }, {
    name: 'Page',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true },
      { id: 'slug', name: 'Slug', type: 'Symbol' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'page' }, ct);
  const key = await cma.apiKey.create({ spaceId }, {
    name: 'Site',
    environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
  } as never);
  deliveryToken = key.accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('locale-based publishing', () => {
  it('publishes and takes back single locales, and unpublishes with the last one', async () => {
    const draft = await cma.entry.createWithId({ ...env(), entryId: 'page', contentTypeId: 'page' }, {
      fields: { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' }, slug: { 'en-US': 'hello' } },
    } as never);
    const english = await cma.entry.publish({ ...env(), entryId: 'page', locales: ['en-US'] }, draft);
    expect(english.sys.publishedVersion).toBe(draft.sys.version);
    // German is not published: its value falls back to the published English one.
    expect([await title('en-US'), await title('de-DE')]).toEqual(['Hello', 'Hello']);
    expect(((await cda().getEntry('page')).fields as { slug?: string }).slug).toBe('hello');

    expect((english.sys as { fieldStatus?: unknown }).fieldStatus).toEqual({ '*': { 'de-DE': 'draft', 'en-US': 'published' } });

    const german = await cma.entry.publish({ ...env(), entryId: 'page', locales: ['de-DE'] }, english);
    expect([await title('en-US'), await title('de-DE')]).toEqual(['Hello', 'Hallo']);
    expect((german.sys as { fieldStatus?: unknown }).fieldStatus).toEqual({ '*': { 'de-DE': 'published', 'en-US': 'published' } });
    const edited = await cma.entry.update(
      { ...env(), entryId: 'page' },
      { ...german, fields: { ...german.fields, title: { 'en-US': 'Hello', 'de-DE': 'Hallo!' } } },
    );
    expect((edited.sys as { fieldStatus?: unknown }).fieldStatus).toEqual({ '*': { 'de-DE': 'changed', 'en-US': 'published' } });

    const withoutGerman = await cma.entry.unpublish({ ...env(), entryId: 'page', locales: ['de-DE'] }, edited);
    expect(withoutGerman.sys.publishedVersion).toBeDefined();
    expect([await title('en-US'), await title('de-DE')]).toEqual(['Hello', 'Hello']);

    const gone = await cma.entry.unpublish({ ...env(), entryId: 'page', locales: ['en-US'] }, withoutGerman);
    expect(gone.sys.publishedVersion).toBeUndefined();
    await expect(cda().getEntry('page')).rejects.toThrow();
  });

  it('validates the locales it publishes, and refuses unknown locales', async () => {
    const draft = await cma.entry.createWithId({ ...env(), entryId: 'partial', contentTypeId: 'page' }, {
      fields: { title: { 'de-DE': 'Nur Deutsch' } },
    } as never);
    // The required title has no English (default locale) value, so English cannot be published.
    await expectSdkError(cma.entry.publish({ ...env(), entryId: 'partial', locales: ['en-US'] }, draft), 422, 'ValidationFailed');
    await expectSdkError(cma.entry.publish({ ...env(), entryId: 'partial', locales: ['fr-FR'] }, draft), 400, 'BadRequest');
    expect((await cma.entry.get({ ...env(), entryId: 'partial' })).sys.publishedVersion).toBeUndefined();
  });
});
