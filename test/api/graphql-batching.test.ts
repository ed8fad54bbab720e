import type { PlainClientAPI } from 'contentful-management';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { countStatements } from '../helpers/statements.js';

/**
 * Every reference lookup of a GraphQL answer is batched: a page of entries with two levels of links runs
 * the same few SQL statements whatever the page's size.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let client: GraphQLClient;
const env = () => ({ spaceId, environmentId: 'master' });
const link = (id: string) => ({ sys: { type: 'Link', linkType: 'Entry', id } });
const POSTS = 60;

async function publish(entryId: string, contentTypeId: string, fields: Record<string, unknown>) {
  const entry = await cma.entry.createWithId({ ...env(), entryId, contentTypeId }, { fields } as never);
  await cma.entry.publish({ ...env(), entryId }, entry);
}

/** The SQL statements the server runs while `work` runs. */
const statements = (work: () => Promise<unknown>) => countStatements(server.database.db, work);

beforeAll(async () => {
  // The background workers poll the same database; an hour between polls keeps their statements out of the count.
  server = await startTestServer({ WEBHOOK_POLL_MS: '3600000', SCHEDULER_POLL_MS: '3600000' });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Batching' })).sys.id;
  const define = async (contentTypeId: string, fields: Record<string, unknown>[]) => {
    const ct = await cma.contentType.createWithId({ ...env(), contentTypeId }, { name: contentTypeId, fields } as never);
    await cma.contentType.publish({ ...env(), contentTypeId }, ct);
  };
  await define('person', [{ id: 'name', name: 'Name', type: 'Symbol' }]);
  await define('post', [
    { id: 'title', name: 'Title', type: 'Symbol' },
    { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['person'] }] },
    {
      id: 'related',
      name: 'Related',
      type: 'Array',
      items: { type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['post'] }] },
    },
  ]);
  for (let i = 0; i < 5; i++) await publish(`person${i}`, 'person', { name: { 'en-US': `Person ${i}` } });
  for (let i = 0; i < POSTS; i++) {
    const related = i === 0 ? [] : [link(`post${i - 1}`), ...(i > 1 ? [link(`post${i - 2}`)] : [])];
    await publish(`post${i}`, 'post', {
      title: { 'en-US': `Post ${i}` },
      author: { 'en-US': link(`person${i % 5}`) },
      related: { 'en-US': related },
    });
  }
  const key = await cma.apiKey.create({ spaceId }, {
    name: 'Key',
    environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
  } as never);
  client = new GraphQLClient(`${server.baseUrl}/content/v1/spaces/${spaceId}`, {
    headers: { Authorization: `Bearer ${key.accessToken}`, 'Cache-Control': 'no-cache' },
  });
});
afterAll(async () => {
  await server?.close();
});

const query = (limit: number) => `{
  postCollection(limit: ${limit}, order: [title_ASC]) {
    total
    items { title author { name } relatedCollection(limit: 2) { total items { title author { name } } } }
  }
}`;

describe('batched lookups', () => {
  it('answers a page with two levels of links in at most four statements, for 5 entries as for 60', async () => {
    // The first request loads what every request starts from (key, environment, locales, tags, content model).
    await client.request(query(1));
    let small: { postCollection: { items: unknown[] } } | undefined;
    let large:
      | {
          postCollection: {
            total: number;
            items: { title: string; author: { name: string }; relatedCollection: { items: { title: string }[] } }[];
          };
        }
      | undefined;
    const few = await statements(async () => {
      small = await client.request(query(5));
    });
    const many = await statements(async () => {
      large = await client.request(query(POSTS));
    });
    expect(small!.postCollection.items).toHaveLength(5);
    expect(large!.postCollection.total).toBe(POSTS);
    expect(large!.postCollection.items).toHaveLength(POSTS);
    const post10 = large!.postCollection.items.find((p) => p.title === 'Post 10')!;
    expect(post10.author.name).toBe('Person 0');
    expect(post10.relatedCollection.items.map((p) => p.title)).toEqual(['Post 9', 'Post 8']);
    // The page, its total, the linked entries of the first level (authors and related posts: one statement),
    // those of the second level not loaded yet (one more, none when the first level had them all).
    expect(few).toBe(4);
    expect(many).toBeLessThanOrEqual(few);
  });
});
