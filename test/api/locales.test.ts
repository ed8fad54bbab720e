import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Locales' })).sys.id;
});
afterAll(async () => {
  await server?.close();
});

async function codes() {
  return (await client.locale.getMany({ ...env(), query: {} })).items.map((l) => `${l.code}>${l.fallbackCode ?? ''}`);
}

describe('locales', () => {
  it('creates, reads, updates with a version and deletes', async () => {
    const list = await client.locale.getMany({ ...env(), query: {} });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      code: 'en-US',
      default: true,
      fallbackCode: null,
      contentDeliveryApi: true,
      contentManagementApi: true,
      optional: false,
    });
    const de = await client.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
    expect(de).toMatchObject({ name: 'German', code: 'de-DE', fallbackCode: 'en-US', default: false, optional: true });
    expect(de.sys).toMatchObject({ type: 'Locale', version: 1 });
    const fetched = await client.locale.get({ ...env(), localeId: de.sys.id });
    const renamed = await client.locale.update({ ...env(), localeId: de.sys.id }, { ...fetched, name: 'Deutsch' });
    expect(renamed).toMatchObject({ name: 'Deutsch', code: 'de-DE' });
    expect(renamed.sys.version).toBe(2);
    await expectSdkError(client.locale.update({ ...env(), localeId: de.sys.id }, { ...fetched, name: 'stale' }), 409, 'VersionMismatch');
    await client.locale.delete({ ...env(), localeId: de.sys.id });
    expect(await codes()).toEqual(['en-US>']);
  });

  it('refuses every rule violation with a 4xx and changes nothing', async () => {
    const fr = await client.locale.create(env(), { name: 'French', code: 'fr-FR', fallbackCode: 'en-US' } as never);
    const ch = await client.locale.create(env(), { name: 'Swiss French', code: 'fr-CH', fallbackCode: 'fr-FR' } as never);
    const before = await codes();
    const [enUS] = (await client.locale.getMany({ ...env(), query: {} })).items;

    await expectSdkError(client.locale.create(env(), { name: 'Dup', code: 'fr-FR' } as never), 422, 'ValidationFailed');
    await expectSdkError(
      client.locale.create(env(), { name: 'Second default', code: 'it-IT', default: true } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(
      client.locale.create(env(), { name: 'Missing fallback', code: 'es-ES', fallbackCode: 'pt-PT' } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(client.locale.create(env(), { name: 'Bad code', code: 'not a code' } as never), 422, 'ValidationFailed');
    const frNow = await client.locale.get({ ...env(), localeId: fr.sys.id });
    // fr-FR -> fr-CH -> fr-FR would be a cycle.
    await expectSdkError(
      client.locale.update({ ...env(), localeId: fr.sys.id }, { ...frNow, fallbackCode: 'fr-CH' }),
      422,
      'ValidationFailed',
    );
    await expectSdkError(
      client.locale.update({ ...env(), localeId: fr.sys.id }, { ...frNow, fallbackCode: 'fr-FR' }),
      422,
      'ValidationFailed',
    );
    // A locale others fall back to keeps its code and stays.
    await expectSdkError(client.locale.update({ ...env(), localeId: fr.sys.id }, { ...frNow, code: 'fr-BE' }), 422, 'ValidationFailed');
    await expectSdkError(client.locale.delete({ ...env(), localeId: fr.sys.id }), 400, 'BadRequest');
    // The default locale is permanent.
    await expectSdkError(client.locale.delete({ ...env(), localeId: enUS.sys.id }), 400, 'BadRequest');
    const raw = await server.request('PUT', `/spaces/${spaceId}/locales/${enUS.sys.id}`, {
      body: { name: enUS.name, code: 'en-US', default: false },
      headers: { 'x-contentful-version': String(enUS.sys.version) },
    });
    expect(raw.status).toBe(422);
    expect(await codes()).toEqual(before);

    await client.locale.delete({ ...env(), localeId: ch.sys.id });
    await client.locale.delete({ ...env(), localeId: fr.sys.id });
  });

  it('deleting a locale deletes its values from entries and assets, drafts and published copies', async () => {
    const de = await client.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
    const ct = await client.contentType.createWithId({ ...env(), contentTypeId: 'doc' }, {
      name: 'Doc',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'body', name: 'Body', type: 'Text', localized: true },
      ],
    } as never);
    await client.contentType.publish({ ...env(), contentTypeId: 'doc' }, ct);
    const entry = await client.entry.createWithId(
      { ...env(), entryId: 'doc1', contentTypeId: 'doc' },
      { fields: { title: { 'en-US': 'Hi', 'de-DE': 'Hallo' }, body: { 'de-DE': 'Nur Deutsch' } } },
    );
    await client.entry.publish({ ...env(), entryId: 'doc1' }, entry);
    const asset = await client.asset.create(env(), { fields: { title: { 'en-US': 'Pic', 'de-DE': 'Bild' } } } as never);

    await client.locale.delete({ ...env(), localeId: de.sys.id });
    const after = await client.entry.get({ ...env(), entryId: 'doc1' });
    expect(after.fields).toEqual({ title: { 'en-US': 'Hi' } });
    const published = await client.entry.getPublished({ ...env(), query: {} });
    expect(published.items.find((e) => e.sys.id === 'doc1')?.fields).toEqual({ title: { 'en-US': 'Hi' } });
    expect((await client.asset.get({ ...env(), assetId: asset.sys.id })).fields).toEqual({ title: { 'en-US': 'Pic' } });
  });
});
