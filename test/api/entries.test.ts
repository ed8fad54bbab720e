import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });

async function activeContentType(contentTypeId: string, body: Record<string, unknown>) {
  const ct = await client.contentType.createWithId({ ...env(), contentTypeId }, body as never);
  return client.contentType.publish({ ...env(), contentTypeId }, ct);
}

const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Entries' })).sys.id;
  await activeContentType('blog-post', {
    name: 'Blog Post',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', required: true, validations: [{ size: { max: 30 } }] },
      { id: 'body', name: 'Body', type: 'Text' },
      { id: 'slug', name: 'Slug', type: 'Symbol', validations: [{ unique: true }, { regexp: { pattern: '^[a-z0-9-]+$' } }] },
      { id: 'rating', name: 'Rating', type: 'Integer', validations: [{ range: { min: 1, max: 5 } }] },
      { id: 'category', name: 'Category', type: 'Symbol', validations: [{ in: ['news', 'tech'] }] },
      { id: 'date', name: 'Date', type: 'Date', validations: [{ dateRange: { min: '2000-01-01', max: '2100-01-01' } }] },
      { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['person'] }] },
      { id: 'related', name: 'Related', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
      {
        id: 'rich',
        name: 'Rich',
        type: 'RichText',
        validations: [{ enabledMarks: ['bold'] }, { enabledNodeTypes: ['embedded-entry-block'] }],
      },
      { id: 'place', name: 'Place', type: 'Location' },
      { id: 'status', name: 'Status', type: 'Symbol', defaultValue: { 'en-US': 'draft' } },
    ],
  });
  await activeContentType('person', { name: 'Person', displayField: 'name', fields: [{ id: 'name', name: 'Name', type: 'Symbol' }] });
});
afterAll(async () => {
  await server?.close();
});

describe('entry life cycle (seed 001)', () => {
  it('creates, updates, publishes, unpublishes, archives, unarchives and deletes with Contentful sys values', async () => {
    const params = { ...env(), entryId: 'hello-world' };
    const created = await client.entry.createWithId(
      { ...params, contentTypeId: 'blog-post' },
      { fields: { title: { 'en-US': 'Hello, World!' }, body: { 'en-US': 'Bacon is healthy!' } } },
    );
    expect(created.sys).toMatchObject({ id: 'hello-world', type: 'Entry', version: 1, publishedCounter: 0 });
    expect(created.sys.contentType.sys.id).toBe('blog-post');
    expect(created.sys.space.sys.id).toBe(spaceId);
    expect(created.sys.environment.sys.id).toBe('master');
    expect(created.fields).toEqual({
      title: { 'en-US': 'Hello, World!' },
      body: { 'en-US': 'Bacon is healthy!' },
      status: { 'en-US': 'draft' },
    });
    expect(created.metadata).toEqual({ tags: [], concepts: [] });

    const updated = await client.entry.update(params, {
      ...created,
      fields: { ...created.fields, title: { 'en-US': 'Crispy bacon news' } },
    });
    expect(updated.sys.version).toBe(2);

    const published = await client.entry.publish(params, updated);
    expect(published.sys).toMatchObject({ version: 3, publishedVersion: 2, publishedCounter: 1 });
    expect(published.sys.firstPublishedAt).toBe(published.sys.publishedAt);
    expect((await client.entry.getPublished({ ...env(), query: {} })).items.map((e) => e.sys.id)).toEqual(['hello-world']);

    await expectSdkError(client.entry.archive(params), 400, 'BadRequest');
    await expectSdkError(client.entry.delete(params), 400, 'BadRequest');

    const unpublished = await client.entry.unpublish(params);
    expect(unpublished.sys.version).toBe(4);
    expect(unpublished.sys.publishedVersion).toBeUndefined();
    expect(unpublished.sys.firstPublishedAt).toBe(published.sys.firstPublishedAt);
    expect(unpublished.sys.publishedCounter).toBe(1);
    expect((await client.entry.getPublished({ ...env(), query: {} })).items).toEqual([]);
    await expectSdkError(client.entry.unpublish(params), 400, 'BadRequest');

    const archived = await client.entry.archive(params);
    expect(archived.sys).toMatchObject({ version: 5, archivedVersion: 4 });
    expect(archived.sys.archivedBy?.sys.id).toBe(server.adminUserId);
    await expectSdkError(client.entry.update(params, { ...archived, fields: {} }), 400, 'BadRequest');
    await expectSdkError(client.entry.publish(params, archived), 400, 'BadRequest');
    await expectSdkError(client.entry.archive(params), 400, 'BadRequest');

    const unarchived = await client.entry.unarchive(params);
    expect(unarchived.sys.archivedVersion).toBeUndefined();
    expect(unarchived.sys.version).toBe(6);
    await expectSdkError(client.entry.unarchive(params), 400, 'BadRequest');

    await client.entry.delete(params);
    await expectSdkError(client.entry.get(params), 404, 'NotFound');
  });

  it('a content type with entries can be neither deactivated nor deleted', async () => {
    await client.entry.create({ ...env(), contentTypeId: 'person' }, { fields: { name: { 'en-US': 'Keeper' } } });
    await expectSdkError(client.contentType.unpublish({ ...env(), contentTypeId: 'person' }), 400, 'BadRequest');
    await expectSdkError(client.contentType.delete({ ...env(), contentTypeId: 'person' }), 400, 'BadRequest');
    expect((await client.contentType.get({ ...env(), contentTypeId: 'person' })).sys.publishedVersion).toBeDefined();
  });

  it('POST creates with a generated id and needs an active content type', async () => {
    const entry = await client.entry.create({ ...env(), contentTypeId: 'person' }, { fields: { name: { 'en-US': 'Ada' } } });
    expect(entry.sys.id).toMatch(/^[0-9A-Za-z]{22}$/);
    await expectSdkError(client.entry.create({ ...env(), contentTypeId: 'nope' }, { fields: {} }), 422, 'ValidationFailed');
    const missingHeader = await server.request('POST', `/spaces/${spaceId}/entries`, { body: { fields: {} } });
    expect(missingHeader.status).toBe(400);
  });

  it('refuses unknown fields, unknown locales and wrong value types on save, and writes nothing', async () => {
    await expectSdkError(
      client.entry.create({ ...env(), contentTypeId: 'person' }, { fields: { nickname: { 'en-US': 'x' } } }),
      422,
      'UnknownField',
    );
    const locale = await expectSdkError(
      client.entry.create({ ...env(), contentTypeId: 'person' }, { fields: { name: { 'xx-XX': 'x' } } }),
      422,
      'ValidationFailed',
    );
    expect((locale.details.errors as { path: string[] }[])[0].path).toEqual(['fields', 'name', 'xx-XX']);
    const type = await expectSdkError(
      client.entry.create({ ...env(), contentTypeId: 'blog-post' }, { fields: { rating: { 'en-US': 'five' } } }),
      422,
      'ValidationFailed',
    );
    expect(type.details.errors).toEqual([expect.objectContaining({ name: 'type', path: ['fields', 'rating', 'en-US'] })]);
    const before = await client.entry.getMany({ ...env(), query: { content_type: 'person' } });
    expect(before.items.every((e) => !('nickname' in e.fields))).toBe(true);
  });

  it('refuses U+0000, which PostgreSQL cannot store, in ids, query parameters and values, and writes nothing', async () => {
    const entry = await client.entry.createWithId(
      { ...env(), entryId: 'nul-free', contentTypeId: 'person' },
      { fields: { name: { 'en-US': 'clean' } } },
    );
    await expectSdkError(
      client.entry.update({ ...env(), entryId: 'nul-free' }, { ...entry, fields: { name: { 'en-US': 'a\u0000b' } } }),
      400,
      'BadRequest',
    );
    expect((await client.entry.get({ ...env(), entryId: 'nul-free' })).sys.version).toBe(entry.sys.version);
    await expectSdkError(client.entry.get({ ...env(), entryId: 'a\u0000b' }), 400, 'BadRequest');
    await expectSdkError(
      client.entry.getMany({ ...env(), query: { content_type: 'person', 'fields.name': 'a\u0000b' } }),
      400,
      'BadRequest',
    );
  });

  it('a stale version loses; concurrent updates with the same version: exactly one wins', async () => {
    const params = { ...env(), entryId: 'race' };
    const entry = await client.entry.createWithId({ ...params, contentTypeId: 'person' }, { fields: { name: { 'en-US': 'v1' } } });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => client.entry.update(params, { ...entry, fields: { name: { 'en-US': `writer ${i}` } } })),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason.name).toBe('VersionMismatch');
    const final = await client.entry.get(params);
    expect(final.sys.version).toBe(2);
    await expectSdkError(client.entry.update(params, { ...entry, fields: {} }), 409, 'VersionMismatch');
    await expectSdkError(client.entry.publish(params, entry), 409, 'VersionMismatch');

    const publishes = await Promise.allSettled(Array.from({ length: 5 }, () => client.entry.publish(params, final)));
    expect(publishes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const published = await client.entry.get(params);
    expect(published.sys).toMatchObject({ version: 3, publishedVersion: 2, publishedCounter: 1 });
    // Only the winning writes left their records: one save, one publish, one snapshot.
    const events = await server.database.db
      .selectFrom('events')
      .select(['action', 'payload'])
      .where('entity_id', '=', 'race')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['create', 'save', 'publish']);
    expect(events[1].payload).toEqual(JSON.parse(JSON.stringify(final)));
    expect((events[2].payload as { sys: { version: number } }).sys.version).toBe(3);
    const snapshots = await server.database.db.selectFrom('snapshots').select('snapshot').where('entity_id', '=', 'race').execute();
    expect(snapshots.map((s) => (s.snapshot as { fields: unknown }).fields)).toEqual([final.fields]);
  });
});

describe('validation on publish', () => {
  async function publishErrors(fields: Record<string, unknown>) {
    const entry = await client.entry.create({ ...env(), contentTypeId: 'blog-post' }, { fields: fields as never });
    const error = await expectSdkError(client.entry.publish({ ...env(), entryId: entry.sys.id }, entry), 422, 'ValidationFailed');
    const stored = await client.entry.get({ ...env(), entryId: entry.sys.id });
    expect(stored.sys.publishedVersion).toBeUndefined();
    return error.details.errors as { name: string; path: (string | number)[] }[];
  }

  const cases: [string, Record<string, unknown>, string, (string | number)[]][] = [
    ['required', { body: { 'en-US': 'no title' } }, 'required', ['fields', 'title', 'en-US']],
    ['size', { title: { 'en-US': 'x'.repeat(31) } }, 'size', ['fields', 'title', 'en-US']],
    ['regexp', { title: { 'en-US': 't' }, slug: { 'en-US': 'Not A Slug' } }, 'regexp', ['fields', 'slug', 'en-US']],
    ['range', { title: { 'en-US': 't' }, rating: { 'en-US': 9 } }, 'range', ['fields', 'rating', 'en-US']],
    ['in', { title: { 'en-US': 't' }, category: { 'en-US': 'sports' } }, 'in', ['fields', 'category', 'en-US']],
    ['dateRange', { title: { 'en-US': 't' }, date: { 'en-US': '1990-05-01' } }, 'dateRange', ['fields', 'date', 'en-US']],
    [
      'notResolvable beside another failure',
      { title: { 'en-US': 'x'.repeat(31) }, related: { 'en-US': [link('Entry', 'does-not-exist')] } },
      'notResolvable',
      ['fields', 'related', 'en-US', 0],
    ],
    [
      'enabledMarks',
      {
        title: { 'en-US': 't' },
        rich: {
          'en-US': {
            nodeType: 'document',
            data: {},
            content: [
              { nodeType: 'paragraph', data: {}, content: [{ nodeType: 'text', value: 'x', marks: [{ type: 'italic' }], data: {} }] },
            ],
          },
        },
      },
      'enabledMarks',
      ['fields', 'rich', 'en-US', 'content', 0, 'content', 0],
    ],
  ];
  for (const [label, fields, name, path] of cases) {
    it(`fails on ${label} with the path`, async () => {
      const errors = await publishErrors(fields);
      expect(errors).toContainEqual(expect.objectContaining({ name, path }));
    });
  }

  it('checks linkContentType, and publishes links to draft targets', async () => {
    const company = await client.entry.create({ ...env(), contentTypeId: 'blog-post' }, { fields: { title: { 'en-US': 'not a person' } } });
    await client.entry.publish({ ...env(), entryId: company.sys.id }, company);
    const errors = await publishErrors({ title: { 'en-US': 't' }, author: { 'en-US': link('Entry', company.sys.id) } });
    expect(errors).toContainEqual(expect.objectContaining({ name: 'linkContentType', path: ['fields', 'author', 'en-US'] }));
    const draftPerson = await client.entry.create({ ...env(), contentTypeId: 'person' }, { fields: { name: { 'en-US': 'draft' } } });
    const linking = await client.entry.create(
      { ...env(), contentTypeId: 'blog-post' },
      { fields: { title: { 'en-US': 't' }, author: { 'en-US': link('Entry', draftPerson.sys.id) } } },
    );
    expect((await client.entry.publish({ ...env(), entryId: linking.sys.id }, linking)).sys.publishedVersion).toBe(linking.sys.version);
  });

  it('checks unique against other published entries', async () => {
    const first = await client.entry.create(
      { ...env(), contentTypeId: 'blog-post' },
      { fields: { title: { 'en-US': 'one' }, slug: { 'en-US': 'same-slug' } } },
    );
    await client.entry.publish({ ...env(), entryId: first.sys.id }, first);
    const errors = await publishErrors({ title: { 'en-US': 'two' }, slug: { 'en-US': 'same-slug' } });
    expect(errors).toContainEqual(
      expect.objectContaining({ name: 'unique', path: ['fields', 'slug', 'en-US'], conflicting: [link('Entry', first.sys.id)] }),
    );
  });
});

describe('snapshots and references', () => {
  it('keeps a snapshot per publish', async () => {
    const params = { ...env(), entryId: 'snap' };
    const entry = await client.entry.createWithId({ ...params, contentTypeId: 'person' }, { fields: { name: { 'en-US': 'first' } } });
    const p1 = await client.entry.publish(params, entry);
    const changed = await client.entry.update(params, { ...p1, fields: { name: { 'en-US': 'second' } } });
    await client.entry.publish(params, changed);
    const snapshots = await client.snapshot.getManyForEntry(params);
    expect(snapshots.items.map((s) => (s.snapshot.fields as { name: Record<string, string> }).name['en-US'])).toEqual(['second', 'first']);
    expect(snapshots.items[0].sys).toMatchObject({ type: 'Snapshot', snapshotType: 'publish', snapshotEntityType: 'Entry' });
    const one = await client.snapshot.getForEntry({ ...params, snapshotId: snapshots.items[1].sys.id });
    expect((one.snapshot.fields as { name: Record<string, string> }).name['en-US']).toBe('first');
  });

  it('returns references to the requested depth', async () => {
    const mk = (id: string, related: string[]) =>
      client.entry.createWithId(
        { ...env(), entryId: id, contentTypeId: 'blog-post' },
        { fields: { title: { 'en-US': id }, related: { 'en-US': related.map((r) => link('Entry', r)) } } as never },
      );
    await mk('level3', []);
    await mk('level2', ['level3']);
    await mk('level1', ['level2']);
    await mk('root', ['level1', 'root']);
    const depth2 = await client.entry.references({ ...env(), entryId: 'root', include: 2 });
    expect(depth2.items.map((e) => e.sys.id)).toEqual(['root']);
    expect(depth2.includes!.Entry!.map((e) => e.sys.id).sort()).toEqual(['level1', 'level2']);
    const depth1 = await client.entry.references({ ...env(), entryId: 'root', include: 1 });
    expect(depth1.includes!.Entry!.map((e) => e.sys.id)).toEqual(['level1']);
  });
});

describe('events', () => {
  it('records one event per change in the change log', async () => {
    const params = { ...env(), entryId: 'evented' };
    const entry = await client.entry.createWithId({ ...params, contentTypeId: 'person' }, { fields: { name: { 'en-US': 'e' } } });
    const published = await client.entry.publish(params, entry);
    await client.entry.unpublish(params);
    await client.entry.delete(params);
    const events = await server.database.db
      .selectFrom('events')
      .select(['topic', 'payload'])
      .where('entity_id', '=', 'evented')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.topic)).toEqual([
      'ContentManagement.Entry.create',
      'ContentManagement.Entry.publish',
      'ContentManagement.Entry.unpublish',
      'ContentManagement.Entry.delete',
    ]);
    expect((events[1].payload as { sys: { publishedVersion: number } }).sys.publishedVersion).toBe(published.sys.publishedVersion);
    expect((events[3].payload as { sys: { type: string } }).sys.type).toBe('DeletedEntry');
  });
});
