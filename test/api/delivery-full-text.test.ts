import { createClient } from 'contentful';
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
