import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Locale-based publishing through the official client (`entry.publish`/`unpublish` with `locales`): only
 * those locales reach the CDA, the others keep what was published before (or fall back); with
 * `X-Contentful-Locale-Based-Publishing: true` (contentful.js's `withLocaleBasedPublishing`) the CDA serves
 * an entry only in its published locales.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let previewToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const cda = () => createClient({ space: spaceId, accessToken: deliveryToken, host: server.host, basePath: '/cdn', insecure: true });
const cpa = () => createClient({ space: spaceId, accessToken: previewToken, host: server.host, basePath: '/preview', insecure: true });
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
  previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
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

describe('X-Contentful-Locale-Based-Publishing', () => {
  const localeBased = () => cda().withLocaleBasedPublishing;
  const ids = (collection: { items: { sys: { id: string } }[] }) => collection.items.map((item) => item.sys.id);
  const pages = { content_type: 'note', order: ['sys.id'] as never };
  const cdaRequest = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/cdn/spaces/${spaceId}/environments/master${path}`, {
      headers: { authorization: `Bearer ${deliveryToken}`, ...headers },
    });
  let greeting: Awaited<ReturnType<PlainClientAPI['entry']['publish']>>;

  beforeAll(async () => {
    // Notes need no English title, so that German can be published alone (the default locale is always checked).
    const note = await cma.contentType.createWithId({ ...env(), contentTypeId: 'note' }, {
      name: 'Note',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'slug', name: 'Slug', type: 'Symbol' },
      ],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'note' }, note);
    const create = (entryId: string, title: Record<string, string>, slug: string) =>
      cma.entry.createWithId({ ...env(), entryId, contentTypeId: 'note' }, { fields: { title, slug: { 'en-US': slug } } } as never);
    // English published alone, German alone, and one entry published entry-level (every locale).
    const draft = await create('greeting', { 'en-US': 'Hello', 'de-DE': 'Hallo' }, 'greeting');
    greeting = await cma.entry.publish({ ...env(), entryId: 'greeting', locales: ['en-US'] }, draft);
    const german = await create('german', { 'en-US': 'Not yet', 'de-DE': 'Nur Deutsch' }, 'german');
    await cma.entry.publish({ ...env(), entryId: 'german', locales: ['de-DE'] }, german);
    const world = await create('world', { 'en-US': 'World', 'de-DE': 'Welt' }, 'world');
    await cma.entry.publish({ ...env(), entryId: 'world' }, world);
    const list = await cma.contentType.createWithId({ ...env(), contentTypeId: 'list' }, {
      name: 'List',
      fields: [
        { id: 'pages', name: 'Pages', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
        { id: 'feature', name: 'Feature', type: 'Link', linkType: 'Entry' },
      ],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'list' }, list);
    const links = ['greeting', 'world'].map((id) => ({ sys: { type: 'Link', linkType: 'Entry', id } }));
    const draftList = await cma.entry.createWithId({ ...env(), entryId: 'list', contentTypeId: 'list' }, {
      fields: { pages: { 'en-US': links }, feature: { 'en-US': links[0] } },
    } as never);
    await cma.entry.publish({ ...env(), entryId: 'list' }, draftList);
  });

  it('answers 404 for an entry whose requested locale is not published, though its fallback is', async () => {
    await expect(localeBased().getEntry('greeting', { locale: 'de-DE' })).rejects.toMatchObject({
      sys: { type: 'Error', id: 'NotFound' },
      details: { type: 'Entry', id: 'greeting' },
    });
    expect((await localeBased().getEntry('greeting', { locale: 'en-US' })).fields).toEqual({ title: 'Hello', slug: 'greeting' });
    // Without the header the German request falls back to the published English value.
    expect((await cda().getEntry('greeting', { locale: 'de-DE' })).fields).toEqual({ title: 'Hello', slug: 'greeting' });

    const refused = await cdaRequest('/entries/greeting?locale=de-DE', { 'x-contentful-locale-based-publishing': 'TRUE' });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      sys: { type: 'Error', id: 'NotFound' },
      message: 'The resource could not be found.',
      details: { type: 'Entry', id: 'greeting', environment: 'master', space: spaceId },
      requestId: refused.headers.get('x-contentful-request-id'),
    });
    // No locale asked for: the default locale, which `german` has not published.
    const defaultLocale = await cdaRequest('/entries/german', { 'x-contentful-locale-based-publishing': 'true' });
    expect(defaultLocale.status).toBe(404);
    const german = await cdaRequest('/entries/german?locale=de-DE', { 'x-contentful-locale-based-publishing': 'true' });
    expect(german.status).toBe(200);
    expect((await german.json()).fields).toEqual({ title: 'Nur Deutsch', slug: 'german' });
    const ignored = await cdaRequest('/entries/greeting?locale=de-DE', { 'x-contentful-locale-based-publishing': 'false' });
    expect([ignored.status, (await ignored.json()).fields]).toEqual([200, { title: 'Hello', slug: 'greeting' }]);
  });

  it('leaves entries out of collections in locales they have not published, and keeps the answers apart', async () => {
    expect(ids(await cda().getEntries({ ...pages, locale: 'de-DE' }))).toEqual(['german', 'greeting', 'world']);
    const german = await localeBased().getEntries({ ...pages, locale: 'de-DE' });
    expect([german.total, ids(german)]).toEqual([2, ['german', 'world']]);
    expect(german.items.map((item) => item.fields.title)).toEqual(['Nur Deutsch', 'Welt']);
    const english = await localeBased().getEntries(pages);
    expect([english.total, ids(english)]).toEqual([2, ['greeting', 'world']]);
    expect(ids(await cda().getEntries({ ...pages, locale: 'de-DE' }))).toEqual(['german', 'greeting', 'world']);
  });

  it('gives only the published locales with locale=*', async () => {
    const all = await localeBased().withAllLocales.getEntries(pages);
    expect(all.items.map((item) => [item.sys.id, item.fields])).toEqual([
      ['german', { title: { 'de-DE': 'Nur Deutsch' }, slug: { 'en-US': 'german' } }],
      ['greeting', { title: { 'en-US': 'Hello' }, slug: { 'en-US': 'greeting' } }],
      ['world', { title: { 'en-US': 'World', 'de-DE': 'Welt' }, slug: { 'en-US': 'world' } }],
    ]);
  });

  it('leaves an included entry unpublished in the locale out of includes, like an unpublished one', async () => {
    const response = await cdaRequest('/entries?sys.id=list&locale=de-DE', { 'x-contentful-locale-based-publishing': 'true' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.includes.Entry.map((e: { sys: { id: string } }) => e.sys.id)).toEqual(['world']);
    expect(body.errors).toEqual([
      { sys: { id: 'notResolvable', type: 'error' }, details: { type: 'Link', linkType: 'Entry', id: 'greeting' } },
    ]);
    const without = await (await cdaRequest('/entries?sys.id=list&locale=de-DE')).json();
    expect(without.includes.Entry.map((e: { sys: { id: string } }) => e.sys.id).sort()).toEqual(['greeting', 'world']);
    expect(without.errors).toBeUndefined();
  });

  it('searches through references only in entries published in the locale', async () => {
    const featuring = { content_type: 'list', 'fields.feature.sys.contentType.sys.id': 'note', 'fields.feature.fields.slug': 'greeting' };
    expect(ids(await localeBased().getEntries({ ...featuring, locale: 'en-US' }))).toEqual(['list']);
    expect(ids(await localeBased().getEntries({ ...featuring, locale: 'de-DE' }))).toEqual([]);
    expect(ids(await cda().getEntries({ ...featuring, locale: 'de-DE' }))).toEqual(['list']);
  });

  it('changes nothing for an entry published entry-level', async () => {
    for (const locale of ['en-US', 'de-DE']) {
      const [withHeader, plain] = await Promise.all([localeBased().getEntry('world', { locale }), cda().getEntry('world', { locale })]);
      expect(withHeader).toEqual(plain);
    }
    expect((await localeBased().getEntry('world', { locale: 'de-DE' })).fields).toEqual({ title: 'Welt', slug: 'world' });
  });

  it('is ignored by the Preview API', async () => {
    const preview = cpa().withLocaleBasedPublishing;
    expect((await preview.getEntry('greeting', { locale: 'de-DE' })).fields).toEqual({ title: 'Hallo', slug: 'greeting' });
    expect(ids(await preview.getEntries(pages))).toEqual(['german', 'greeting', 'world']);
  });

  it('applies to assets', async () => {
    const draft = await cma.asset.createWithId({ ...env(), assetId: 'logo' }, {
      fields: { title: { 'en-US': 'Logo', 'de-DE': 'Firmenzeichen' } },
    } as never);
    await cma.asset.publish({ ...env(), assetId: 'logo', locales: ['en-US'] }, draft);
    const refused = await expectSdkError(localeBased().getAsset('logo', { locale: 'de-DE' }), 404, 'NotFound');
    expect(refused.details).toEqual({ type: 'Asset', id: 'logo', environment: 'master', space: spaceId });
    expect((await localeBased().getAsset('logo', { locale: 'en-US' })).fields).toEqual({ title: 'Logo' });
    const german = await localeBased().getAssets({ locale: 'de-DE' });
    expect([german.total, ids(german)]).toEqual([0, []]);
    expect(ids(await localeBased().getAssets())).toEqual(['logo']);
    expect(ids(await cda().getAssets({ locale: 'de-DE' }))).toEqual(['logo']);
  });

  it('answers GraphQL with null fields in a locale the entity has not published, but not in preview', async () => {
    const graphql = (token: string, headers: Record<string, string> = {}) =>
      new GraphQLClient(`${server.baseUrl}/content/v1/spaces/${spaceId}/environments/master`, {
        headers: { Authorization: `Bearer ${token}`, ...headers },
      });
    const query = `{
      de: note(id: "greeting", locale: "de-DE") { sys { id } title slug }
      en: note(id: "greeting") { sys { id } title slug germanTitle: title(locale: "de-DE") }
      world: note(id: "world", locale: "de-DE") { title }
      logo: asset(id: "logo", locale: "de-DE") { sys { id } title }
    }`;
    const header = { 'X-Contentful-Locale-Based-Publishing': 'true' };
    expect(await graphql(deliveryToken, header).request(query)).toEqual({
      de: { sys: { id: 'greeting' }, title: null, slug: null },
      en: { sys: { id: 'greeting' }, title: 'Hello', slug: 'greeting', germanTitle: null },
      world: { title: 'Welt' },
      logo: { sys: { id: 'logo' }, title: null },
    });
    // Without the header (asked right after: the kept answer must not be reused) German falls back to English.
    expect(await graphql(deliveryToken).request(query)).toEqual({
      de: { sys: { id: 'greeting' }, title: 'Hello', slug: 'greeting' },
      en: { sys: { id: 'greeting' }, title: 'Hello', slug: 'greeting', germanTitle: 'Hello' },
      world: { title: 'Welt' },
      logo: { sys: { id: 'logo' }, title: 'Logo' },
    });
    const preview = '{ note(id: "greeting", locale: "de-DE", preview: true) { title } }';
    expect(await graphql(previewToken, header).request(preview)).toEqual({ note: { title: 'Hallo' } });
  });

  it('serves a locale added later only once the entry publishes it, even without values of its own', async () => {
    const frenchLocale = await cma.locale.create(env(), { name: 'French', code: 'fr-FR', fallbackCode: 'en-US', optional: true } as never);
    await expect(localeBased().getEntry('greeting', { locale: 'fr-FR' })).rejects.toMatchObject({ sys: { id: 'NotFound' } });
    // Published entry-level, every locale counts, the new one too.
    expect((await localeBased().getEntry('world', { locale: 'fr-FR' })).fields).toEqual({ title: 'World', slug: 'world' });

    const french = await cma.entry.publish({ ...env(), entryId: 'greeting', locales: ['fr-FR'] }, greeting);
    expect((french.sys as { fieldStatus?: unknown }).fieldStatus).toEqual({
      '*': { 'de-DE': 'draft', 'en-US': 'published', 'fr-FR': 'published' },
    });
    expect((await localeBased().getEntry('greeting', { locale: 'fr-FR' })).fields).toEqual({ title: 'Hello', slug: 'greeting' });

    // Deleting the locale takes it out of the published locales too.
    await cma.locale.delete({ ...env(), localeId: frenchLocale.sys.id });
    const entry = await cma.entry.get({ ...env(), entryId: 'greeting' });
    expect((entry.sys as { fieldStatus?: unknown }).fieldStatus).toEqual({ '*': { 'de-DE': 'draft', 'en-US': 'published' } });
  });
});
