import { createClient } from 'contentful';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Caches kept between requests are cleared by the write path itself, not by the HTTP request that made a
 * write: a change made by a service call (as the CLI and background environment copies make them) shows
 * at once on the delivery API, even with caches that would otherwise keep answers for ten minutes.
 */

const TEN_MINUTES = String(10 * 60 * 1000);
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

let server: TestServer;
let spaceId: string;
let cda: ReturnType<typeof createClient>;
let actor: Actor;

beforeAll(async () => {
  server = await startTestServer({ DELIVERY_CACHE_TTL_MS: TEN_MINUTES, ACCESS_CACHE_TTL_MS: TEN_MINUTES });
  const cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Notices' })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const ct = await cma.contentType.createWithId({ ...env, contentTypeId: 'page' }, {
    name: 'Page',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await cma.contentType.publish({ ...env, contentTypeId: 'page' }, ct);
  const first = await cma.entry.createWithId(
    { ...env, entryId: 'first', contentTypeId: 'page' },
    { fields: { title: { 'en-US': 'First' } } },
  );
  await cma.entry.publish({ ...env, entryId: 'first' }, first);
  const key = await cma.apiKey.create({ spaceId }, { name: 'Site', environments: [link('Environment', 'master')] } as never);
  cda = createClient({
    space: spaceId,
    accessToken: key.accessToken,
    host: server.host,
    basePath: '/cdn',
    insecure: true,
    retryOnError: false,
  });
  actor = { userId: server.adminUserId, tokenId: 'test', scopes: new Set(['content_management_manage', 'content_management_read']) };
});
afterAll(async () => {
  await server?.close();
});

describe('write notices', () => {
  it('an entry published by a service call is delivered at once', async () => {
    expect((await cda.getEntries({ order: ['sys.id'] })).items.map((e) => e.sys.id)).toEqual(['first']);
    const scope = await server.services.environmentScopes.resolve(actor, spaceId);
    await server.services.entries.create(actor, scope, 'second', 'page', { fields: { title: { 'en-US': 'Second' } } });
    await server.services.entries.publish(actor, scope, 'second', 1);
    expect((await cda.getEntries({ order: ['sys.id'] })).items.map((e) => e.sys.id)).toEqual(['first', 'second']);
  });

  it('a locale created by a service call can be asked for at once', async () => {
    await expect(cda.getEntries({ locale: 'de-DE' })).rejects.toThrow(/Unknown locale: de-DE/);
    const scope = await server.services.environmentScopes.resolve(actor, spaceId);
    await server.services.locales.create(actor, scope, { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
    const german = await cda.getEntries({ locale: 'de-DE', order: ['sys.id'] });
    expect(german.items.map((e) => [e.sys.id, e.sys.locale, e.fields.title])).toEqual([
      ['first', 'de-DE', 'First'],
      ['second', 'de-DE', 'Second'],
    ]);
  });
});
