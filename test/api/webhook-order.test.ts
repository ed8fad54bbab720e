import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlainClientAPI } from 'contentful-management';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookWorker } from '../../src/events/webhook-worker.js';
import { ManualClock } from '../helpers/clock.js';
import { waitFor } from '../helpers/wait.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Calls about one entity and webhook are delivered in the order of their events; calls about different
 * entities do not wait for each other; a lease is short and renewed while its call runs.
 */

let receiver: http.Server;
let receiverUrl: string;
const received: { path: string; topic: string; id: string; status: number }[] = [];
/** Per request path: statuses to answer with, in turn (200 after). */
const scripted = new Map<string, number[]>();
/** Per request path: a promise the answer waits for. */
const held = new Map<string, Promise<void>>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const path = req.url ?? '';
      const status = scripted.get(path)?.shift() ?? 200;
      received.push({
        path,
        topic: String(req.headers['x-contentful-topic']).split('.').pop()!,
        id: (JSON.parse(body) as { sys: { id: string } }).sys.id,
        status,
      });
      await held.get(path);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

async function setUp(server: TestServer, name: string, path: string) {
  const client = server.plainClient();
  const spaceId = (await client.space.create({}, { name })).sys.id;
  const env = { spaceId, environmentId: 'master' };
  const ct = await client.contentType.createWithId({ ...env, contentTypeId: 'note' }, {
    name: 'Note',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await client.contentType.publish({ ...env, contentTypeId: 'note' }, ct);
  await client.webhook.create({ spaceId }, { name, url: `${receiverUrl}${path}`, topics: ['Entry.publish', 'Entry.unpublish'] } as never);
  return { client, env };
}

async function publishThenUnpublish(client: PlainClientAPI, env: { spaceId: string; environmentId: string }, id: string, unpublish = true) {
  const entry = await client.entry.createWithId({ ...env, entryId: id, contentTypeId: 'note' }, { fields: { title: { 'en-US': id } } });
  const published = await client.entry.publish({ ...env, entryId: id }, entry);
  if (unpublish) await client.entry.unpublish({ ...env, entryId: id }, published);
}

const at = (path: string) => received.filter((r) => r.path === path);

describe('webhook calls about one entity', () => {
  it('wait for the earlier call to finish, retries included (publish before unpublish)', async () => {
    const server = await startTestServer({
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_RETRY_DELAYS_MS: '500,500',
    });
    try {
      const { client, env } = await setUp(server, 'Ordered', '/ordered');
      scripted.set('/ordered', [500]);
      await publishThenUnpublish(client, env, 'x');
      await waitFor('three calls', () => at('/ordered').length >= 3);
      expect(at('/ordered').map((r) => `${r.topic}:${r.status}`)).toEqual(['publish:500', 'publish:200', 'unpublish:200']);
    } finally {
      await server.close();
    }
  });

  it('are leased one at a time while calls about other entities go ahead, and an expired lease is taken over', async () => {
    const server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_MS: '3600000' });
    try {
      const { client, env } = await setUp(server, 'Leases', '/leases');
      await publishThenUnpublish(client, env, 'a');
      await publishThenUnpublish(client, env, 'b', false);
      const clock = new ManualClock(Date.now());
      const worker = new WebhookWorker(server.database.db, server.services.secrets, pino({ level: 'silent' }), {
        ...server.config.webhooks,
        leaseMs: 10_000,
        outbound: server.services.outbound,
        clock,
      });
      await worker.dispatch();
      const describeCalls = async (calls: { id: string }[]) => {
        const rows = await server.database.db
          .selectFrom('webhook_calls')
          .select(['id', 'entity_id', 'topic'])
          .where('id', 'in', calls.length ? calls.map((c) => c.id) : ['-'])
          .execute();
        return rows.map((r) => `${r.entity_id}:${r.topic.split('.').pop()}`).sort();
      };
      // The first process leases what is due: a's unpublish waits behind a's publish, b goes ahead.
      expect(await describeCalls(await worker.lease(10))).toEqual(['a:publish', 'b:publish']);
      // Another process finds nothing while the leases run...
      clock.advance(9_999);
      expect(await worker.lease(10)).toEqual([]);
      // ...and takes them over once they ran out (the first process died without renewing them).
      clock.advance(2);
      await worker.runOnce();
      expect(
        at('/leases')
          .map((r) => `${r.id}:${r.topic}`)
          .sort(),
      ).toEqual(['a:publish', 'b:publish']);
      await worker.runOnce();
      expect(at('/leases').map((r) => `${r.id}:${r.topic}`)).toEqual([
        ...at('/leases')
          .slice(0, 2)
          .map((r) => `${r.id}:${r.topic}`),
        'a:unpublish',
      ]);
      const statuses = await server.database.db.selectFrom('webhook_calls').select(['status', 'attempts']).execute();
      expect(statuses.every((s) => s.status === 'success' && s.attempts === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('renew the lease of a call while the receiver takes its time', async () => {
    const server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_MS: '3600000' });
    let release!: () => void;
    held.set('/slow', new Promise<void>((resolve) => (release = resolve)));
    try {
      const { client, env } = await setUp(server, 'Slow', '/slow');
      await publishThenUnpublish(client, env, 's', false);
      const clock = new ManualClock(Date.now());
      const options = { ...server.config.webhooks, leaseMs: 300, outbound: server.services.outbound, clock };
      const first = new WebhookWorker(server.database.db, server.services.secrets, pino({ level: 'silent' }), options);
      const second = new WebhookWorker(server.database.db, server.services.secrets, pino({ level: 'silent' }), options);
      const delivering = first.runOnce();
      await waitFor('the slow call to reach the receiver', () => at('/slow').length === 1);
      const leasedUntil = async () =>
        new Date(
          (await server.database.db.selectFrom('webhook_calls').select('next_attempt_at').executeTakeFirstOrThrow()).next_attempt_at,
        ).getTime();
      const firstLease = await leasedUntil();
      // Well past the first lease, the call is still leased (renewed every 100 ms), so the other worker leaves it alone.
      for (let step = 1; step <= 4; step++) {
        clock.advance(100);
        await waitFor('the lease to be renewed', async () => (await leasedUntil()) === clock.now() + 300);
      }
      expect(clock.now()).toBeGreaterThan(firstLease);
      expect(await second.lease(10)).toEqual([]);
      release();
      await delivering;
      expect(at('/slow')).toHaveLength(1);
      const call = await server.database.db.selectFrom('webhook_calls').select(['status', 'attempts']).executeTakeFirstOrThrow();
      expect(call).toEqual({ status: 'success', attempts: 1 });
    } finally {
      release();
      await server.close();
    }
  });
});
