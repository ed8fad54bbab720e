import { createClient } from 'contentful';
import { sql } from 'kysely';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The CDA's full text by tokens is matched, counted and ordered in `published_search`, a narrow copy of the
 * published search columns kept by trigger (migration 0043). These tests change entries, assets and
 * environments every way that copy must follow, and read through the official client each time.
 */
let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
const env = (environmentId = 'master') => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

/** Delivery keys by environment: a copy's key is made once the copy exists. */
const tokens = new Map<string, string>();
const cda = (environment = 'master') =>
  createClient({ space: spaceId, environment, accessToken: tokens.get(environment)!, host: server.host, basePath: '/cdn', insecure: true });

async function deliveryKey(environment: string) {
  const key = await cma.apiKey.create({ spaceId }, { name: environment, environments: [link('Environment', environment)] } as never);
  tokens.set(environment, key.accessToken);
}

async function found(query: Record<string, unknown>, environment = 'master') {
  const page = await cda(environment).getEntries(query);
  return { ids: page.items.map((i) => i.sys.id), total: page.total };
}

async function save(id: string, title: string) {
  const existing = await cma.entry.get({ ...env(), entryId: id }).catch(() => undefined);
  return existing
    ? cma.entry.update({ ...env(), entryId: id }, { ...existing, fields: { title: { 'en-US': title } } })
    : cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'note' }, { fields: { title: { 'en-US': title } } } as never);
}

async function publish(id: string, title: string) {
  return cma.entry.publish({ ...env(), entryId: id }, await save(id, title));
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Full text' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'note' }, {
    name: 'Note',
    displayField: 'title',
    fields: [{ id: 'title', name: 'Title', type: 'Text' }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'note' }, ct);
  await publish('first', 'Alpha bravo');
  await publish('second', 'Alphabet charlie');
  await save('draft', 'Alpha draft');
  await deliveryKey('master');
});
afterAll(async () => server?.close());

describe('CDA full text from published_search', () => {
  it('matches token prefixes among published entries only, with their total and order', async () => {
    expect(await found({ query: 'alph', order: 'sys.id' })).toEqual({ ids: ['first', 'second'], total: 2 });
    expect(await found({ query: 'alpha bra' })).toEqual({ ids: ['first'], total: 1 });
    expect(await found({ query: 'alph', content_type: 'note', order: '-sys.createdAt', limit: 1 })).toEqual({ ids: ['second'], total: 2 });
    expect(await found({ query: 'draft' })).toEqual({ ids: [], total: 0 });
    // The matches come from the copy: without its row, the entry is not found by text (but is otherwise).
    await server.database.db.deleteFrom('published_search').where('space_id', '=', spaceId).where('id', '=', 'second').execute();
    expect(await found({ query: 'alph' })).toEqual({ ids: ['first'], total: 1 });
    expect((await found({ 'sys.id': 'second' })).total).toBe(1);
    // A query the copy cannot answer (a field filter) reads the entries.
    expect(await found({ query: 'alph', content_type: 'note', 'fields.title[exists]': true, order: 'sys.id' })).toEqual({
      ids: ['first', 'second'],
      total: 2,
    });
    await publish('second', 'Alphabet charlie');
    expect((await found({ query: 'alph' })).total).toBe(2);
  });

  it('follows publishes, draft saves, unpublishes and deletes', async () => {
    // A draft save changes nothing the CDA finds; its publish does.
    await save('second', 'Delta echo');
    expect(await found({ query: 'delta' })).toEqual({ ids: [], total: 0 });
    expect((await found({ query: 'alphabet' })).ids).toEqual(['second']);
    await publish('second', 'Delta echo');
    expect(await found({ query: 'delta' })).toEqual({ ids: ['second'], total: 1 });
    expect(await found({ query: 'alphabet' })).toEqual({ ids: [], total: 0 });

    const published = await cma.entry.get({ ...env(), entryId: 'first' });
    const unpublished = await cma.entry.unpublish({ ...env(), entryId: 'first' }, published);
    expect(await found({ query: 'bravo' })).toEqual({ ids: [], total: 0 });
    await cma.entry.publish({ ...env(), entryId: 'first' }, unpublished);
    expect(await found({ query: 'bravo' })).toEqual({ ids: ['first'], total: 1 });

    await publish('third', 'Foxtrot');
    const third = await cma.entry.unpublish({ ...env(), entryId: 'third' }, await cma.entry.get({ ...env(), entryId: 'third' }));
    await cma.entry.delete({ ...env(), entryId: 'third' });
    expect(third.sys.id).toBe('third');
    expect(await found({ query: 'foxtrot' })).toEqual({ ids: [], total: 0 });
  });

  it('finds published assets, and what a copied environment holds', async () => {
    const asset = await cma.asset.createWithId({ ...env(), assetId: 'picture' }, {
      fields: { title: { 'en-US': 'Golf course' } },
    } as never);
    await cma.asset.publish({ ...env(), assetId: 'picture' }, asset);
    expect((await cda().getAssets({ query: 'golf' })).items.map((a) => a.sys.id)).toEqual(['picture']);
    expect((await cda().getAssets({ 'fields.title[match]': 'cour' } as never)).items.map((a) => a.sys.id)).toEqual(['picture']);
    expect((await cda().getAssets({ 'fields.description[match]': 'golf' } as never)).total).toBe(0);

    await cma.environment.createWithId({ spaceId, environmentId: 'copy' }, { name: 'Copy' });
    await waitFor('the copy to be ready', async () => {
      const copy = await cma.environment.get({ spaceId, environmentId: 'copy' });
      return (copy.sys as unknown as { status: { sys: { id: string } } }).status.sys.id === 'ready';
    });
    await deliveryKey('copy');
    expect(await found({ query: 'bravo' }, 'copy')).toEqual({ ids: ['first'], total: 1 });
    expect((await cda('copy').getAssets({ query: 'golf' })).total).toBe(1);
    // The copy's entries are its own: a publish in master leaves it as it was.
    await publish('first', 'Hotel');
    expect(await found({ query: 'bravo' }, 'copy')).toEqual({ ids: ['first'], total: 1 });
    expect(await found({ query: 'bravo' })).toEqual({ ids: [], total: 0 });

    await cma.environment.delete({ spaceId, environmentId: 'copy' });
    const left = await server.database.db
      .selectFrom('published_search')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', 'copy')
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });
});

/**
 * `fields.<id>[match]` by tokens alone is answered by published_search's words qualified by field and
 * locale (migration 0044); phrases still check the values in the entries.
 */
describe('CDA [match] on a field from published_search', () => {
  const card = async (id: string, fields: Record<string, Record<string, string>>) => {
    const existing = await cma.entry.get({ ...env(), entryId: id }).catch(() => undefined);
    const saved = existing
      ? await cma.entry.update({ ...env(), entryId: id }, { ...existing, fields })
      : await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'card' }, { fields } as never);
    return cma.entry.publish({ ...env(), entryId: id }, saved);
  };
  const matched = (query: Record<string, unknown>, environment = 'master') =>
    found({ content_type: 'card', order: 'sys.id', ...query }, environment);

  beforeAll(async () => {
    await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
    const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'card' }, {
      name: 'Card',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'body', name: 'Body', type: 'Text' },
      ],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'card' }, ct);
    await card('c1', { title: { 'en-US': 'Kilo lima', 'de-DE': 'Mike november' }, body: { 'en-US': 'Oscar papa' } });
    await card('c2', { title: { 'en-US': 'Kilogram oscar' }, body: { 'en-US': 'Lima quebec' } });
    await card('c3', { title: { 'en-US': 'Romeo' }, body: { 'en-US': 'Kilo' } });
  });

  it('finds token prefixes in the named field and locale only, every token, with the total', async () => {
    expect(await matched({ 'fields.title[match]': 'kil' })).toEqual({ ids: ['c1', 'c2'], total: 2 });
    expect(await matched({ 'fields.title[match]': 'KILO' })).toEqual({ ids: ['c1', 'c2'], total: 2 });
    expect(await matched({ 'fields.title[match]': 'kilo lim' })).toEqual({ ids: ['c1'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'lima', 'fields.body[match]': 'osc' })).toEqual({ ids: ['c1'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'oscar' })).toEqual({ ids: ['c2'], total: 1 });
    expect(await matched({ 'fields.body[match]': 'kilo' })).toEqual({ ids: ['c3'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'mike' })).toEqual({ ids: [], total: 0 });
    expect(await matched({ 'fields.title[match]': 'mike', locale: 'de-DE' })).toEqual({ ids: ['c1'], total: 1 });
    // The non-localized body is read in the default locale whatever the requested one.
    expect(await matched({ 'fields.body[match]': 'quebec', locale: 'de-DE' })).toEqual({ ids: ['c2'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'kil', order: '-sys.id', limit: 1 })).toEqual({ ids: ['c2'], total: 2 });
    expect(await matched({ 'fields.title[match]': 'kil', query: 'papa' })).toEqual({ ids: ['c1'], total: 1 });
  });

  it('answers from the qualified words; phrases and other filters read the values', async () => {
    // Asked for the first time (the CDA keeps answers until a write): without c2's row, c2 is not found.
    await server.database.db.deleteFrom('published_search').where('space_id', '=', spaceId).where('id', '=', 'c2').execute();
    expect(await matched({ 'fields.title[match]': 'kilo' })).toEqual({ ids: ['c1'], total: 1 });
    expect(await matched({ 'fields.title[match]': '"kilogram oscar"' })).toEqual({ ids: ['c2'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'kil', 'fields.body[exists]': true })).toEqual({ ids: ['c1', 'c2'], total: 2 });
    await card('c2', { title: { 'en-US': 'Kilogram oscar' }, body: { 'en-US': 'Lima quebec' } });
    expect(await matched({ 'fields.title[match]': 'kilo' })).toEqual({ ids: ['c1', 'c2'], total: 2 });
  });

  it('follows republished values, a renamed field and a copied environment', async () => {
    await card('c3', { title: { 'en-US': 'Sierra' }, body: { 'en-US': 'Romeo' } });
    expect(await matched({ 'fields.title[match]': 'romeo' })).toEqual({ ids: [], total: 0 });
    expect(await matched({ 'fields.body[match]': 'romeo' })).toEqual({ ids: ['c3'], total: 1 });

    // A field id changed by the content type (`newId`) moves published values without a publish.
    const ct = await cma.contentType.get({ ...env(), contentTypeId: 'card' });
    const renamed = await cma.contentType.update({ ...env(), contentTypeId: 'card' }, {
      ...ct,
      fields: ct.fields.map((f) => (f.id === 'body' ? { ...f, newId: 'text' } : f)),
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'card' }, renamed);
    await waitFor('the renamed field to be searchable', async () => (await matched({ 'fields.text[match]': 'romeo' })).total === 1);
    expect(await matched({ 'fields.text[match]': 'lima' })).toEqual({ ids: ['c2'], total: 1 });

    // The copy takes the source's qualified words rather than building them again: a marked source row shows it.
    await server.database.db
      .updateTable('published_search')
      .set({ published_field_vector: sql`array_to_tsvector(array['title:en-US:marked'])` } as never)
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', 'master')
      .where('id', '=', 'c1')
      .execute();
    await cma.environment.createWithId({ spaceId, environmentId: 'cards' }, { name: 'Cards' });
    await waitFor('the copy to be ready', async () => {
      const copy = await cma.environment.get({ spaceId, environmentId: 'cards' });
      return (copy.sys as unknown as { status: { sys: { id: string } } }).status.sys.id === 'ready';
    });
    await deliveryKey('cards');
    expect(await matched({ 'fields.title[match]': 'kil' }, 'cards')).toEqual({ ids: ['c2'], total: 1 });
    expect(await matched({ 'fields.title[match]': 'marked' }, 'cards')).toEqual({ ids: ['c1'], total: 1 });
    const copied = await server.database.db
      .selectFrom('published_search')
      .select(['id', sql<string>`published_field_vector::text`.as('words')])
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', 'cards')
      .where('id', '=', 'c3')
      .executeTakeFirstOrThrow();
    expect(copied.words).toBe("'text:en-US:romeo' 'title:en-US:sierra'");
  });
});
