import type { PlainClientAPI } from 'contentful-management';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The GraphQL Content API through a real GraphQL client (graphql-request), over content made with the
 * official management client.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let previewToken: string;
let coverUrl: string;
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by value, whatever their shape
type Answer = any;
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

const endpoint = (environment?: string) =>
  `${server.baseUrl}/content/v1/spaces/${spaceId}${environment ? `/environments/${environment}` : ''}`;
const client = (token = deliveryToken, environment?: string) =>
  new GraphQLClient(endpoint(environment), { headers: { Authorization: `Bearer ${token}` } });

/** The whole answer (data and errors) with its status, as fetch sees it. */
async function raw(query: string, options: { token?: string; variables?: Record<string, unknown>; environment?: string } = {}) {
  const response = await fetch(endpoint(options.environment), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? deliveryToken}` },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: Answer; errors?: Answer[] } };
}

async function entry(id: string, contentType: string, fields: Record<string, unknown>, publish = true, tags: string[] = []) {
  const created = await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: contentType }, {
    fields,
    metadata: { tags: tags.map((t) => link('Tag', t)) },
  } as never);
  if (publish) await cma.entry.publish({ ...env(), entryId: id }, created);
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'GraphQL' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  await cma.tag.createWithId({ ...env(), tagId: 'featured' }, { name: 'Featured', sys: { visibility: 'public' } } as never);

  const author = await cma.contentType.createWithId({ ...env(), contentTypeId: 'author' }, {
    name: 'Author',
    displayField: 'name',
    fields: [
      { id: 'name', name: 'Name', type: 'Symbol' },
      { id: 'age', name: 'Age', type: 'Integer' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'author' }, author);
  const post = await cma.contentType.createWithId({ ...env(), contentTypeId: 'blogPost' }, {
    name: 'Blog post',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true },
      { id: 'body', name: 'Body', type: 'Text', localized: true },
      { id: 'views', name: 'Views', type: 'Integer' },
      { id: 'rating', name: 'Rating', type: 'Number' },
      { id: 'featured', name: 'Featured', type: 'Boolean' },
      { id: 'date', name: 'Date', type: 'Date' },
      { id: 'place', name: 'Place', type: 'Location' },
      { id: 'extra', name: 'Extra', type: 'Object' },
      { id: 'keywords', name: 'Keywords', type: 'Array', items: { type: 'Symbol' } },
      { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['author'] }] },
      { id: 'anything', name: 'Anything', type: 'Link', linkType: 'Entry' },
      { id: 'cover', name: 'Cover', type: 'Link', linkType: 'Asset' },
      {
        id: 'related',
        name: 'Related',
        type: 'Array',
        items: { type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['blogPost'] }] },
      },
      { id: 'gallery', name: 'Gallery', type: 'Array', items: { type: 'Link', linkType: 'Asset' } },
      { id: 'content', name: 'Content', type: 'RichText' },
    ],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'blogPost' }, post);

  const upload = await cma.asset.createFromFiles(env(), {
    fields: {
      title: { 'en-US': 'Cover' },
      description: { 'en-US': 'A cover' },
      file: { 'en-US': { file: makePng(40, 20), fileName: 'cover.png', contentType: 'image/png' } },
    },
  } as never);
  const processed = await cma.asset.processForAllLocales(env(), upload, { processingCheckWait: 50, processingCheckRetries: 100 });
  await cma.asset.publish({ ...env(), assetId: processed.sys.id }, processed);
  const coverId = processed.sys.id;
  coverUrl = `http:${processed.fields.file['en-US'].url}`;

  await entry('alice', 'author', { name: { 'en-US': 'Alice' }, age: { 'en-US': 40 } });
  await entry('bob', 'author', { name: { 'en-US': 'Bob' }, age: { 'en-US': 30 } });
  await entry(
    'first',
    'blogPost',
    {
      title: { 'en-US': 'First post', 'de-DE': 'Erster Beitrag' },
      body: { 'en-US': 'Hello world' },
      views: { 'en-US': 10 },
      rating: { 'en-US': 4.5 },
      featured: { 'en-US': true },
      date: { 'en-US': '2024-01-02T00:00:00.000Z' },
      place: { 'en-US': { lat: 52.5, lon: 13.4 } },
      extra: { 'en-US': { a: [1, 2] } },
      keywords: { 'en-US': ['news', 'tech'] },
      author: { 'en-US': link('Entry', 'alice') },
      anything: { 'en-US': link('Entry', 'bob') },
      cover: { 'en-US': link('Asset', coverId) },
      gallery: { 'en-US': [link('Asset', coverId)] },
      content: {
        'en-US': {
          nodeType: 'document',
          data: {},
          content: [
            { nodeType: 'paragraph', data: {}, content: [{ nodeType: 'text', value: 'Hi', marks: [], data: {} }] },
            { nodeType: 'embedded-entry-block', data: { target: link('Entry', 'alice') }, content: [] },
            { nodeType: 'embedded-asset-block', data: { target: link('Asset', coverId) }, content: [] },
          ],
        },
      },
    },
    true,
    ['featured'],
  );
  await entry('draft', 'blogPost', { title: { 'en-US': 'Draft post' }, views: { 'en-US': 5 } }, false);
  await entry('second', 'blogPost', {
    title: { 'en-US': 'Second post' },
    views: { 'en-US': 20 },
    featured: { 'en-US': false },
    date: { 'en-US': '2024-02-02T00:00:00.000Z' },
    keywords: { 'en-US': ['tech'] },
    author: { 'en-US': link('Entry', 'bob') },
    related: { 'en-US': [link('Entry', 'first'), link('Entry', 'draft'), link('Entry', 'first')] },
  });

  const key = await cma.apiKey.create({ spaceId }, { name: 'Website', environments: [link('Environment', 'master')] } as never);
  deliveryToken = key.accessToken;
  previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
});
afterAll(async () => {
  await server?.close();
});

describe('the GraphQL Content API', () => {
  it('answers a single entry with every field type', async () => {
    const data = await client().request<Answer>(`{
      blogPost(id: "first") {
        __typename _id sys { id spaceId environmentId publishedVersion locale publishedAt firstPublishedAt }
        title body views rating featured date place { lat lon } extra keywords
        author { name age } anything { __typename ... on Author { name } } cover { title url width height contentType fileName size }
        galleryCollection { total items { title } }
        contentfulMetadata { tags { id name } }
      }
    }`);
    const post = data.blogPost;
    expect(post).toMatchObject({
      __typename: 'BlogPost',
      _id: 'first',
      sys: { id: 'first', spaceId, environmentId: 'master', publishedVersion: 1, locale: 'en-US' },
      title: 'First post',
      body: 'Hello world',
      views: 10,
      rating: 4.5,
      featured: true,
      date: '2024-01-02T00:00:00.000Z',
      place: { lat: 52.5, lon: 13.4 },
      extra: { a: [1, 2] },
      keywords: ['news', 'tech'],
      author: { name: 'Alice', age: 40 },
      anything: { __typename: 'Author', name: 'Bob' },
      cover: { title: 'Cover', width: 40, height: 20, contentType: 'image/png', fileName: 'cover.png' },
      galleryCollection: { total: 1, items: [{ title: 'Cover' }] },
      contentfulMetadata: { tags: [{ id: 'featured', name: 'Featured' }] },
    });
    expect(post.sys.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(post.cover.url).toBe(coverUrl);
    expect(post.cover.size).toBeGreaterThan(0);
  });

  it('resolves rich text links', async () => {
    const data = await client().request<Answer>(`{
      blogPost(id: "first") { content { json links { entries { block { __typename ... on Author { name } } inline { __typename } hyperlink { __typename } } assets { block { title } hyperlink { title } } } } }
    }`);
    expect(data.blogPost.content.json.nodeType).toBe('document');
    expect(data.blogPost.content.links).toEqual({
      entries: { block: [{ __typename: 'Author', name: 'Alice' }], inline: [], hyperlink: [] },
      assets: { block: [{ title: 'Cover' }], hyperlink: [] },
    });
  });

  it('pages, orders and filters collections with the search engine', async () => {
    const data = await client().request<Answer>(`{
      all: blogPostCollection(order: [views_DESC]) { total skip limit items { sys { id } } }
      page: blogPostCollection(order: [views_ASC], skip: 1, limit: 1) { total items { sys { id } } }
      tech: blogPostCollection(where: { keywords_contains_some: ["news"] }) { items { sys { id } } }
      range: blogPostCollection(where: { views_gte: 15 }) { items { sys { id } } }
      either: blogPostCollection(where: { OR: [{ views: 10 }, { title: "Second post" }] }, order: sys_id_ASC) { items { sys { id } } }
      byAuthor: blogPostCollection(where: { author: { name: "Bob" } }) { items { sys { id } } }
      tagged: blogPostCollection(where: { contentfulMetadata: { tags: { id_contains_some: ["featured"] } } }) { items { sys { id } } }
      notIn: blogPostCollection(where: { sys: { id_not_in: ["first"] } }) { items { sys { id } } }
      words: blogPostCollection(where: { title_contains: "secon" }) { items { sys { id } } }
      entries: entryCollection(order: [sys_id_ASC]) { total items { __typename sys { id } } }
      assets: assetCollection { total items { title } }
    }`);
    const ids = (c: Answer) => c.items.map((i: Answer) => i.sys.id);
    expect(data.all).toMatchObject({ total: 2, skip: 0, limit: 100 });
    expect(ids(data.all)).toEqual(['second', 'first']);
    expect(data.page.total).toBe(2);
    expect(ids(data.page)).toEqual(['second']);
    expect(ids(data.tech)).toEqual(['first']);
    expect(ids(data.range)).toEqual(['second']);
    expect(ids(data.either)).toEqual(['first', 'second']);
    expect(ids(data.byAuthor)).toEqual(['second']);
    expect(ids(data.tagged)).toEqual(['first']);
    expect(ids(data.notIn)).toEqual(['second']);
    expect(ids(data.words)).toEqual(['second']);
    expect(data.entries.items.map((i: Answer) => `${i.__typename}:${i.sys.id}`)).toEqual([
      'Author:alice',
      'Author:bob',
      'BlogPost:first',
      'BlogPost:second',
    ]);
    expect(data.assets).toEqual({ total: 1, items: [{ title: 'Cover' }] });
  });

  it('resolves multi-reference collections and linkedFrom', async () => {
    const data = await client().request<Answer>(`{
      blogPost(id: "first") { linkedFrom { blogPostCollection { total items { sys { id } } } entryCollection { total } } }
      alice: author(id: "alice") { linkedFrom { blogPostCollection { items { sys { id } } } } }
    }`);
    expect(data.blogPost.linkedFrom).toEqual({
      blogPostCollection: { total: 1, items: [{ sys: { id: 'second' } }] },
      entryCollection: { total: 1 },
    });
    expect(data.alice.linkedFrom.blogPostCollection.items).toEqual([{ sys: { id: 'first' } }]);
  });

  it('answers an unresolvable link with null and UNRESOLVABLE_LINK, keeping the rest', async () => {
    const { status, body } = await raw(`{ blogPost(id: "second") { title relatedCollection { total items { sys { id } } } } }`);
    expect(status).toBe(200);
    expect(body.data.blogPost).toEqual({
      title: 'Second post',
      relatedCollection: { total: 3, items: [{ sys: { id: 'first' } }, null, { sys: { id: 'first' } }] },
    });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message:
        "Query execution error. Link from entry 'second' to entry 'draft' on field 'related' within type 'BlogPost' cannot be resolved",
      path: ['blogPost', 'relatedCollection', 'items', 1],
      extensions: {
        contentful: {
          code: 'UNRESOLVABLE_LINK',
          details: { type: 'BlogPost', field: 'related', linkType: 'Entry', linkId: 'draft', linkingEntryId: 'second' },
        },
      },
    });
    expect(body.errors![0].extensions.contentful.requestId).toEqual(expect.any(String));
  });

  it('reads drafts with preview: true and a preview token only', async () => {
    const query = `{ blogPost(id: "draft", preview: true) { title sys { publishedVersion } } }`;
    expect(await client(previewToken).request<Answer>(query)).toEqual({
      blogPost: { title: 'Draft post', sys: { publishedVersion: null } },
    });
    expect(await client().request<Answer>(`{ blogPost(id: "draft") { title } }`)).toEqual({ blogPost: null });
    const { body } = await raw(query);
    expect(body.data).toEqual({ blogPost: null });
    expect(body.errors![0].extensions.contentful.code).toBe('ACCESS_TOKEN_INVALID');
  });

  it('follows locale fallbacks, and answers UNKNOWN_LOCALE for a locale the space lacks', async () => {
    const data = await client().request<Answer>(`{
      de: blogPost(id: "first", locale: "de-DE") { title body sys { locale } }
      strict: blogPost(id: "first", locale: "de-DE", useFallbackLocale: false) { title body }
      field: blogPost(id: "first") { title(locale: "de-DE") }
    }`);
    expect(data).toEqual({
      de: { title: 'Erster Beitrag', body: 'Hello world', sys: { locale: 'de-DE' } },
      strict: { title: 'Erster Beitrag', body: null },
      field: { title: 'Erster Beitrag' },
    });
    const { status, body } = await raw(`{ blogPost(id: "first", locale: "fr-FR") { title } other: author(id: "alice") { name } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ blogPost: null, other: { name: 'Alice' } });
    expect(body.errors![0]).toMatchObject({
      message: "Query execution error. Requested locale 'fr-FR' does not exist in the space",
      path: ['blogPost'],
      extensions: { contentful: { code: 'UNKNOWN_LOCALE' } },
    });
  });

  it('refuses queries over the complexity limit, with the cost', async () => {
    const { status, body, headers } = await raw(
      `{ blogPostCollection(limit: 1000) { items { relatedCollection(limit: 100) { items { title } } } } }`,
    );
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]).toMatchObject({
      message:
        'Query cannot be executed. The maximum allowed complexity for a query is 11000 but it was 101000. Simplify the query e.g. by setting lower limits for collections.',
      extensions: { contentful: { code: 'TOO_COMPLEX_QUERY', details: { maximumCost: 11000, cost: 101000 } } },
    });
    expect(headers.get('x-contentful-graphql-query-cost')).toBeNull();
    const ok = await raw(`{ blogPostCollection(limit: 10) { items { author { name } relatedCollection(limit: 5) { items { title } } } } }`);
    expect(ok.headers.get('x-contentful-graphql-query-cost')).toBe(String(10 + 10 + 50));
  });

  it('refuses queries nested deeper than 20 levels', async () => {
    let selection = 'title';
    for (let i = 0; i < 10; i++) selection = `relatedCollection(limit: 1) { items { ${selection} } }`;
    const { status, body } = await raw(`{ blogPost(id: "second") { ${selection} } }`);
    expect(status).toBe(400);
    expect(body.errors![0]).toMatchObject({
      message:
        'Query cannot be executed. The maximum allowed depth for a query is 20 but it was 21. Simplify the query e.g. by following fewer levels of links.',
      extensions: { contentful: { code: 'TOO_COMPLEX_QUERY', details: { maximumDepth: 20, depth: 21 } } },
    });
  });

  it('finds entries by _node, filters through multi-references and sys dates', async () => {
    const data = await client().request<Answer>(`{
      node: _node(id: "alice") { __typename _id ... on Author { name } }
      missing: _node(id: "nothing") { _id }
      relatedToFirst: blogPostCollection(where: { related: { title: "First post" } }) { items { sys { id } } }
      recent: blogPostCollection(where: { sys: { firstPublishedAt_gt: "2000-01-01T00:00:00Z" }, views_lt: 15 }) { items { sys { id } } }
      noRelated: blogPostCollection(where: { relatedCollection_exists: false }) { items { sys { id } } }
    }`);
    expect(data).toEqual({
      node: { __typename: 'Author', _id: 'alice', name: 'Alice' },
      missing: null,
      relatedToFirst: { items: [{ sys: { id: 'second' } }] },
      recent: { items: [{ sys: { id: 'first' } }] },
      noRelated: { items: [{ sys: { id: 'first' } }] },
    });
  });

  it('answers 401 for a missing or wrong token, and the documented request errors', async () => {
    const missing = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(missing.status).toBe(401);
    expect((await missing.json()).errors[0].extensions.contentful.code).toBe('ACCESS_TOKEN_MISSING');
    const wrong = await raw('{ __typename }', { token: 'nope' });
    expect([wrong.status, wrong.body.errors![0].extensions.contentful.code]).toEqual([401, 'ACCESS_TOKEN_INVALID']);
    const unknown = await raw('{ __typename }', { environment: 'nowhere' });
    expect([unknown.status, unknown.body.errors![0].extensions.contentful.code]).toEqual([400, 'UNKNOWN_ENVIRONMENT']);
    const empty = await raw('');
    expect([empty.status, empty.body.errors![0].extensions.contentful.code]).toEqual([400, 'MISSING_QUERY']);
    const syntax = await raw('{ blogPost(');
    expect([syntax.status, syntax.body.errors![0].extensions.contentful.code]).toEqual([400, 'INVALID_QUERY_FORMAT']);
    const invalid = await raw('{ blogPost(id: "first") { nope } }');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors![0].message).toBe('Cannot query field "nope" on type "BlogPost".');
    const big = await raw(`{ __typename ${' '.repeat(9000)} }`);
    expect([big.status, big.body.errors![0].extensions.contentful.code]).toEqual([400, 'QUERY_TOO_BIG']);
  });

  it('accepts GET with the access_token parameter, and on the environment path', async () => {
    const response = await fetch(
      `${endpoint('master')}?access_token=${deliveryToken}&query=${encodeURIComponent('query($id: String!) { author(id: $id) { name } }')}&variables=${encodeURIComponent('{"id":"alice"}')}`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { author: { name: 'Alice' } } });
  });

  it('serves GraphiQL to a browser', async () => {
    const response = await fetch(endpoint(), { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('GraphiQL');
  });

  it('changes the schema as soon as a content type is activated', async () => {
    await expect(client().request(`{ pageCollection { total } }`)).rejects.toBeInstanceOf(ClientError);
    const page = await cma.contentType.createWithId({ ...env(), contentTypeId: 'page' }, {
      name: 'Page',
      fields: [{ id: 'slug', name: 'Slug', type: 'Symbol' }],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'page' }, page);
    expect(await client().request(`{ pageCollection { total } }`)).toEqual({ pageCollection: { total: 0 } });
    await cma.contentType.unpublish({ ...env(), contentTypeId: 'page' });
    await expect(client().request(`{ pageCollection { total } }`)).rejects.toBeInstanceOf(ClientError);
  });

  it('answers introspection, so GraphiQL and code generators can read the schema', async () => {
    const data = await client().request<Answer>(getIntrospectionQuery());
    const sdl = printSchema(buildClientSchema(data));
    expect(sdl).toContain('type BlogPost implements Entry & _Node {');
    expect(sdl).toContain(
      'blogPostCollection(skip: Int = 0, limit: Int = 100, preview: Boolean, locale: String, useFallbackLocale: Boolean, where: BlogPostFilter, order: [BlogPostOrder]): BlogPostCollection',
    );
    expect(sdl).toContain('author(preview: Boolean, locale: String, useFallbackLocale: Boolean, where: AuthorFilter): Author');
    expect(sdl).toContain(
      'relatedCollection(skip: Int = 0, limit: Int = 100, preview: Boolean, locale: String, useFallbackLocale: Boolean, where: BlogPostFilter, order: [BlogPostRelatedCollectionOrder]): BlogPostRelatedCollection',
    );
    expect(sdl).toContain('author: cfAuthorNestedFilter');
    expect(sdl).toContain('url(locale: String, useFallbackLocale: Boolean, transform: ImageTransformOptions): String');
    expect(sdl).toMatch(/enum BlogPostOrder \{\n {2}title_ASC\n {2}title_DESC\n {2}views_ASC/);
  });

  it('gives asset URLs with Images API parameters for url(transform:)', async () => {
    const data = await client().request<Answer>(`{
      asset: blogPost(id: "first") { cover {
        small: url(transform: { width: 20, height: 10, resizeStrategy: FILL, resizeFocus: TOP_LEFT, format: WEBP, quality: 80 })
        round: url(transform: { cornerRadius: -1, backgroundColor: "rgb:FF0000", format: JPG_PROGRESSIVE })
        plain: url(transform: {})
      } }
    }`);
    expect(data.asset.cover).toEqual({
      small: `${coverUrl}?f=top_left&fit=fill&fm=webp&h=10&q=80&w=20`,
      round: `${coverUrl}?bg=rgb:ff0000&fl=progressive&fm=jpg&r=max`,
      plain: coverUrl,
    });
    const small = new URL(data.asset.cover.small);
    const image = await fetch(`${server.baseUrl}${small.pathname}${small.search}`);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/webp']);
    const { body } = await raw(`{ asset: blogPost(id: "first") { cover { url(transform: { width: 5000 }) } } }`);
    expect(body.errors![0].message).toContain('Dimension must be a whole number between 1 and 4000');
  });

  it('keeps answers until a write, and computes them anew for Cache-Control: no-cache', async () => {
    const query = `{ author(id: "bob") { name } }`;
    expect(await client().request(query)).toEqual({ author: { name: 'Bob' } });
    const bob = await cma.entry.get({ ...env(), entryId: 'bob' });
    bob.fields.name = { 'en-US': 'Robert' };
    const updated = await cma.entry.update({ ...env(), entryId: 'bob' }, bob);
    expect(await client().request(query)).toEqual({ author: { name: 'Bob' } });
    await cma.entry.publish({ ...env(), entryId: 'bob' }, updated);
    expect(await client().request(query)).toEqual({ author: { name: 'Robert' } });
    const fresh = await fetch(endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deliveryToken}`, 'cache-control': 'no-cache' },
      body: JSON.stringify({ query }),
    });
    expect(await fresh.json()).toEqual({ data: { author: { name: 'Robert' } } });
  });

  it('answers 422 COLLIDING_TYPE_NAMES when two content type ids give one type name', async () => {
    const other = (await cma.space.create({}, { name: 'Colliding' })).sys.id;
    for (const id of ['a-car', 'aCar']) {
      const ct = await cma.contentType.createWithId({ spaceId: other, environmentId: 'master', contentTypeId: id }, {
        name: id,
        fields: [{ id: 'name', name: 'Name', type: 'Symbol' }],
      } as never);
      await cma.contentType.publish({ spaceId: other, environmentId: 'master', contentTypeId: id }, ct);
    }
    const key = await cma.apiKey.create({ spaceId: other }, { name: 'Key', environments: [link('Environment', 'master')] } as never);
    const response = await fetch(`${server.baseUrl}/content/v1/spaces/${other}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.accessToken}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors[0]).toMatchObject({
      message:
        "Schema generation failed. Type name generated for the content types 'a-car', 'aCar' would be the same for all of them: 'ACar'",
      extensions: {
        contentful: { code: 'COLLIDING_TYPE_NAMES', details: { collidingContentTypeIds: ['a-car', 'aCar'], resultingTypeName: 'ACar' } },
      },
    });

    // One content type at a time: fields whose GraphQL names collide, then a field with a reserved name.
    const query = async () => {
      const answer = await fetch(`${server.baseUrl}/content/v1/spaces/${other}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.accessToken}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return { status: answer.status, error: (await answer.json()).errors?.[0] };
    };
    const replace = async (fields: Record<string, unknown>[]) => {
      const params = { spaceId: other, environmentId: 'master', contentTypeId: 'aCar' };
      const current = await cma.contentType.get(params);
      const updated = await cma.contentType.update(params, { ...current, fields } as never);
      await cma.contentType.publish(params, updated);
    };
    await cma.contentType.unpublish({ spaceId: other, environmentId: 'master', contentTypeId: 'a-car' });
    await replace([
      { id: 'name', name: 'Name', type: 'Symbol' },
      { id: 'parts', name: 'Parts', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
      { id: 'partsCollection', name: 'Parts collection', type: 'Symbol' },
    ]);
    expect(await query()).toMatchObject({ status: 422, error: { extensions: { contentful: { code: 'COLLIDING_FIELD_NAMES' } } } });
    await replace([
      { id: 'linkedFrom', name: 'Linked from', type: 'Symbol' },
      { id: 'name', name: 'Name', type: 'Symbol' },
      { id: 'parts', name: 'Parts', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
      { id: 'partsCollection', name: 'Parts collection', type: 'Symbol' },
    ]);
    expect(await query()).toMatchObject({
      status: 422,
      error: {
        message: "Schema generation failed. Field 'linkedFrom' of content type 'aCar' has a reserved name",
        extensions: { contentful: { code: 'RESERVED_FIELD_NAME', details: { contentTypeId: 'aCar', fieldId: 'linkedFrom' } } },
      },
    });
  });

  it('answers the documented errors for variables, operation names and another space', async () => {
    const post = (body: Record<string, unknown>, space = spaceId) =>
      fetch(`${server.baseUrl}/content/v1/spaces/${space}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deliveryToken}` },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, code: (await r.json()).errors?.[0]?.extensions?.contentful?.code }));
    expect(await post({ query: '{ __typename }', variables: '{not json' })).toEqual({ status: 400, code: 'INVALID_VARIABLES_FORMAT' });
    expect(await post({ query: 'query A { __typename } query B { __typename }', operationName: 'C' })).toEqual({
      status: 400,
      code: 'QUERY_OPERATION_NAME_MISMATCH',
    });
    expect(await post({ query: '{ __typename }' }, 'someoneElsesSpace')).toEqual({ status: 400, code: 'UNKNOWN_SPACE' });
  });
});
