import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

/**
 * Two server processes on one PostgreSQL database, many concurrent writers through both: every change-log
 * event gets exactly one webhook call, the calls about each entry arrive in the order of its events, and a
 * sync client polling all along ends with exactly the published state.
 */

const WRITERS = 8;
const ENTRIES_PER_WRITER = 16;
const MANAGEMENT_JSON = 'application/vnd.contentful.management.v1+json';

let testDb: TestDatabase;
let servers: ServerProcess[] = [];
let receiver: http.Server;
let spaceId: string;
let deliveryToken: string;
/** Topics received per entry, in arrival order. */
const received = new Map<string, string[]>();
let receivedTotal = 0;

async function cma(server: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': MANAGEMENT_JSON, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => undefined)) as { sys: { id: string; version: number } } & Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = (JSON.parse(body) as { sys: { id: string } }).sys.id;
      received.set(id, [...(received.get(id) ?? []), String(req.headers['x-contentful-topic'])]);
      receivedTotal++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const env = { OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_CONCURRENCY: '8' };
  servers = [await startServerProcess(testDb.url!, env)];
  servers.push(await startServerProcess(testDb.url!, env));
  const [a] = servers;
  spaceId = (await cma(a, 'POST', '/spaces', { name: 'Concurrent' })).sys.id;
  const base = `/spaces/${spaceId}/environments/master`;
  const ct = await cma(a, 'PUT', `${base}/content_types/note`, { name: 'Note', fields: [{ id: 'title', name: 'Title', type: 'Symbol' }] });
  await cma(a, 'PUT', `${base}/content_types/note/published`, undefined, { 'x-contentful-version': String(ct.sys.version) });
  deliveryToken = (await cma(a, 'POST', `/spaces/${spaceId}/api_keys`, { name: 'k' })).accessToken as string;
  await cma(a, 'POST', `/spaces/${spaceId}/webhook_definitions`, {
    name: 'entries',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
    topics: ['Entry.*'],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await new Promise((resolve) => receiver?.close(resolve));
  await testDb?.drop();
});

/** A sync client: follows the tokens and keeps what it was told is published. */
function syncClient(server: ServerProcess) {
  const state = new Map<string, number>();
  let token: string | undefined;
  return {
    state,
    async round() {
      for (;;) {
        const query = token ? `sync_token=${token}` : 'initial=true';
        const response = await fetch(
          `${server.baseUrl}/cdn/spaces/${spaceId}/environments/master/sync?${query}&access_token=${deliveryToken}`,
        );
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          items: { sys: { type: string; id: string; revision?: number } }[];
          nextSyncUrl?: string;
          nextPageUrl?: string;
        };
        for (const item of body.items) {
          if (item.sys.type === 'Entry') state.set(item.sys.id, item.sys.revision!);
          if (item.sys.type === 'DeletedEntry') state.delete(item.sys.id);
        }
        token = new URL(body.nextSyncUrl ?? body.nextPageUrl!).searchParams.get('sync_token')!;
        if (body.nextSyncUrl) return;
      }
    },
  };
}

describe('concurrent writers on two server processes', () => {
  it('loses no webhook call and no sync change, and orders the calls about each entry', { timeout: 120_000 }, async () => {
    const sync = syncClient(servers[0]);
    await sync.round();
    let writing = true;
    const polling = (async () => {
      while (writing) await sync.round();
    })();

    const base = `/spaces/${spaceId}/environments/master/entries`;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < ENTRIES_PER_WRITER; i++) {
          const server = servers[(writer + i) % 2];
          const other = servers[(writer + i + 1) % 2];
          const id = `w${writer}-${i}`;
          let entry = await cma(
            server,
            'PUT',
            `${base}/${id}`,
            { fields: { title: { 'en-US': 'one' } } },
            { 'x-contentful-content-type': 'note' },
          );
          entry = await cma(other, 'PUT', `${base}/${id}/published`, undefined, { 'x-contentful-version': String(entry.sys.version) });
          entry = await cma(
            server,
            'PUT',
            `${base}/${id}`,
            { fields: { title: { 'en-US': 'two' } } },
            { 'x-contentful-version': String(entry.sys.version) },
          );
          entry = await cma(other, 'PUT', `${base}/${id}/published`, undefined, { 'x-contentful-version': String(entry.sys.version) });
          if (i % 2 === 1)
            await cma(server, 'DELETE', `${base}/${id}/published`, undefined, { 'x-contentful-version': String(entry.sys.version) });
        }
      }),
    );
    writing = false;
    await polling;

    const db = testDb.database.db;
    const events = await db
      .selectFrom('events')
      .select(['seq', 'entity_id', 'topic'])
      .where('space_id', '=', spaceId)
      .where('entity_type', '=', 'Entry')
      .orderBy('seq')
      .execute();
    expect(events.length).toBe(WRITERS * ENTRIES_PER_WRITER * 4 + (WRITERS * ENTRIES_PER_WRITER) / 2);

    await waitFor(`${events.length} webhook calls`, () => receivedTotal >= events.length, 60_000);
    // The receiver answers before the worker records the call.
    await waitFor(
      'every call recorded',
      async () =>
        !(await db
          .selectFrom('webhook_calls')
          .select('id')
          .where('space_id', '=', spaceId)
          .where('status', '=', 'pending')
          .executeTakeFirst()),
    );
    const calls = await db.selectFrom('webhook_calls').select(['event_seq', 'status']).where('space_id', '=', spaceId).execute();
    expect(calls.map((c) => Number(c.event_seq)).sort((x, y) => x - y)).toEqual(events.map((e) => Number(e.seq)));
    expect(new Set(calls.map((c) => c.status))).toEqual(new Set(['success']));
    expect(receivedTotal).toBe(events.length);
    const expectedOrder = new Map<string, string[]>();
    for (const e of events) expectedOrder.set(e.entity_id, [...(expectedOrder.get(e.entity_id) ?? []), e.topic]);
    expect(received).toEqual(expectedOrder);

    const published = await db
      .selectFrom('entries')
      .select(['id', 'published_counter'])
      .where('space_id', '=', spaceId)
      .where('published_version', 'is not', null)
      .execute();
    const expected = new Map(published.map((r) => [r.id, Number(r.published_counter)]));
    expect(expected.size).toBe((WRITERS * ENTRIES_PER_WRITER) / 2);
    await waitFor(
      'the sync client to reach the published state',
      async () => {
        await sync.round();
        return sync.state.size === expected.size && [...expected].every(([id, revision]) => sync.state.get(id) === revision);
      },
      30_000,
    );
    expect(servers.map((s) => s.exitCode())).toEqual([null, null]);
  });
});
