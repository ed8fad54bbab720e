import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const tag = (id: string) => ({ sys: { type: 'Link', linkType: 'Tag', id } });

async function contentType(id: string, fields: Record<string, unknown>[]) {
  const ct = await client.contentType.createWithId({ ...env(), contentTypeId: id }, { name: id, displayField: 'name', fields } as never);
  await client.contentType.publish({ ...env(), contentTypeId: id }, ct);
}

async function entry(
  contentTypeId: string,
  entryId: string,
  fields: Record<string, unknown>,
  options: { publish?: boolean; tags?: string[] } = {},
) {
  const localized = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { 'en-US': v }]));
  const created = await client.entry.createWithId({ ...env(), entryId, contentTypeId }, {
    fields: localized,
    metadata: { tags: (options.tags ?? []).map(tag) },
  } as never);
  if (options.publish !== false) await client.entry.publish({ ...env(), entryId }, created);
}

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Search' })).sys.id;
  await client.locale.create(env(), { name: 'Klingon', code: 'tlh', fallbackCode: 'en-US', optional: true } as never);
  for (const id of ['featured', 'internet'])
    await client.tag.createWithId({ ...env(), tagId: id }, { name: id, sys: { visibility: 'public' } } as never);
  await contentType('cat', [
    { id: 'name', name: 'Name', type: 'Symbol', localized: true },
    { id: 'likes', name: 'Likes', type: 'Array', items: { type: 'Symbol' } },
    { id: 'color', name: 'Color', type: 'Symbol' },
    { id: 'lives', name: 'Lives', type: 'Integer' },
    { id: 'weight', name: 'Weight', type: 'Number' },
    { id: 'birthday', name: 'Birthday', type: 'Date' },
    { id: 'indoor', name: 'Indoor', type: 'Boolean' },
    { id: 'bestFriend', name: 'Best Friend', type: 'Link', linkType: 'Entry' },
    { id: 'friends', name: 'Friends', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
    { id: 'home', name: 'Home', type: 'Location' },
    { id: 'description', name: 'Description', type: 'Text' },
  ]);
  await contentType('dog', [
    { id: 'name', name: 'Name', type: 'Symbol' },
    { id: 'description', name: 'Description', type: 'Text' },
    { id: 'owner', name: 'Owner', type: 'Link', linkType: 'Entry' },
  ]);
  await contentType('note', [
    { id: 'name', name: 'Name', type: 'Symbol' },
    { id: 'body', name: 'Body', type: 'Text' },
    { id: 'extra', name: 'Extra', type: 'Text' },
    { id: 'rich', name: 'Rich', type: 'RichText' },
  ]);
  await entry('dog', 'jake', { name: 'Jake', description: "Bacon pancakes, makin' bacon pancakes!" });
  await entry(
    'cat',
    'happycat',
    {
      name: 'Happy Cat',
      likes: ['cheezburger'],
      color: 'gray',
      lives: 1,
      weight: 4.5,
      birthday: '2003-10-28T23:00:00Z',
      indoor: true,
      home: { lat: 52.52, lon: 13.405 },
    },
    { tags: ['featured'] },
  );
  await entry(
    'cat',
    'nyancat',
    {
      name: 'Nyan Cat',
      likes: ['rainbows', 'fish'],
      color: 'rainbow',
      lives: 1337,
      weight: 2.25,
      birthday: '2011-04-04T22:00:00Z',
      indoor: false,
      bestFriend: link('Entry', 'happycat'),
      friends: [link('Entry', 'happycat'), link('Entry', 'jake')],
      home: { lat: 37.77, lon: -122.42 },
    },
    { tags: ['featured', 'internet'] },
  );
  await entry('cat', 'garfield', {
    name: 'Garfield',
    likes: ['lasagna'],
    color: 'orange',
    lives: 9,
    weight: 11,
    birthday: '1978-06-19T00:00:00Z',
    indoor: true,
    bestFriend: link('Entry', 'jake'),
    description: 'Hates mondays',
    home: { lat: 40.41, lon: -86.87 },
  });
  await entry('dog', 'odie', { name: 'Odie', owner: link('Entry', 'garfield') });
  const notes: [string, string, string?][] = [
    ['n1', 'my cat is blue'],
    ['n2', 'my cat is red'],
    ['n3', 'there is a catastrophic blueberries accident in my town'],
    ['n4', 'there is a caterpillar in my house'],
    ['n5', 'this is a picture of a caterpillar and myself wearing a bluejacket'],
    ['n6', 'my cat is <b>blue</b>'],
    ['n7', 'my cat is <b class="blue">great</b>'],
    ['n8', 'my house was blue', 'there is a cat'],
    ['n9', 'blue is the color of my cat'],
    ['n10', 'my caterpillar is blue'],
  ];
  for (const [id, body, extra] of notes) await entry('note', id, { name: id, body, ...(extra ? { extra } : {}) });
  await entry('note', 'rich1', {
    name: 'rich1',
    rich: {
      nodeType: 'document',
      data: {},
      content: [{ nodeType: 'paragraph', data: {}, content: [{ nodeType: 'text', value: 'Deeply nested words', marks: [], data: {} }] }],
    },
  });
  await entry('cat', 'draftcat', { name: 'Draft Cat', color: 'gray', lives: 3 }, { publish: false });
});
afterAll(async () => {
  await server?.close();
});

async function ids(query: Record<string, unknown>, api: 'entries' | 'public' = 'entries') {
  const result = api === 'entries' ? await client.entry.getMany({ ...env(), query }) : await client.entry.getPublished({ ...env(), query });
  return result.items.map((e) => e.sys.id);
}
const sorted = async (query: Record<string, unknown>) => (await ids(query)).sort();

describe('filters (table driven)', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['content_type', { content_type: 'dog' }, ['jake', 'odie']],
    ['sys.id', { 'sys.id': 'nyancat' }, ['nyancat']],
    ['sys.id[ne]', { content_type: 'cat', 'sys.id[ne]': 'nyancat' }, ['draftcat', 'garfield', 'happycat']],
    ['sys.id[in]', { 'sys.id[in]': 'jake,garfield,nope' }, ['garfield', 'jake']],
    ['sys.id[nin]', { content_type: 'dog', 'sys.id[nin]': 'jake' }, ['odie']],
    ['sys.version[in] (integers)', { content_type: 'cat', 'sys.version[in]': '1,7' }, ['draftcat']],
    ['sys.version[nin]', { content_type: 'cat', 'sys.version[nin]': '1' }, ['garfield', 'happycat', 'nyancat']],
    ['a year alone as a date', { content_type: 'dog', 'sys.createdAt[gte]': '2000', 'sys.createdAt[lt]': '3000' }, ['jake', 'odie']],
    [
      'sys.publishedAt[nin] keeps the unpublished',
      { content_type: 'cat', 'sys.publishedAt[nin]': '2000-01-01T00:00:00Z,2001-01-01' },
      ['draftcat', 'garfield', 'happycat', 'nyancat'],
    ],
    ['sys.contentType.sys.id', { 'sys.contentType.sys.id': 'dog' }, ['jake', 'odie']],
    ['sys.publishedAt[exists]=false', { 'sys.publishedAt[exists]': 'false' }, ['draftcat']],
    ['sys.version[gte]', { content_type: 'cat', 'sys.version[gte]': '2' }, ['garfield', 'happycat', 'nyancat']],
    ['equality on a Symbol', { content_type: 'cat', 'fields.color': 'gray' }, ['draftcat', 'happycat']],
    ['equality on an Array matches any item', { content_type: 'cat', 'fields.likes': 'fish' }, ['nyancat']],
    [
      '[ne] on an Array excludes any matching item',
      { content_type: 'cat', 'fields.likes[ne]': 'lasagna' },
      ['draftcat', 'happycat', 'nyancat'],
    ],
    ['[in]', { content_type: 'cat', 'fields.color[in]': 'orange,rainbow' }, ['garfield', 'nyancat']],
    ['[in] on an Array', { content_type: 'cat', 'fields.likes[in]': 'lasagna,cheezburger' }, ['garfield', 'happycat']],
    [
      '[nin] (seed 001: neither rainbows nor lasagna)',
      { content_type: 'cat', 'fields.color[nin]': 'orange,rainbow' },
      ['draftcat', 'happycat'],
    ],
    [
      '[nin] on an Array: none of the items listed',
      { content_type: 'cat', 'fields.likes[nin]': 'rainbows,lasagna' },
      ['draftcat', 'happycat'],
    ],
    ['[all] on an Array', { content_type: 'cat', 'fields.likes[all]': 'rainbows,fish' }, ['nyancat']],
    ['[all] not all present', { content_type: 'cat', 'fields.likes[all]': 'rainbows,lasagna' }, []],
    ['[exists]=true', { content_type: 'cat', 'fields.bestFriend[exists]': 'true' }, ['garfield', 'nyancat']],
    ['[exists]=false', { content_type: 'cat', 'fields.bestFriend[exists]': 'false' }, ['draftcat', 'happycat']],
    ['Integer [lte] (seed 001: 3 or less lives)', { content_type: 'cat', 'fields.lives[lte]': '3' }, ['draftcat', 'happycat']],
    ['Integer [gt]', { content_type: 'cat', 'fields.lives[gt]': '9' }, ['nyancat']],
    ['Integer [lt]', { content_type: 'cat', 'fields.lives[lt]': '9' }, ['draftcat', 'happycat']],
    ['Integer [gte]', { content_type: 'cat', 'fields.lives[gte]': '9' }, ['garfield', 'nyancat']],
    ['Number equality', { content_type: 'cat', 'fields.weight': '2.25' }, ['nyancat']],
    [
      'Date range',
      { content_type: 'cat', 'fields.birthday[gte]': '2000-01-01', 'fields.birthday[lt]': '2010-01-01T00:00:00Z' },
      ['happycat'],
    ],
    ['Boolean', { content_type: 'cat', 'fields.indoor': 'false' }, ['nyancat']],
    ['Link by sys.id', { content_type: 'cat', 'fields.bestFriend.sys.id': 'jake' }, ['garfield']],
    ['Array of links by sys.id', { content_type: 'cat', 'fields.friends.sys.id': 'jake' }, ['nyancat']],
    ['locale-qualified field (CMA)', { content_type: 'cat', 'fields.name.en-US': 'Garfield' }, ['garfield']],
    ['[match] on one field', { content_type: 'dog', 'fields.description[match]': 'pan' }, ['jake']],
    ['[match] only in the named field', { content_type: 'cat', 'fields.description[match]': 'garfield' }, []],
    ['[match] a phrase in the field', { content_type: 'dog', 'fields.description[match]': '"bacon pancakes"' }, ['jake']],
    ['[match] a phrase whose words are in two fields', { content_type: 'cat', 'fields.description[match]': '"garfield hates"' }, []],
    ['[match] on an Array of Symbols', { content_type: 'cat', 'fields.likes[match]': 'lasa' }, ['garfield']],
    ['[within] rectangle', { content_type: 'cat', 'fields.home[within]': '35,-125,45,-80' }, ['garfield', 'nyancat']],
    ['[within] circle (km)', { content_type: 'cat', 'fields.home[within]': '52.5,13.4,10' }, ['happycat']],
    ['links_to_entry', { links_to_entry: 'jake' }, ['garfield', 'nyancat']],
    ['links_to_entry through a single link', { links_to_entry: 'garfield' }, ['odie']],
    ['metadata.tags.sys.id[in]', { 'metadata.tags.sys.id[in]': 'internet,nothing' }, ['nyancat']],
    ['metadata.tags.sys.id[all]', { 'metadata.tags.sys.id[all]': 'featured,internet' }, ['nyancat']],
    ['metadata.tags[exists]', { content_type: 'cat', 'metadata.tags[exists]': 'true' }, ['happycat', 'nyancat']],
    [
      'search on references',
      { content_type: 'dog', 'fields.owner.sys.contentType.sys.id': 'cat', 'fields.owner.fields.color': 'orange' },
      ['odie'],
    ],
    [
      'search on references with [match]',
      { content_type: 'cat', 'fields.bestFriend.sys.contentType.sys.id': 'dog', 'fields.bestFriend.fields.description[match]': 'bacon' },
      ['garfield'],
    ],
  ];
  for (const [label, query, expected] of cases) {
    it(label, async () => {
      expect(await sorted(query)).toEqual([...expected].sort());
    });
  }

  it('[near] orders by distance', async () => {
    expect(await ids({ content_type: 'cat', 'fields.home[near]': '38,-122' })).toEqual(['nyancat', 'garfield', 'happycat']);
  });
});

describe('full-text search (seed 003 examples)', () => {
  const notes = (list: string[]) => list.sort();
  it('query= needs every token as a left-anchored prefix, in any field', async () => {
    expect(await sorted({ content_type: 'note', query: 'my cat is blue' })).toEqual(notes(['n1', 'n3', 'n5', 'n6', 'n8', 'n9', 'n10']));
  });
  it('strips markup and ignores tokens shorter than 2 characters', async () => {
    expect(await sorted({ content_type: 'note', query: 'blue a' })).toContain('n6');
    expect(await sorted({ content_type: 'note', query: 'blue a' })).not.toContain('n7');
  });
  it('a quoted phrase matches word for word, in order, in one value', async () => {
    expect(await sorted({ content_type: 'note', query: '"my cat is blue"' })).toEqual(notes(['n1', 'n6']));
  });
  it('phrases combine with tokens', async () => {
    expect(await sorted({ content_type: 'note', query: '"my cat" blue' })).toEqual(notes(['n1', 'n6', 'n9']));
  });
  it('pages and counts full-text, links_to_entry and [match] matches in the requested order', async () => {
    const page = async (query: Record<string, unknown>) => {
      const result = await client.entry.getMany({ ...env(), query });
      return { total: result.total, ids: result.items.map((e) => e.sys.id), skip: result.skip, limit: result.limit };
    };
    const all = ['n1', 'n10', 'n3', 'n5', 'n6', 'n8', 'n9'];
    expect(await page({ content_type: 'note', query: 'my cat is blue', order: 'sys.id', limit: 3 })).toEqual({
      total: 7,
      ids: all.slice(0, 3),
      skip: 0,
      limit: 3,
    });
    expect(await page({ content_type: 'note', query: 'my cat is blue', order: '-sys.id', skip: 5, limit: 3 })).toEqual({
      total: 7,
      ids: ['n10', 'n1'],
      skip: 5,
      limit: 3,
    });
    expect(await page({ content_type: 'note', query: 'my cat is blue', skip: 10 })).toMatchObject({ total: 7, ids: [] });
    expect(await page({ query: 'no such words anywhere' })).toMatchObject({ total: 0, ids: [] });
    expect(await page({ links_to_entry: 'jake', order: '-sys.id', limit: 1 })).toMatchObject({ total: 2, ids: ['nyancat'] });
    expect(await page({ content_type: 'note', 'fields.body[match]': 'blue', order: 'sys.id', skip: 1, limit: 2 })).toEqual({
      total: 7,
      ids: ['n10', 'n3'],
      skip: 1,
      limit: 2,
    });
  });

  it('is case-insensitive, finds rich text and searches across content types', async () => {
    expect(await sorted({ query: 'BACON' })).toEqual(['jake']);
    expect(await sorted({ query: 'nested' })).toEqual(['rich1']);
  });
});

describe('order, paging and select', () => {
  it('orders by fields and sys with several keys and a tie-break on sys.id', async () => {
    expect(await ids({ content_type: 'cat', order: 'fields.lives' })).toEqual(['happycat', 'draftcat', 'garfield', 'nyancat']);
    expect(await ids({ content_type: 'cat', order: '-fields.lives' })).toEqual(['nyancat', 'garfield', 'draftcat', 'happycat']);
    expect(await ids({ content_type: 'cat', order: 'fields.color,-sys.id' })).toEqual(['happycat', 'draftcat', 'garfield', 'nyancat']);
    expect(await ids({ content_type: 'dog', order: 'sys.createdAt' })).toEqual(['jake', 'odie']);
    expect(await ids({ content_type: 'dog', order: '-sys.createdAt' })).toEqual(['odie', 'jake']);
  });

  it('skips and limits with a truthful total', async () => {
    const page = await client.entry.getMany({ ...env(), query: { content_type: 'cat', order: 'sys.id', skip: 1, limit: 2 } });
    expect(page.items.map((e) => e.sys.id)).toEqual(['garfield', 'happycat']);
    expect(page).toMatchObject({ total: 4, skip: 1, limit: 2 });
  });

  it('a skipped page is the same slice of the whole order, with the selected properties', async () => {
    for (const order of [undefined, 'fields.lives', '-fields.weight', 'sys.createdAt']) {
      const query = { content_type: 'cat', ...(order ? { order } : {}) };
      const all = (await client.entry.getMany({ ...env(), query })).items.map((e) => e.sys.id);
      const page = await client.entry.getMany({ ...env(), query: { ...query, skip: 1, limit: 2, select: 'sys.id,fields.name' } });
      expect(
        page.items.map((e) => e.sys.id),
        order,
      ).toEqual(all.slice(1, 3));
      expect(Object.keys(page.items[0].fields)).toEqual(['name']);
      expect(page.total).toBe(all.length);
    }
  });

  it('selects properties', async () => {
    const result = await client.entry.getMany({
      ...env(),
      query: { content_type: 'cat', 'sys.id': 'garfield', select: 'fields.name,fields.lives' },
    });
    // The official client adds `sys` to every select.
    expect(Object.keys(result.items[0]).sort()).toEqual(['fields', 'sys']);
    expect(result.items[0].fields).toEqual({ name: { 'en-US': 'Garfield' }, lives: { 'en-US': 9 } });
    expect(result.items[0].sys.contentType.sys.id).toBe('cat');
    const raw = await server.request('GET', `/spaces/${spaceId}/entries?content_type=cat&sys.id=garfield&select=fields.name`);
    expect((await raw.json()).items[0]).toEqual({ sys: { type: 'Entry', id: 'garfield' }, fields: { name: { 'en-US': 'Garfield' } } });
  });

  it('the published view searches published copies only', async () => {
    expect((await ids({ content_type: 'cat' }, 'public')).sort()).toEqual(['garfield', 'happycat', 'nyancat']);
  });

  it('cursor pages are stable under concurrent inserts', async () => {
    const first = await client.entry.getManyWithCursor({
      ...env(),
      query: { content_type: 'note', limit: 4, order: 'sys.createdAt' } as never,
    });
    expect(first.items.map((e) => e.sys.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect((first as { total?: number }).total).toBeUndefined();
    await entry('note', 'n0-late', { name: 'late' });
    const second = await client.entry.getManyWithCursor({
      ...env(),
      query: { content_type: 'note', limit: 4, order: 'sys.createdAt', pageNext: first.pages!.next } as never,
    });
    expect(second.items.map((e) => e.sys.id)).toEqual(['n5', 'n6', 'n7', 'n8']);
    const back = await client.entry.getManyWithCursor({
      ...env(),
      query: { content_type: 'note', limit: 4, order: 'sys.createdAt', pagePrev: second.pages!.prev } as never,
    });
    expect(back.items.map((e) => e.sys.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
  });
});

describe('bad queries answer 400 naming the parameter', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['field filter without content_type', { 'fields.color': 'gray' }],
    ['unknown field', { content_type: 'cat', 'fields.nope': 'x' }],
    ['unknown operator', { content_type: 'cat', 'fields.lives[between]': '1' }],
    ['[exists] not true/false', { content_type: 'cat', 'fields.color[exists]': 'yes' }],
    ['range on a Symbol', { content_type: 'cat', 'fields.color[gt]': 'a' }],
    ['equality on Text', { content_type: 'cat', 'fields.description': 'x' }],
    ['non-number on Integer', { content_type: 'cat', 'fields.lives': 'many' }],
    ['order by a Text field', { content_type: 'cat', order: 'fields.description' }],
    ['order by an Array field', { content_type: 'cat', order: 'fields.likes' }],
    ['order without content_type', { order: 'fields.name' }],
    ['unknown sys property', { 'sys.nope': 'x' }],
    ['a non-number in sys.version[in]', { 'sys.version[in]': '1,x' }],
    ['a fraction for sys.version', { 'sys.version': '1.5' }],
    ['sys.version beyond an integer', { 'sys.version[in]': '99999999999' }],
    ['a non-date in sys.createdAt[nin]', { 'sys.createdAt[nin]': '2020-01-01,someday' }],
    ['a date after the year 9999', { 'sys.createdAt[gt]': '99999-01-01' }],
    ['a date before the year 1', { 'sys.createdAt[gt]': '-000001-01-01T00:00:00Z' }],
    ['select too deep', { content_type: 'cat', select: 'fields.name.en-US' }],
    ['select an unknown field', { content_type: 'cat', select: 'fields.doesNotExist' }],
    ['limit over 1000', { limit: '1001' }],
    ['negative skip', { skip: '-1' }],
    ['two content types', { content_type: 'cat,dog' }],
    ['three reference searches', { content_type: 'cat', 'fields.a.fields.x': '1', 'fields.b.fields.x': '1', 'fields.c.fields.x': '1' }],
    ['reference search without its content type', { content_type: 'dog', 'fields.owner.fields.color': 'orange' }],
    [
      'reference search on an array of links',
      { content_type: 'cat', 'fields.friends.sys.contentType.sys.id': 'dog', 'fields.friends.fields.name': 'Jake' },
    ],
    ['[near] on a non-location', { content_type: 'cat', 'fields.color[near]': '1,2' }],
    ['[within] with two numbers', { content_type: 'cat', 'fields.home[within]': '1,2' }],
    ['unknown locale', { locale: 'xx-XX' }],
    ['a bad cursor token', { cursor: 'true', pageNext: 'garbage' }],
  ];
  for (const [label, query] of bad) {
    it(label, async () => {
      const error = await expectSdkError(client.entry.getMany({ ...env(), query }), 400, 'InvalidQuery');
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  it('mimetype_group only with a known group, on assets', async () => {
    await expectSdkError(client.asset.getMany({ ...env(), query: { mimetype_group: 'photos' } }), 400, 'InvalidQuery');
    expect((await client.asset.getMany({ ...env(), query: { mimetype_group: 'image' } })).items).toEqual([]);
  });
});

describe('content type search', () => {
  it('filters by sys.id, searches names, orders and pages', async () => {
    const all = await client.contentType.getMany({ ...env(), query: { order: 'name' } });
    expect(all.items.map((c) => c.sys.id)).toEqual(['cat', 'dog', 'note']);
    expect((await client.contentType.getMany({ ...env(), query: { 'sys.id[in]': 'dog,note' } })).items.map((c) => c.sys.id).sort()).toEqual(
      ['dog', 'note'],
    );
    expect((await client.contentType.getMany({ ...env(), query: { query: 'do' } })).items.map((c) => c.sys.id)).toEqual(['dog']);
    const page = await client.contentType.getMany({ ...env(), query: { order: '-sys.id', limit: 1, skip: 1 } });
    expect(page.items.map((c) => c.sys.id)).toEqual(['dog']);
    expect(page.total).toBe(3);
    await expectSdkError(client.contentType.getMany({ ...env(), query: { 'fields.x': '1' } }), 400, 'InvalidQuery');
    await expectSdkError(client.contentType.getMany({ ...env(), query: { order: 'fields.title' } }), 400, 'InvalidQuery');
  });
});
