import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A transaction that took a lower change-log seq but commits after a higher one was read: neither the
 * webhook dispatcher nor a sync client may pass it. The late writer is held open on a connection of its
 * own, exactly between its insert and its commit.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let receiver: http.Server;
const env = () => ({ spaceId, environmentId: 'master' });

/** Inserts a change-log row in a transaction that stays open until `commit()` is called. */
async function lateWriter(entityId: string) {
  let commit!: () => void;
  const released = new Promise<void>((resolve) => (commit = resolve));
  let inserted!: () => void;
  const insertedPromise = new Promise<void>((resolve) => (inserted = resolve));
  const done = server.database.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    await sql`insert into events (space_id, environment_id, entity_type, entity_id, action, topic, payload)
      values (${spaceId}, 'master', 'Entry', ${entityId}, 'delete', 'ContentManagement.Entry.delete',
        ${JSON.stringify({ sys: { type: 'DeletedEntry', id: entityId, contentType: { sys: { type: 'Link', linkType: 'ContentType', id: 'note' } } } })}::jsonb)`.execute(
      conn,
    );
    inserted();
    await released;
    await sql`commit`.execute(conn);
  });
  await insertedPromise;
  return {
    commit: async () => {
      commit();
      await done;
    },
  };
}

async function publishNote(id: string) {
  const entry = await cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'note' }, { fields: { title: { 'en-US': id } } });
  return cma.entry.publish({ ...env(), entryId: id }, entry);
}

/** One sync round as a client makes it: pages until `nextSyncUrl`, returning the items and its token. */
async function syncRound(query: string) {
  const items: string[] = [];
  for (;;) {
    const response = await fetch(`${server.baseUrl}/cdn/spaces/${spaceId}/environments/master/sync?${query}&access_token=${deliveryToken}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { sys: { type: string; id: string } }[]; nextSyncUrl?: string; nextPageUrl?: string };
    items.push(...body.items.map((i) => `${i.sys.type}:${i.sys.id}`));
    const token = new URL(body.nextSyncUrl ?? body.nextPageUrl!).searchParams.get('sync_token')!;
    if (body.nextSyncUrl) return { items, next: token };
    query = `sync_token=${token}`;
  }
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // The worker's timer stays out of the way: the test dispatches by hand at chosen moments.
  server = await startTestServer({ WEBHOOK_POLL_MS: '3600000', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Late commits' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'note' }, {
    name: 'Note',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: false }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'note' }, ct);
  deliveryToken = (await cma.apiKey.create({ spaceId }, { name: 'k' } as never)).accessToken;
  await cma.webhook.create({ spaceId }, {
    name: 'entries',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
    topics: ['Entry.*'],
  } as never);
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the change log under concurrent transactions', () => {
  it('dispatches a webhook call for an event that committed after a later one was dispatched', async () => {
    await server.services.webhookWorker.dispatch();
    const late = await lateWriter('late-for-webhooks');
    await publishNote('early-for-webhooks');
    await server.services.webhookWorker.dispatch();
    await late.commit();
    await server.services.webhookWorker.dispatch();

    const events = await server.database.db
      .selectFrom('events')
      .select('seq')
      .where('space_id', '=', spaceId)
      .where('entity_type', '=', 'Entry')
      .execute();
    const calls = await server.database.db.selectFrom('webhook_calls').select('event_seq').where('space_id', '=', spaceId).execute();
    expect(events.length).toBe(3);
    expect(calls.map((c) => Number(c.event_seq)).sort()).toEqual(events.map((e) => Number(e.seq)).sort());

    // Dispatching the same events again (the cursor taken back to the start) records no second call.
    await server.database.db.updateTable('webhook_dispatch_cursor').set({ last_seq: 0, last_xid: '0' }).where('id', '=', 1).execute();
    await server.services.webhookWorker.dispatch();
    const again = await server.database.db.selectFrom('webhook_calls').select('event_seq').where('space_id', '=', spaceId).execute();
    expect(again.map((c) => Number(c.event_seq)).sort()).toEqual(events.map((e) => Number(e.seq)).sort());
  });

  it('reports to a sync client a change that committed after a later one was synced', async () => {
    let round = await syncRound('initial=true');
    const seen = [...round.items];
    const late = await lateWriter('late-for-sync');
    await publishNote('early-for-sync');
    round = await syncRound(`sync_token=${round.next}`);
    seen.push(...round.items);
    await late.commit();
    round = await syncRound(`sync_token=${round.next}`);
    seen.push(...round.items);
    expect(seen).toContain('DeletedEntry:late-for-sync');
    expect(seen).toContain('Entry:early-for-sync');
  });
});
