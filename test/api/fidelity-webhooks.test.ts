import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** Issue 21: webhooks as real Contentful exports carry them, and the seed's transformation helpers. */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let receiver: http.Server;
let receiverUrl: string;
const received: { path: string; body: string }[] = [];

const env = () => ({ spaceId, environmentId: 'master' });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // The receiver listens on 127.0.0.1, so this server allows private networks.
  server = await startTestServer({ WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '2000', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Fidelity webhooks' })).sys.id;
  const ct = await client.contentType.createWithId({ ...env(), contentTypeId: 'article' }, {
    name: 'Article',
    fields: [{ id: 'content', name: 'Content', type: 'Text' }],
  } as never);
  await client.contentType.publish({ ...env(), contentTypeId: 'article' }, ct);
});
afterAll(async () => {
  await server?.close();
  receiver?.close();
});

describe('webhook topics', () => {
  it('accepts every entity type and action Contentful documents, as its exports carry them', async () => {
    const topics = [
      'Task.create',
      'Task.save',
      'Task.delete',
      'Comment.create',
      'Comment.delete',
      'Release.*',
      'Release.archive',
      'ReleaseAction.*',
      'ReleaseAction.execute',
      'Workflow.*',
      'Workflow.complete',
      'ScheduledAction.*',
      'ScheduledAction.execute',
      'BulkAction.*',
      'BulkAction.execute',
      'BulkContentOperation.complete',
      'AppInstallation.*',
      'AppInstallation.update',
      'Tag.*',
      'Snapshot.*',
      'ContentType.*',
      'Entry.*',
      'Asset.*',
      '*.*',
      '*.execute',
    ];
    const created = await client.webhook.create({ spaceId }, { name: 'Everything', url: `${receiverUrl}/all`, topics } as never);
    expect(created.topics).toEqual(topics);
    const read = await client.webhook.get({ spaceId, webhookDefinitionId: created.sys.id });
    expect(read.topics).toEqual(topics);
    await client.webhook.delete({ spaceId, webhookDefinitionId: created.sys.id });
  });

  for (const topic of ['Entry.explode', 'Widget.save', 'Entry', 'entry.save', 'Entry.save.now', '*']) {
    it(`still refuses the malformed topic ${JSON.stringify(topic)} with 422 at topics.1`, async () => {
      const error = await expectSdkError(
        client.webhook.create({ spaceId }, { name: 'x', url: 'http://h.example/x', topics: ['Task.save', topic] } as never),
        422,
        'ValidationFailed',
      );
      expect(error.details.errors).toEqual([
        { name: 'invalid', path: ['topics', 1], value: topic, details: 'must be <Type>.<action> with * wildcards' },
      ]);
    });
  }

  it('fires a webhook whose other topics the server does not emit for the events it does', async () => {
    const hook = await client.webhook.create({ spaceId }, {
      name: 'Mixed',
      url: `${receiverUrl}/mixed/{ /payload/sys/id }`,
      topics: ['Task.save', 'Release.*', 'Entry.create'],
      filters: [{ equals: [{ doc: 'sys.id' }, 'mixed-entry'] }],
    } as never);
    await client.entry.createWithId({ ...env(), entryId: 'mixed-entry', contentTypeId: 'article' }, { fields: {} });
    await waitFor('the Entry.create call', () => received.find((r) => r.path === '/mixed/mixed-entry'));
    await client.webhook.delete({ spaceId, webhookDefinitionId: hook.sys.id });
  });
});

describe('webhook transformation helpers', () => {
  it('strip-stop-words gives seed 000 example exactly (lower case keywords)', async () => {
    const hook = await client.webhook.create({ spaceId }, {
      name: 'Keywords',
      url: `${receiverUrl}/keywords`,
      topics: ['Entry.create'],
      filters: [{ equals: [{ doc: 'sys.id' }, 'art'] }],
      transformation: { body: { keywords: '{ strip-stop-words /payload/fields/content/en-US }' } },
    } as never);
    await client.entry.createWithId(
      { ...env(), entryId: 'art', contentTypeId: 'article' },
      { fields: { content: { 'en-US': 'Art is the expression or application of human creative skill and imagination' } } },
    );
    const call = await waitFor('the keywords call', () => received.find((r) => r.path === '/keywords'));
    expect(JSON.parse(call.body)).toEqual({ keywords: 'art expression application human creative skill imagination' });
    await client.webhook.delete({ spaceId, webhookDefinitionId: hook.sys.id });
  });
});
