import type { PlainClientAPI } from 'contentful-management';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * GraphQL executions run `GRAPHQL_CONCURRENCY` at once and `GRAPHQL_QUEUE` more wait; beyond that a query
 * is answered 503 at once. An execution is held inside the pool by a lock on the entries table that its
 * read waits for (PostgreSQL: another transaction holds it).
 */
let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let token: string;
const QUERY = '{ noteCollection { total items { title } } }';

const graphql = (query: string) =>
  fetch(`${server.baseUrl}/content/v1/spaces/${spaceId}/environments/master`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body: JSON.stringify({ query }),
  });

beforeAll(async () => {
  server = await startTestServer({ GRAPHQL_CONCURRENCY: '1', GRAPHQL_QUEUE: '0' });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'GraphQL executions' })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const ct = await client.contentType.createWithId({ ...env, contentTypeId: 'note' }, {
    name: 'Note',
    displayField: 'title',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await client.contentType.publish({ ...env, contentTypeId: 'note' }, ct);
  const entry = await client.entry.createWithId({ ...env, entryId: 'n1', contentTypeId: 'note' }, {
    fields: { title: { 'en-US': 'Hello' } },
  } as never);
  await client.entry.publish({ ...env, entryId: 'n1' }, entry);
  token = (await client.apiKey.create({ spaceId }, { name: 'k' } as never)).accessToken;
  // The schema and the environment's metadata are built before the pool: a first answer builds them.
  expect((await graphql(QUERY)).status).toBe(200);
});
afterAll(async () => server?.close());

describe('GraphQL executions', () => {
  it('answers 503 with Retry-After beyond the running and waiting executions, and the held one completes', async () => {
    const { db } = server.database;
    let held: Promise<Response> | undefined;
    await db.transaction().execute(async (trx) => {
      await sql`lock table entries in access exclusive mode`.execute(trx);
      held = graphql(QUERY);
      await waitFor('the first execution to wait for the lock', async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where not granted and relation = 'entries'::regclass`.execute(db);
        return rows[0]!.n > 0;
      });
      const refused = await graphql('{ noteCollection { total } }');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { errors: { message: string; extensions: unknown }[] }).errors[0]).toMatchObject({
        message: 'Too many GraphQL queries are being answered; retry shortly',
        extensions: { contentful: { code: 'SERVICE_UNAVAILABLE' } },
      });
    });
    const answer = await held!;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { noteCollection: { total: 1, items: [{ title: 'Hello' }] } } });
    expect((await graphql('{ noteCollection { total } }')).status).toBe(200);
  });
});
