import { randomBytes } from 'node:crypto';
import { ExpiredRequestException, verifyRequest } from '@contentful/node-apps-toolkit';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectedSettingSys, expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser } from '../helpers/users.js';
import { waitFor } from '../helpers/wait.js';
import { type ReceivedCall, startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The space's webhook signing secret (`webhook.upsertSigningSecret`, `getSigningSecret`,
 * `deleteSigningSecret`) and the request signature every webhook call of the space then carries, checked
 * with Contentful's own `verifyRequest`.
 */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let webhookId: string;
/** 64 characters of the hex alphabet, as Contentful's guide makes one. */
const SECRET = randomBytes(32).toString('hex');
const OTHER_SECRET = randomBytes(48).toString('base64url');

const space = () => ({ spaceId });
let contentTypes = 0;

/** Makes a change that the webhook hears of, and waits for its call. */
async function nextCall(): Promise<ReceivedCall> {
  const seen = receiver.calls.length;
  await client.contentType.create({ spaceId, environmentId: 'master' }, { name: `Thing ${++contentTypes}`, fields: [] } as never);
  return waitFor('the webhook call', () => receiver.calls[seen]);
}

/** A received call as `verifyRequest` takes it. */
const canonical = (call: ReceivedCall) => ({
  method: call.method as 'POST',
  path: call.path,
  headers: call.headers as Record<string, string>,
  body: call.raw,
});

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '2000', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Signed webhooks' })).sys.id;
  webhookId = (
    await client.webhook.create(space(), {
      name: 'Signed',
      url: `${receiver.url}hooks/signed?source=cms&note=a b`,
      topics: ['ContentType.create'],
      headers: [
        { key: 'X-Team', value: 'web' },
        { key: 'X-Api-Key', value: 'key-value-1', secret: true },
      ],
    } as never)
  ).sys.id;
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('the signing secret', () => {
  it('is not there until set: get and delete answer 404', async () => {
    await expectSdkError(client.webhook.getSigningSecret(space()), 404, 'NotFound');
    await expectSdkError(client.webhook.deleteSigningSecret(space()), 404, 'NotFound');
  });

  it('is set and replaced through the SDK, shown only as its last 4 characters and stored sealed', async () => {
    const set = await client.webhook.upsertSigningSecret(space(), { value: OTHER_SECRET });
    expect(set).toEqual({
      value: OTHER_SECRET,
      redactedValue: OTHER_SECRET.slice(-4),
      sys: expectedSettingSys('WebhookSigningSecret', spaceId, server.adminUserId, 1),
    });
    const replaced = await client.webhook.upsertSigningSecret(space(), { value: SECRET });
    expect(replaced.redactedValue).toBe(SECRET.slice(-4));
    expect((replaced.sys as unknown as { version: number }).version).toBe(2);
    const read = await client.webhook.getSigningSecret(space());
    expect([read.redactedValue, 'value' in read]).toEqual([SECRET.slice(-4), false]);
    // The legacy client's space methods reach the same endpoint.
    const legacySpace = await server.legacyClient().getSpace(spaceId);
    expect((await legacySpace.getWebhookSigningSecret()).redactedValue).toBe(SECRET.slice(-4));
    const stored = await server.database.db.selectFrom('webhook_signing_secrets').selectAll().where('space_id', '=', spaceId).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });

  const invalid: [string, string][] = [
    ['63 characters', SECRET.slice(1)],
    ['65 characters', `${SECRET}a`],
    ['a character outside [0-9a-zA-Z+/=_-]', `${SECRET.slice(1)}!`],
  ];
  for (const [label, value] of invalid) {
    it(`refuses a secret of ${label} with 422 at value`, async () => {
      const error = await expectSdkError(client.webhook.upsertSigningSecret(space(), { value }), 422, 'ValidationFailed');
      expect((error.details.errors as { path: string[] }[]).map((e) => e.path.join('.'))).toEqual(['value']);
      expect((await client.webhook.getSigningSecret(space())).redactedValue).toBe(SECRET.slice(-4));
    });
  }

  it('is read and written only by those who manage the space settings', async () => {
    const role = await client.role.create(space(), {
      name: 'Model reader',
      permissions: { ContentModel: ['read'] },
      policies: [],
    } as never);
    const member = await organizationUser(server, 'signing-member@example.com', { spaceId, roleId: role.sys.id });
    await expectSdkError(member.client.webhook.getSigningSecret(space()), 403, 'AccessDenied');
    await expectSdkError(member.client.webhook.upsertSigningSecret(space(), { value: OTHER_SECRET }), 403, 'AccessDenied');
    await expectSdkError(member.client.webhook.deleteSigningSecret(space()), 403, 'AccessDenied');
    expect((await client.webhook.getSigningSecret(space())).redactedValue).toBe(SECRET.slice(-4));
  });
});

describe('signed calls', () => {
  it("carry Contentful's signature headers, which verifyRequest accepts with the secret", async () => {
    const call = await nextCall();
    expect(call.path).toBe('/hooks/signed?source=cms&note=a%20b');
    expect(call.headers['x-contentful-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(call.headers['x-contentful-timestamp'])).toBeGreaterThan(Date.now() - 30_000);
    // Every header the call was given is signed: Contentful's, the webhook's own (secret ones too).
    expect(String(call.headers['x-contentful-signed-headers']).split(',')).toEqual([
      'content-type',
      'x-api-key',
      'x-contentful-signed-headers',
      'x-contentful-timestamp',
      'x-contentful-topic',
      'x-contentful-webhook-name',
      'x-contentful-webhook-request-id',
      'x-team',
    ]);
    expect(verifyRequest(SECRET, canonical(call))).toBe(true);
    expect(verifyRequest(OTHER_SECRET, canonical(call))).toBe(false);
  });

  it('fail verification when the body, a signed header or the path was changed on the way', async () => {
    const call = await nextCall();
    const request = canonical(call);
    expect(verifyRequest(SECRET, { ...request, body: request.body.replace('Thing', 'Th1ng') })).toBe(false);
    expect(verifyRequest(SECRET, { ...request, headers: { ...request.headers, 'x-team': 'ops' } })).toBe(false);
    expect(verifyRequest(SECRET, { ...request, path: '/hooks/signed?source=elsewhere' })).toBe(false);
    expect(verifyRequest(SECRET, { ...request, method: 'PUT' })).toBe(false);
  });

  it('fail verification when replayed after the time window', async () => {
    const call = await nextCall();
    const signedAt = Number(call.headers['x-contentful-timestamp']);
    vi.useFakeTimers({ toFake: ['Date'], now: signedAt + 31_000 });
    try {
      expect(() => verifyRequest(SECRET, canonical(call))).toThrow(ExpiredRequestException);
      expect(verifyRequest(SECRET, canonical(call), 60)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('show in the call log with their signature headers, secret values masked', async () => {
    const call = await nextCall();
    const hook = { spaceId, webhookDefinitionId: webhookId };
    const details = await waitFor('the logged call', async () => {
      const list = await client.webhook.getManyCallDetails(hook);
      const all = await Promise.all(list.items.map((item) => client.webhook.getCallDetails({ ...hook, callId: item.sys.id })));
      return all.some((d) => d.request?.headers['x-contentful-signature'] === call.headers['x-contentful-signature']) && all;
    });
    const same = details
      .map((d) => d.request.headers)
      .find((headers) => headers['x-contentful-signature'] === call.headers['x-contentful-signature']);
    expect(same).toMatchObject({
      'X-Api-Key': '***',
      'X-Team': 'web',
      'x-contentful-signed-headers': call.headers['x-contentful-signed-headers'],
      'x-contentful-timestamp': call.headers['x-contentful-timestamp'],
    });
    expect(JSON.stringify(details)).not.toContain('key-value-1');
    expect(JSON.stringify(details)).not.toContain(SECRET);
  });

  it('stop once the secret is deleted', async () => {
    await client.webhook.deleteSigningSecret(space());
    await expectSdkError(client.webhook.getSigningSecret(space()), 404, 'NotFound');
    const call = await nextCall();
    expect(call.headers['x-contentful-signature']).toBeUndefined();
    expect(call.headers['x-contentful-signed-headers']).toBeUndefined();
    expect(call.headers['x-contentful-timestamp']).toBeUndefined();
  });
});
