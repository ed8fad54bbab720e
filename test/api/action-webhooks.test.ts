import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The webhook topics of Contentful's action events: `ScheduledAction.*`, `BulkAction.*`, `Release.*` and
 * `ReleaseAction.*`, each call carrying the action as it is after the change.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let receiver: http.Server;
const calls: { topic: string; headers: http.IncomingHttpHeaders; body: { sys: { id: string; type: string; status?: string } } }[] = [];
const env = () => ({ spaceId, environmentId: 'master' });
const link = <T extends 'Entry' | 'Environment'>(linkType: T, id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
const topicsOf = (id: string) => calls.filter((c) => c.body.sys.id === id).map((c) => c.topic);

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push({ topic: String(req.headers['x-contentful-topic']), headers: req.headers, body: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  server = await startTestServer({ WEBHOOK_POLL_MS: '20', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Action events' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: true }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
  await cma.webhook.create({ spaceId }, {
    name: 'Actions',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
    topics: ['ScheduledAction.*', 'BulkAction.*', 'Release.*', 'ReleaseAction.*', 'Entry.publish'],
  } as never);
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('action event webhooks', () => {
  it('calls ScheduledAction.create, save and delete', async () => {
    await cma.entry.createWithId({ ...env(), entryId: 'later', contentTypeId: 'post' }, {
      fields: { title: { 'en-US': 'Later' } },
    } as never);
    const datetime = new Date(Date.now() + 3_600_000).toISOString();
    const action = await cma.scheduledActions.create(
      { spaceId },
      { entity: link('Entry', 'later'), environment: link('Environment', 'master'), action: 'publish', scheduledFor: { datetime } },
    );
    const { sys, ...payload } = action;
    await cma.scheduledActions.update(
      { spaceId, scheduledActionId: sys.id, version: sys.version },
      { ...payload, scheduledFor: { datetime, timezone: 'UTC' } },
    );
    await cma.scheduledActions.delete({ spaceId, environmentId: 'master', scheduledActionId: sys.id });
    const topics = await waitFor('three scheduled action calls', () => (topicsOf(sys.id).length === 3 ? topicsOf(sys.id) : undefined));
    expect(topics).toEqual([
      'ContentManagement.ScheduledAction.create',
      'ContentManagement.ScheduledAction.save',
      'ContentManagement.ScheduledAction.delete',
    ]);
    expect(calls.filter((c) => c.body.sys.id === sys.id).at(-1)?.body.sys.status).toBe('canceled');
  });

  it('calls BulkAction.create and execute, with the outcome', async () => {
    const entry = await cma.entry.createWithId({ ...env(), entryId: 'bulk', contentTypeId: 'post' }, {
      fields: { title: { 'en-US': 'Bulk' } },
    } as never);
    const bulk = await cma.bulkAction.publish(env(), {
      entities: { sys: { type: 'Array' }, items: [{ sys: { ...link('Entry', 'bulk').sys, version: entry.sys.version } }] },
    });
    const topics = await waitFor('two bulk action calls', () => (topicsOf(bulk.sys.id).length === 2 ? topicsOf(bulk.sys.id) : undefined));
    expect(topics).toEqual(['ContentManagement.BulkAction.create', 'ContentManagement.BulkAction.execute']);
    expect(calls.filter((c) => c.body.sys.id === bulk.sys.id).at(-1)?.body.sys.status).toBe('succeeded');
    // The entry's own publish call names the bulk action that made it.
    const publish = await waitFor('the entry publish call', () =>
      calls.find((c) => c.body.sys.id === 'bulk' && c.topic === 'ContentManagement.Entry.publish'),
    );
    expect(publish.headers['x-contentful-bulk-action-id']).toBe(bulk.sys.id);
  });

  it('calls Release.create, save, archive and delete, and ReleaseAction.create and execute', async () => {
    await cma.entry.createWithId({ ...env(), entryId: 'released', contentTypeId: 'post' }, {
      fields: { title: { 'en-US': 'Released' } },
    } as never);
    const release = await cma.release.create(env(), {
      title: 'R',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'released')] },
    });
    const saved = await cma.release.update(
      { ...env(), releaseId: release.sys.id, version: release.sys.version },
      { title: 'R2', entities: release.entities },
    );
    const publishing = await cma.release.publish({ ...env(), releaseId: release.sys.id, version: saved.sys.version });
    const actionTopics = await waitFor('two release action calls', () =>
      topicsOf(publishing.sys.id).length === 2 ? topicsOf(publishing.sys.id) : undefined,
    );
    expect(actionTopics).toEqual(['ContentManagement.ReleaseAction.create', 'ContentManagement.ReleaseAction.execute']);
    const published = await waitFor('the released entry publish call', () =>
      calls.find((c) => c.body.sys.id === 'released' && c.topic === 'ContentManagement.Entry.publish'),
    );
    expect([published.headers['x-contentful-release-id'], published.headers['x-contentful-release-action-id']]).toEqual([
      release.sys.id,
      publishing.sys.id,
    ]);
    const current = await cma.release.get({ ...env(), releaseId: release.sys.id });
    await cma.release.archive({ ...env(), releaseId: release.sys.id, version: current.sys.version });
    await cma.release.delete({ ...env(), releaseId: release.sys.id });
    const releaseTopics = await waitFor('four release calls', () =>
      topicsOf(release.sys.id).length === 4 ? topicsOf(release.sys.id) : undefined,
    );
    expect(releaseTopics).toEqual([
      'ContentManagement.Release.create',
      'ContentManagement.Release.save',
      'ContentManagement.Release.archive',
      'ContentManagement.Release.delete',
    ]);
  });
});
