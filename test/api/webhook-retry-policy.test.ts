import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSettingSys, expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { type ReceivedCall, startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The space's webhook retry policy (`webhook.getRetryPolicy`, `upsertRetryPolicy`, `deleteRetryPolicy`)
 * and the delivery worker's attempts under it: Contentful's default of 2 retries, `maxRetries` from 2 to 99.
 */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
/** Status codes to answer per path, consumed in order; 200 once exhausted. A path in `failing` always answers 500. */
const scripted = new Map<string, number[]>();
const failing = new Set<string>();
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

const space = () => ({ spaceId });
const hits = (path: string) => receiver.calls.filter((c) => c.path === path);

function answer(call: ReceivedCall): number {
  if (failing.has(call.path)) return 500;
  return scripted.get(call.path)?.shift() ?? 200;
}

/** A webhook to `path` that hears of content type creation; returns its id once one content type was created. */
async function callTo(path: string): Promise<string> {
  const hook = await client.webhook.create(space(), {
    name: path,
    url: `${receiver.url}${path.slice(1)}`,
    topics: ['ContentType.create'],
  } as never);
  await client.contentType.create({ spaceId, environmentId: 'master' }, { name: path, fields: [] } as never);
  return hook.sys.id;
}

/** The call of a webhook once it is no longer pending. */
async function finishedCall(webhookDefinitionId: string) {
  return waitFor('the call to finish', async () => {
    const list = await client.webhook.getManyCallDetails({ spaceId, webhookDefinitionId });
    const item = list.items[0] as unknown as { status: string; attempts: number; statusCode: number } | undefined;
    return item && item.status !== 'pending' && item;
  });
}

beforeAll(async () => {
  receiver = await startWebhookReceiver(answer);
  // Short delays for the first retries; past them each retry would wait a minute longer.
  server = await startTestServer({
    WEBHOOK_POLL_MS: '20',
    WEBHOOK_RETRY_DELAYS_MS: '20,20,20,20,20,20',
    WEBHOOK_TIMEOUT_MS: '2000',
    OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
  });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Retry policy' })).sys.id;
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('the retry policy', () => {
  it('is not there until set: get and delete answer 404', async () => {
    await expectSdkError(client.webhook.getRetryPolicy(space()), 404, 'NotFound');
    await expectSdkError(client.webhook.deleteRetryPolicy(space()), 404, 'NotFound');
  });

  it('is set, changed, read and deleted through the SDK', async () => {
    const set = await client.webhook.upsertRetryPolicy(space(), { maxRetries: 15 });
    expect(set).toEqual({
      maxRetries: 15,
      sys: expectedSettingSys('WebhookRetryPolicy', spaceId, server.adminUserId, 1),
    });
    const changed = await client.webhook.upsertRetryPolicy(space(), { maxRetries: 19 });
    expect(changed.maxRetries).toBe(19);
    expect((changed.sys as unknown as { version: number }).version).toBe(2);
    expect((await client.webhook.getRetryPolicy(space())).maxRetries).toBe(19);
    await client.webhook.deleteRetryPolicy(space());
    await expectSdkError(client.webhook.getRetryPolicy(space()), 404, 'NotFound');
  });

  it('takes the bounds 2 and 99', async () => {
    expect((await client.webhook.upsertRetryPolicy(space(), { maxRetries: 2 })).maxRetries).toBe(2);
    expect((await client.webhook.upsertRetryPolicy(space(), { maxRetries: 99 })).maxRetries).toBe(99);
    await client.webhook.deleteRetryPolicy(space());
  });

  const invalid: [string, unknown][] = [
    ['1', 1],
    ['100', 100],
    ['2.5', 2.5],
    ['the string "3"', '3'],
    ['nothing', undefined],
  ];
  for (const [label, maxRetries] of invalid) {
    it(`refuses maxRetries ${label} with 422 at maxRetries`, async () => {
      const error = await expectSdkError(client.webhook.upsertRetryPolicy(space(), { maxRetries } as never), 422, 'ValidationFailed');
      expect((error.details.errors as { path: string[] }[]).map((e) => e.path.join('.'))).toEqual(['maxRetries']);
      await expectSdkError(client.webhook.getRetryPolicy(space()), 404, 'NotFound');
    });
  }
});

describe('deliveries under the retry policy', () => {
  it('make 3 attempts in all without a policy', async () => {
    failing.add('/default');
    const hook = await callTo('/default');
    expect(await finishedCall(hook)).toMatchObject({ status: 'failed', attempts: 3, statusCode: 500 });
    expect(hits('/default')).toHaveLength(3);
  });

  it('make maxRetries + 1 attempts in all with one', async () => {
    await client.webhook.upsertRetryPolicy(space(), { maxRetries: 5 });
    failing.add('/five-retries');
    const hook = await callTo('/five-retries');
    expect(await finishedCall(hook)).toMatchObject({ status: 'failed', attempts: 6, statusCode: 500 });
    expect(hits('/five-retries')).toHaveLength(6);
    await client.webhook.deleteRetryPolicy(space());
  });

  it('retry a 429 as Contentful does, and stop at the first success', async () => {
    scripted.set('/busy', [429, 503]);
    const hook = await callTo('/busy');
    expect(await finishedCall(hook)).toMatchObject({ status: 'success', attempts: 3, statusCode: 200 });
    expect(hits('/busy')).toHaveLength(3);
  });
});
