import { randomBytes } from 'node:crypto';
import { verifyRequest } from '@contentful/node-apps-toolkit';
import type { PlainClientAPI } from 'contentful-management';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookWorker } from '../../src/events/webhook-worker.js';
import { OutboundClient } from '../../src/outbound/client.js';
import { expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { hasValidSigV4, parseAuthorization } from '../helpers/sigv4.js';
import { type ReceivedCall, startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The AWS Webhook Integration: webhooks with `X-Contentful-AWS-Proxy-*` headers are sent signed with AWS
 * Signature Version 4 for the service and region their URL names, checked at a local receiver with the
 * tests' own SigV4 implementation (test/helpers/sigv4.ts, checked against AWS's worked example).
 *
 * The URLs are real AWS forms (`sqs.us-east-1.amazonaws.com`, `lambda.eu-west-1.awsproxy.contentful.com`)
 * with the receiver's port, over http. What stands in for AWS is name resolution: these tests deliver with
 * a worker of their own whose outbound client resolves every `amazonaws.com` name to the receiver on
 * 127.0.0.1 (the client's `lookup` option, which exists for tests) and lets only that address and port
 * through the private-network policy. The server's own worker does not poll during these tests.
 */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let outbound: OutboundClient;
let worker: WebhookWorker;
/** Names the outbound client was asked to resolve. */
const resolved: string[] = [];
const clock = new ManualClock(Date.UTC(2025, 2, 4, 5, 6, 7));
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const space = () => ({ spaceId });

const proxyHeaders = (extra: { key: string; value: string; secret?: boolean }[] = []) => [
  { key: 'X-Contentful-AWS-Proxy-Key-Id', value: 'AKIDEXAMPLE' },
  { key: 'X-Contentful-AWS-Proxy-Secret', value: SECRET_ACCESS_KEY, secret: true },
  ...extra,
];

/** Creates the webhook, makes a change it hears of and delivers its call; returns the call received and its log. */
async function deliver(name: string, url: string, headers: { key: string; value: string; secret?: boolean }[]) {
  const hook = await client.webhook.create(space(), { name, url, topics: ['ContentType.create'], headers } as never);
  const seen = receiver.calls.length;
  await client.contentType.create({ spaceId, environmentId: 'master' }, { name, fields: [] } as never);
  await worker.runOnce();
  const call: ReceivedCall = receiver.calls[seen];
  expect(call, 'the call reached the receiver').toBeDefined();
  const [overview] = (await client.webhook.getManyCallDetails({ spaceId, webhookDefinitionId: hook.sys.id })).items;
  const details = await client.webhook.getCallDetails({ spaceId, webhookDefinitionId: hook.sys.id, callId: overview.sys.id });
  await client.webhook.delete({ spaceId, webhookDefinitionId: hook.sys.id });
  return { call, details };
}

/** A received call as the SigV4 check takes it. */
const asRequest = (call: ReceivedCall) => ({ method: call.method, path: call.path, headers: call.headers, body: call.raw });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ WEBHOOK_POLL_MS: '3600000' });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'AWS webhooks' })).sys.id;
  outbound = new OutboundClient({
    allowPrivateNetworks: false,
    lookup: async (hostname) => {
      resolved.push(hostname);
      if (!hostname.endsWith('.amazonaws.com')) throw new Error(`unexpected name ${hostname}`);
      return [{ address: '127.0.0.1', family: 4 }];
    },
    allowTargets: [{ address: '127.0.0.1', port: receiver.port }],
  });
  worker = new WebhookWorker(server.database.db, server.services.secrets, pino({ level: 'silent' }), {
    ...server.config.webhooks,
    outbound,
    clock,
  });
});
afterAll(async () => {
  await outbound?.close();
  await server?.close();
  await receiver?.close();
});

describe('AWS webhooks', () => {
  it('are signed with SigV4 for the service and region of their URL, without the proxy headers', async () => {
    const url = `http://sqs.us-east-1.amazonaws.com:${receiver.port}/123456789012/content-events?Action=SendMessage`;
    const { call, details } = await deliver(
      'SQS',
      url,
      proxyHeaders([
        { key: 'X-Contentful-AWS-Proxy-Content-Type', value: 'application/x-amz-json-1.0' },
        { key: 'X-Team', value: 'web' },
      ]),
    );
    expect(call.path).toBe('/123456789012/content-events?Action=SendMessage');
    expect(call.headers).toMatchObject({
      host: `sqs.us-east-1.amazonaws.com:${receiver.port}`,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-date': '20250304T050607Z',
      'x-team': 'web',
      'x-contentful-topic': 'ContentManagement.ContentType.create',
    });
    expect(Object.keys(call.headers).filter((name) => name.startsWith('x-contentful-aws-proxy'))).toEqual([]);
    const auth = parseAuthorization(String(call.headers.authorization));
    expect(auth).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', date: '20250304', region: 'us-east-1', service: 'sqs' });
    expect(auth.signedHeaders).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-contentful-topic', 'x-team']));
    expect(hasValidSigV4(asRequest(call), SECRET_ACCESS_KEY)).toBe(true);
    expect(hasValidSigV4({ ...asRequest(call), body: call.raw.replace('"SQS"', '"SNS"') }, SECRET_ACCESS_KEY)).toBe(false);
    expect(hasValidSigV4(asRequest(call), 'another-secret-key')).toBe(false);

    // The call log shows what was sent: no proxy headers, the signature masked, no secret anywhere.
    expect(details.request.url).toBe(url);
    expect(details.request.headers).toMatchObject({
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Team': 'web',
      'X-Amz-Date': '20250304T050607Z',
      Authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20250304\/us-east-1\/sqs\/aws4_request, SignedHeaders=.*, Signature=\*\*\*$/,
      ),
    });
    expect(Object.keys(details.request.headers).some((name) => name.toLowerCase().startsWith('x-contentful-aws-proxy'))).toBe(false);
    expect(JSON.stringify(details)).not.toContain(SECRET_ACCESS_KEY);
    expect(JSON.stringify(details)).not.toContain(auth.signature);
  });

  it("call an awsproxy.contentful.com URL at its amazonaws.com host, with the webhook's content type when none is asked for", async () => {
    const { call, details } = await deliver(
      'Lambda',
      `http://lambda.eu-west-1.awsproxy.contentful.com:${receiver.port}/2015-03-31/functions/publish/invocations`,
      proxyHeaders(),
    );
    expect(call.headers.host).toBe(`lambda.eu-west-1.amazonaws.com:${receiver.port}`);
    expect(call.headers['content-type']).toBe('application/vnd.contentful.management.v1+json');
    expect(parseAuthorization(String(call.headers.authorization))).toMatchObject({ region: 'eu-west-1', service: 'lambda' });
    expect(hasValidSigV4(asRequest(call), SECRET_ACCESS_KEY)).toBe(true);
    expect(details.request.url).toBe(`http://lambda.eu-west-1.amazonaws.com:${receiver.port}/2015-03-31/functions/publish/invocations`);
    expect(resolved).not.toContain('lambda.eu-west-1.awsproxy.contentful.com');
  });

  it("carry the space's request signature too, under the SigV4 signature", async () => {
    const signingSecret = randomBytes(32).toString('hex');
    await client.webhook.upsertSigningSecret(space(), { value: signingSecret });
    try {
      const { call } = await deliver(
        'Signed both ways',
        `http://abc123.execute-api.ap-southeast-2.amazonaws.com:${receiver.port}/prod/hooks`,
        proxyHeaders(),
      );
      expect(parseAuthorization(String(call.headers.authorization))).toMatchObject({ region: 'ap-southeast-2', service: 'execute-api' });
      expect(hasValidSigV4(asRequest(call), SECRET_ACCESS_KEY)).toBe(true);
      // Signed at the worker's (manual) time: the receiver's time window is left out of this check.
      const canonical = { method: 'POST' as const, path: call.path, headers: call.headers as Record<string, string>, body: call.raw };
      expect(verifyRequest(signingSecret, canonical, 0)).toBe(true);
      expect(call.headers['x-contentful-timestamp']).toBe(String(clock.now()));
    } finally {
      await client.webhook.deleteSigningSecret(space());
    }
  });

  const invalid: [string, string, { key: string; value: string; secret?: boolean }[], string][] = [
    ['a URL that names no AWS service', 'https://hooks.example.com/aws', proxyHeaders(), 'must name an AWS service and region'],
    [
      'a key id without its secret',
      'https://sqs.us-east-1.amazonaws.com/1/q',
      [{ key: 'X-Contentful-AWS-Proxy-Key-Id', value: 'AKIDEXAMPLE' }],
      'needs both',
    ],
  ];
  for (const [label, url, headers, message] of invalid) {
    it(`are refused with 422 at headers for ${label}`, async () => {
      const error = await expectSdkError(
        client.webhook.create(space(), { name: 'Bad AWS', url, topics: ['Entry.publish'], headers } as never),
        422,
        'ValidationFailed',
      );
      const errors = error.details.errors as { path: string[]; details: string }[];
      expect(errors.map((e) => e.path.join('.'))).toEqual(['headers']);
      expect(errors[0].details).toContain(message);
    });
  }
});
