import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlainClientAPI } from 'contentful-management';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/clock.js';
import { buildApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrator.js';
import { WebhookWorker } from '../../src/events/webhook-worker.js';
import { expectSdkError } from '../helpers/assertions.js';
import { createTestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/wait.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.js';

interface Received {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
const ids: Record<string, string> = {};
/** Status codes to answer per path, consumed in order; 200 once exhausted. */
const scripted = new Map<string, number[]>();

const env = () => ({ spaceId, environmentId: 'master' });
const WEBHOOK_TIMING = { WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_DELAYS_MS: '30,30', WEBHOOK_TIMEOUT_MS: '2000' };
/** The receiver listens on 127.0.0.1: these servers allow private networks. */
const WEBHOOK_ENV = { ...WEBHOOK_TIMING, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' };

const hits = (path: string) => received.filter((r) => r.path.startsWith(path));

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      const key = (req.url ?? '').split('?')[0];
      const statuses = scripted.get(key);
      res.writeHead(statuses?.length ? statuses.shift()! : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startTestServer(WEBHOOK_ENV);
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Webhooks' })).sys.id;
  const ct = await client.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await client.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
});
afterAll(async () => {
  await server?.close();
  receiver?.close();
});

describe('webhook definitions', () => {
  it('creates, updates with a version and never returns secrets', async () => {
    const created = await client.webhook.create({ spaceId }, {
      name: 'Notify',
      url: `${receiverUrl}/defs`,
      topics: ['Entry.publish'],
      headers: [
        { key: 'X-Notify', value: 'subscribers' },
        { key: 'Authentication', value: 'top-secret', secret: true },
      ],
      httpBasicUsername: 'user',
      httpBasicPassword: 'pass-secret',
    } as never);
    expect(created.headers).toEqual([
      { key: 'X-Notify', value: 'subscribers' },
      { key: 'Authentication', secret: true },
    ]);
    expect(JSON.stringify(created)).not.toContain('top-secret');
    expect(JSON.stringify(created)).not.toContain('pass-secret');
    const hook = { spaceId, webhookDefinitionId: created.sys.id };
    const updated = await client.webhook.update(hook, {
      ...created,
      name: 'Notify 2',
      headers: [{ key: 'Authentication', secret: true }],
    } as never);
    expect(updated.sys.version).toBe(2);
    const stored = await server.database.db
      .selectFrom('webhook_definitions')
      .select(['headers', 'http_basic_password_sealed'])
      .where('id', '=', created.sys.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('top-secret');
    expect(stored.headers).toHaveLength(1);
    await expectSdkError(client.webhook.update(hook, { ...created }), 409, 'VersionMismatch');
    await client.webhook.delete(hook);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a bad topic', { name: 'x', url: 'http://h.example/x', topics: ['Entry.explode'] }, 'topics.0'],
    ['a bad URL', { name: 'x', url: 'ftp://h.example/x', topics: ['*.*'] }, 'url'],
    [
      'a bad filter',
      { name: 'x', url: 'http://h.example/x', topics: ['*.*'], filters: [{ equals: [{ doc: 'fields.x' }, 'a'] }] },
      'filters.0.equals.0',
    ],
    ['a bad pointer', { name: 'x', url: 'http://h.example/{ /secrets/x }', topics: ['*.*'] }, 'url'],
    [
      'a bad transformation method',
      { name: 'x', url: 'http://h.example/x', topics: ['*.*'], transformation: { method: 'TRACE' } },
      'transformation.method',
    ],
    [
      'an unknown helper',
      { name: 'x', url: 'http://h.example/x', topics: ['*.*'], transformation: { body: { a: '{ shout /payload/sys/id }' } } },
      'transformation.body.a',
    ],
    [
      'a new secret header without value',
      { name: 'x', url: 'http://h.example/x', topics: ['*.*'], headers: [{ key: 'A', secret: true }] },
      'headers.0.value',
    ],
  ];
  for (const [label, body, path] of invalid) {
    it(`refuses ${label} with 422 at ${path}`, async () => {
      const error = await expectSdkError(client.webhook.create({ spaceId }, body as never), 422, 'ValidationFailed');
      expect((error.details.errors as { path: unknown[] }[]).map((e) => e.path.join('.'))).toContain(path);
    });
  }
});

describe('delivery', () => {
  it('calls matching webhooks with headers, basic auth and the payload per action', async () => {
    ids['all-entries'] = (
      await client.webhook.create({ spaceId }, {
        name: 'All entries',
        url: `${receiverUrl}/all`,
        topics: ['Entry.*'],
        headers: [{ key: 'X-Secret', value: 's3cret', secret: true }],
        httpBasicUsername: 'bob',
        httpBasicPassword: 'pw',
      } as never)
    ).sys.id;
    ids['nav-only'] = (
      await client.webhook.create({ spaceId }, {
        name: 'Nav only',
        url: `${receiverUrl}/nav/{ /payload/sys/id }`,
        topics: ['*.publish'],
        filters: [{ equals: [{ doc: 'sys.id' }, 'main_nav'] }],
        transformation: {
          method: 'PUT',
          contentType: 'application/x-www-form-urlencoded',
          includeContentLength: true,
          body: { id: '{ /payload/sys/id }', topic: '{ /topic }' },
        },
      } as never)
    ).sys.id;
    const entry = await client.entry.createWithId(
      { ...env(), entryId: 'main_nav', contentTypeId: 'post' },
      { fields: { title: { 'en-US': 'Menu' } } },
    );
    await client.entry.publish({ ...env(), entryId: 'main_nav' }, entry);
    await client.entry.unpublish({ ...env(), entryId: 'main_nav' });
    const calls = await waitFor('three entry calls', () => (hits('/all').length >= 3 ? hits('/all') : undefined));
    // Calls are delivered concurrently, so their order is not guaranteed (nor is it on Contentful).
    const byTopic = (action: string) => calls.find((c) => c.headers['x-contentful-topic'] === `ContentManagement.Entry.${action}`)!;
    expect(calls.map((c) => c.headers['x-contentful-topic']).sort()).toEqual([
      'ContentManagement.Entry.create',
      'ContentManagement.Entry.publish',
      'ContentManagement.Entry.unpublish',
    ]);
    expect(byTopic('create').headers['x-contentful-webhook-name']).toBe('All entries');
    expect(byTopic('create').headers['content-type']).toBe('application/vnd.contentful.management.v1+json');
    expect(byTopic('create').headers['x-secret']).toBe('s3cret');
    expect(byTopic('create').headers.authorization).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
    expect(JSON.parse(byTopic('publish').body).sys.publishedVersion).toBe(1);
    expect(JSON.parse(byTopic('unpublish').body).sys).toMatchObject({
      type: 'DeletedEntry',
      id: 'main_nav',
      contentType: { sys: { id: 'post' } },
    });
    const nav = await waitFor('the filtered call', () => hits('/nav/main_nav')[0]);
    expect(nav.method).toBe('PUT');
    expect(nav.body).toBe('id=main_nav&topic=ContentManagement.Entry.publish');
    expect(nav.headers['content-length']).toBe(String(nav.body.length));

    const log = await waitFor('the call log', async () => {
      const list = await client.webhook.getManyCallDetails({ spaceId, webhookDefinitionId: ids['all-entries'] });
      return list.items.filter((c) => (c as unknown as { status: string }).status === 'success').length === 3 ? list : undefined;
    });
    const details = await client.webhook.getCallDetails({ spaceId, webhookDefinitionId: ids['all-entries'], callId: log.items[0].sys.id });
    expect(JSON.stringify(details)).not.toContain('s3cret');
    expect((details.request as { headers: Record<string, string> }).headers['X-Secret']).toBe('***');
    expect(details.response.statusCode).toBe(200);
    expect(await client.webhook.getHealthStatus({ spaceId, webhookDefinitionId: ids['all-entries'] })).toMatchObject({
      calls: { total: 3, healthy: 3 },
    });
    await client.webhook.delete({ spaceId, webhookDefinitionId: ids['all-entries'] });
    await client.webhook.delete({ spaceId, webhookDefinitionId: ids['nav-only'] });
  });

  it('filters on the content type of the entry', async () => {
    const page = await client.contentType.createWithId({ ...env(), contentTypeId: 'page' }, {
      name: 'Page',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
    } as never);
    await client.contentType.publish({ ...env(), contentTypeId: 'page' }, page);
    const webhookFor = async (contentTypeId: string) =>
      (
        await client.webhook.create({ spaceId }, {
          name: `Only ${contentTypeId}`,
          url: `${receiverUrl}/ct/${contentTypeId}/{ /payload/sys/id }`,
          topics: ['Entry.create'],
          filters: [{ equals: [{ doc: 'sys.contentType.sys.id' }, contentTypeId] }],
        } as never)
      ).sys.id;
    const [postHook, pageHook] = [await webhookFor('post'), await webhookFor('page')];
    await client.entry.createWithId({ ...env(), entryId: 'ct-post', contentTypeId: 'post' }, { fields: { title: { 'en-US': 'P' } } });
    await client.entry.createWithId({ ...env(), entryId: 'ct-page', contentTypeId: 'page' }, { fields: { title: { 'en-US': 'Q' } } });
    await waitFor('the post call', () => hits('/ct/post/ct-post')[0]);
    await waitFor('the page call', () => hits('/ct/page/ct-page')[0]);
    // An event's calls are created together, so no wrong call can still be on its way.
    const calls = await server.database.db
      .selectFrom('webhook_calls')
      .select('webhook_id')
      .where('webhook_id', 'in', [postHook, pageHook])
      .execute();
    expect(calls.map((c) => c.webhook_id).sort()).toEqual([postHook, pageHook].sort());
    expect(hits('/ct/post/ct-page')).toEqual([]);
    expect(hits('/ct/page/ct-post')).toEqual([]);
  });

  it('retries a 500 up to 3 attempts in all and does not retry a 404', async () => {
    scripted.set('/flaky', [500, 500]);
    scripted.set('/missing', [404, 404, 404]);
    ids.flaky = (
      await client.webhook.create({ spaceId }, { name: 'Flaky', url: `${receiverUrl}/flaky`, topics: ['Entry.save'] } as never)
    ).sys.id;
    ids.missing = (
      await client.webhook.create({ spaceId }, { name: 'Missing', url: `${receiverUrl}/missing`, topics: ['Entry.save'] } as never)
    ).sys.id;
    const entry = await client.entry.createWithId({ ...env(), entryId: 'retry-me', contentTypeId: 'post' }, { fields: {} });
    await client.entry.update({ ...env(), entryId: 'retry-me' }, { ...entry, fields: { title: { 'en-US': 'saved' } } });
    await waitFor('three attempts', () => (hits('/flaky').length >= 3 ? true : undefined));
    const health = await waitFor('the flaky call to finish', async () => {
      const h = await client.webhook.getHealthStatus({ spaceId, webhookDefinitionId: ids.flaky });
      return h.calls.total === 1 ? h : undefined;
    });
    expect(health.calls).toEqual({ total: 1, healthy: 1 });
    const missingHealth = await waitFor('the 404 call', async () => {
      const h = await client.webhook.getHealthStatus({ spaceId, webhookDefinitionId: ids.missing });
      return h.calls.total === 1 ? h : undefined;
    });
    expect(missingHealth.calls).toEqual({ total: 1, healthy: 0 });
    // Nothing more is due: a worker an hour ahead, past every retry delay, finds nothing left to send.
    const later = new WebhookWorker(server.database.db, server.services.secrets, pino({ level: 'silent' }), {
      ...server.config.webhooks,
      outbound: server.services.outbound,
      clock: new ManualClock(Date.now() + 3_600_000),
    });
    await later.runOnce();
    expect(hits('/flaky')).toHaveLength(3);
    expect(hits('/missing')).toHaveLength(1);
    await client.webhook.delete({ spaceId, webhookDefinitionId: ids.flaky });
    await client.webhook.delete({ spaceId, webhookDefinitionId: ids.missing });
  });
});

describe('durability', () => {
  it('pending deliveries resume after a restart of the server', async () => {
    const { database, drop } = await createTestDatabase();
    await migrate(database);
    const dataDir = `${server.config.dataDir}-restart`;
    const config = loadConfig({
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_CMA_PER_SECOND: '0',
      RATE_LIMIT_CMA_PER_HOUR: '0',
      LOG_LEVEL: 'silent',
      ...WEBHOOK_ENV,
      WEBHOOK_POLL_MS: '60000',
    });
    try {
      const first = await buildApp({ config, database, logger: pino({ level: 'silent' }) });
      await bootstrap(database, first.services);
      const actor = await first.services.accessTokens.authenticate(ADMIN_TOKEN);
      const space = await first.services.spaces.create(actor, { name: 'Restart' });
      await first.services.webhooks.put(
        actor,
        space.sys.id,
        'later',
        { name: 'Later', url: `${receiverUrl}/resumed`, topics: ['ContentType.*'] },
        undefined,
      );
      const scope = await first.services.environmentScopes.resolve(actor, space.sys.id, 'master');
      await first.services.contentTypes.createOrUpdate(actor, scope, 'thing', { name: 'Thing', fields: [] }, undefined);
      await first.services.webhookWorker.dispatch();
      await first.close();
      expect(hits('/resumed')).toHaveLength(0);
      const pending = await database.db.selectFrom('webhook_calls').select('status').execute();
      expect(pending.map((p) => p.status)).toEqual(['pending']);

      const second = await buildApp({
        config: { ...config, webhooks: { ...config.webhooks, pollMs: 20 } },
        database,
        logger: pino({ level: 'silent' }),
      });
      await waitFor('the resumed call', () => hits('/resumed')[0]);
      await second.close();
      expect(hits('/resumed')[0].headers['x-contentful-topic']).toBe('ContentManagement.ContentType.create');
    } finally {
      await drop();
    }
  });
});

/** Makes `target` create a webhook to the local receiver's `path`, triggers it, and waits for the failed call. */
async function failedCallTo(target: TestServer, name: string, path: string) {
  const c = target.plainClient();
  const space = (await c.space.create({}, { name })).sys.id;
  const hook = await c.webhook.create({ spaceId: space }, {
    name: 'Local',
    url: `${receiverUrl}${path}`,
    topics: ['ContentType.*'],
  } as never);
  await c.contentType.create({ spaceId: space, environmentId: 'master' }, { name: 'Thing', fields: [] } as never);
  const list = await waitFor('the refused call', async () => {
    const calls = await c.webhook.getManyCallDetails({ spaceId: space, webhookDefinitionId: hook.sys.id });
    return calls.items.some((i) => (i as unknown as { status: string }).status === 'failed') ? calls : undefined;
  });
  return { client: c, space, hook, list };
}

describe('private networks', () => {
  it('refuses loopback targets when WEBHOOK_BLOCK_PRIVATE_NETWORKS=true', async () => {
    const blocked = await startTestServer({ ...WEBHOOK_TIMING, WEBHOOK_BLOCK_PRIVATE_NETWORKS: 'true' });
    try {
      const { list } = await failedCallTo(blocked, 'Blocked', '/blocked');
      expect(JSON.stringify(list.items[0].errors)).toContain('private network');
      expect(hits('/blocked')).toHaveLength(0);
    } finally {
      await blocked.close();
    }
  });

  it('refuses a loopback receiver by default and records the failed call with the reason, without retrying', async () => {
    const guarded = await startTestServer(WEBHOOK_TIMING);
    try {
      expect(guarded.config.outboundAllowPrivateNetworks).toBe(false);
      const { client: c, space, hook, list } = await failedCallTo(guarded, 'Default', '/default-refused');
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({
        url: `${receiverUrl}/default-refused`,
        statusCode: null,
        status: 'failed',
        attempts: 1,
        errors: ['Refused: 127.0.0.1 is a loopback address (set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true to allow private networks)'],
      });
      const health = await c.webhook.getHealthStatus({ spaceId: space, webhookDefinitionId: hook.sys.id });
      expect(health.calls).toEqual({ total: 1, healthy: 0 });
      expect(hits('/default-refused')).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });

  it("records a redirect as the receiver's answer without following it", async () => {
    const target = http.createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/moved`;
      const hook = await client.webhook.create({ spaceId }, { name: 'Moved', url, topics: ['ContentType.*'] } as never);
      await client.contentType.create(env(), { name: 'Moved', fields: [] } as never);
      const list = await waitFor('the redirected call', async () => {
        const calls = await client.webhook.getManyCallDetails({ spaceId, webhookDefinitionId: hook.sys.id });
        return calls.items.some((i) => (i as unknown as { status: string }).status === 'failed') ? calls : undefined;
      });
      expect(list.items[0]).toMatchObject({ url, statusCode: 302, status: 'failed', attempts: 1, errors: ['The receiver answered 302'] });
      await client.webhook.delete({ spaceId, webhookDefinitionId: hook.sys.id });
    } finally {
      target.closeAllConnections();
      target.close();
    }
  });
});
