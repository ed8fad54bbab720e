import { signRequest as toolkitSignRequest, verifyRequest } from '@contentful/node-apps-toolkit';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../src/events/request-signing.js';
import { retryDelayMs } from '../../src/events/webhook-retries.js';

const SECRET = 'qlfkupAwYA4ZkNnmBzmNypFqSRWOwhpGRFwQFn5iPNAGHSYdvwed1C77n0Eiaz19';

describe("Contentful's request signature", () => {
  const requests: { method: 'POST' | 'GET' | 'PUT'; path: string; headers: Record<string, string>; body: string }[] = [
    {
      method: 'POST',
      path: '/hooks/publish',
      headers: { 'Content-Type': 'application/vnd.contentful.management.v1+json', 'X-Contentful-Topic': 'ContentManagement.Entry.publish' },
      body: '{"sys":{"id":"e1"}}',
    },
    { method: 'GET', path: '/search?q=a b&tags[]=x,y', headers: { ' X-Padded ': '  spaced value  ' }, body: '' },
    { method: 'PUT', path: '/caf%C3%A9/ünïcode?x=%2F', headers: {}, body: 'é' },
  ];

  for (const request of requests) {
    it(`is what node-apps-toolkit's signRequest makes: ${request.method} ${request.path}`, () => {
      const timestamp = Date.UTC(2025, 0, 1);
      const ours = signRequest(SECRET, request, timestamp);
      expect(ours).toEqual(toolkitSignRequest(SECRET, request, timestamp));
      expect(verifyRequest(SECRET, { ...request, headers: { ...request.headers, ...ours } }, 0)).toBe(true);
    });
  }
});

describe('retry delays', () => {
  it('are the configured ones, then one minute longer each, up to 15 minutes', () => {
    const configured = [30_000, 30_000];
    expect([1, 2, 3, 4, 14, 15, 99].map((retry) => retryDelayMs(retry, configured))).toEqual([
      30_000, 30_000, 90_000, 150_000, 750_000, 810_000, 900_000,
    ]);
    expect(retryDelayMs(3, [20 * 60_000])).toBe(20 * 60_000);
  });
});
