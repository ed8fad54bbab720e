import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const METRICS_TOKEN = 'metrics-scrape-token-1234';
const CDA_PER_SECOND = 3;

/** One sample line of the text exposition format: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/y;

/** Parses Prometheus' text format strictly: a line that is not a comment, blank or a well-formed sample fails the test. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const at = LABEL.lastIndex;
      const label = LABEL.exec(body);
      if (!label) throw new Error(`bad labels at ${at} in: ${line}`);
      labels[label[1]] = label[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      if (body[LABEL.lastIndex] === ',') LABEL.lastIndex++;
    }
    // Prometheus reads values with Go's ParseFloat, which takes NaN in any case (prom-client writes `Nan`).
    const value = sample[3] === '+Inf' ? Infinity : sample[3] === '-Inf' ? -Infinity : Number(sample[3]);
    if (Number.isNaN(value) && sample[3].toLowerCase() !== 'nan') throw new Error(`bad value in: ${line}`);
    samples.push({ name: sample[1], labels, value });
  }
  return { types, samples };
}

/** The value of the series with exactly these labels (no more, no fewer); undefined when there is none. */
function series(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const found = exposition.samples.filter(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  );
  expect(found.length, `${name}${JSON.stringify(labels)} appears at most once`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

/** How far each named series moved between two scrapes (a series absent before counts from 0). */
function moved(before: Exposition, after: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const now = series(after, name, labels);
  return now === undefined ? undefined : now - (series(before, name, labels) ?? 0);
}

async function scrape(target: TestServer, token: string | undefined = METRICS_TOKEN): Promise<Exposition> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${target.baseUrl}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

const ENTRIES = '/spaces/:spaceId/environments/:environmentId/entries';
const ENTRY = `${ENTRIES}/:entryId`;
const CDA_ENTRIES = `/cdn${ENTRIES}`;
const requests = (method: string, route: string, status: number) => ({ method, route, status_code: String(status) });

let server: TestServer;
let other: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
const schedulerClock = new ManualClock();
const env = () => ({ spaceId, environmentId: 'master' });

beforeAll(async () => {
  server = await startTestServer(
    {
      METRICS_TOKEN,
      RATE_LIMIT_CDA_PER_SECOND: String(CDA_PER_SECOND),
      // Kept answers outlive the test: only writes clear them, so hits and misses are exact.
      DELIVERY_CACHE_TTL_MS: '600000',
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_MS: '20',
    },
    // A clock that stands still: each client gets exactly CDA_PER_SECOND requests.
    { rateLimitStore: new MemoryRateLimitStore(new ManualClock()), clock: schedulerClock },
  );
  other = await startTestServer();
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Metrics' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
  const entry = await cma.entry.createWithId({ ...env(), entryId: 'first', contentTypeId: 'post' }, {
    fields: { title: { 'en-US': 'First' } },
  } as never);
  await cma.entry.publish({ ...env(), entryId: 'first' }, entry);
  const key = await cma.apiKey.create({ spaceId }, {
    name: 'Website',
    environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
  } as never);
  deliveryToken = key.accessToken;
});
afterAll(async () => {
  await server?.close();
  await other?.close();
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, rate-limit refusals by API, and cache hits and misses', async () => {
    const cda = createClient({
      space: spaceId,
      environment: 'master',
      accessToken: deliveryToken,
      host: server.host,
      basePath: '/cdn',
      insecure: true,
      retryOnError: false,
    } as never);
    const before = await scrape(server);

    await cma.entry.create({ ...env(), contentTypeId: 'post' }, { fields: { title: { 'en-US': 'Second' } } } as never);
    // The write cleared the kept answers: the first read computes its answer, the second is served it.
    expect((await cda.getEntries({ order: ['sys.id'] } as never)).items).toHaveLength(1);
    expect((await cda.getEntries({ order: ['sys.id'] } as never)).items).toHaveLength(1);
    await expect(cma.entry.get({ ...env(), entryId: 'missing' })).rejects.toMatchObject({ name: 'NotFound' });
    // Without a token the client is counted by its address: CDA_PER_SECOND 401s, then a 429.
    const statuses = [];
    for (let i = 0; i <= CDA_PER_SECOND; i++)
      statuses.push((await fetch(`${server.baseUrl}/cdn/spaces/${spaceId}/environments/master/entries`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);

    const after = await scrape(server);
    expect(after.types.get('http_request_duration_seconds')).toBe('histogram');
    expect(moved(before, after, 'http_request_duration_seconds_count', requests('POST', ENTRIES, 201))).toBe(1);
    expect(moved(before, after, 'http_request_duration_seconds_count', requests('GET', CDA_ENTRIES, 200))).toBe(2);
    expect(moved(before, after, 'http_request_duration_seconds_count', requests('GET', ENTRY, 404))).toBe(1);
    expect(moved(before, after, 'http_request_duration_seconds_count', requests('GET', CDA_ENTRIES, 401))).toBe(3);
    expect(moved(before, after, 'http_request_duration_seconds_count', requests('GET', CDA_ENTRIES, 429))).toBe(1);
    // Every request lands in the +Inf bucket, and in none of the route's raw URLs.
    expect(moved(before, after, 'http_request_duration_seconds_bucket', { ...requests('GET', CDA_ENTRIES, 429), le: '+Inf' })).toBe(1);
    expect(after.samples.some((s) => s.labels.route?.includes(spaceId))).toBe(false);

    expect(after.types.get('rate_limit_refusals_total')).toBe('counter');
    expect(moved(before, after, 'rate_limit_refusals_total', { api: 'cda' })).toBe(1);
    for (const api of ['cma', 'cpa', 'graphql', 'sign_in']) expect(moved(before, after, 'rate_limit_refusals_total', { api })).toBe(0);

    expect(moved(before, after, 'cache_lookups_total', { cache: 'delivery_responses', result: 'miss' })).toBe(1);
    expect(moved(before, after, 'cache_lookups_total', { cache: 'delivery_responses', result: 'hit' })).toBe(1);
    // The key was created before the first scrape (a settings write), so its first lookup loads it.
    expect(moved(before, after, 'cache_lookups_total', { cache: 'delivery_api_keys', result: 'miss' })).toBe(1);
    expect(moved(before, after, 'cache_lookups_total', { cache: 'delivery_api_keys', result: 'hit' })).toBe(1);
    expect(moved(before, after, 'cache_lookups_total', { cache: 'graphql_responses', result: 'miss' })).toBe(0);
  });

  it('reports uploads, image transforms, webhook attempts and backlog, scheduler lag and the database pool', async () => {
    let release: (() => void) | undefined;
    const received: string[] = [];
    const receiver = http.createServer((request, response) => {
      received.push(request.url ?? '');
      // Held until the test has seen the call pending; then refused for good (a 400 is not retried).
      release = () => {
        if (!response.headersSent) response.writeHead(400).end();
      };
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const before = await scrape(server);

      const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } })
        .png()
        .toBuffer();
      const asset = await cma.asset.createFromFiles(env(), {
        fields: { title: { 'en-US': 'Swatch' }, file: { 'en-US': { file: png, fileName: 'swatch.png', contentType: 'image/png' } } },
      } as never);
      const processed = await cma.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
      const fileUrl = `${server.baseUrl}${new URL(`http:${processed.fields.file['en-US'].url}`).pathname}`;
      // The second request is served the stored variant: one transform.
      for (let i = 0; i < 2; i++) expect((await fetch(`${fileUrl}?w=10`)).status).toBe(200);

      const { port } = receiver.address() as AddressInfo;
      await cma.webhook.create({ spaceId }, {
        name: 'Held',
        url: `http://127.0.0.1:${port}/held`,
        topics: ['Entry.create'],
        filters: [{ equals: [{ doc: 'sys.id' }, 'hooked'] }],
      } as never);
      await cma.entry.createWithId({ ...env(), entryId: 'hooked', contentTypeId: 'post' }, {
        fields: { title: { 'en-US': 'Hooked' } },
      } as never);
      await waitFor('the webhook call to arrive', () => received.length === 1);
      expect(series(await scrape(server), 'webhook_calls_pending')).toBe(1);
      release?.();
      const settled = await waitFor('the webhook call to be recorded as failed', async () => {
        const now = await scrape(server);
        return moved(before, now, 'webhook_call_attempts_total', { outcome: 'failed' }) === 1 && now;
      });
      expect(series(settled, 'webhook_calls_pending')).toBe(0);

      const draft = await cma.entry.createWithId({ ...env(), entryId: 'timely', contentTypeId: 'post' }, {
        fields: { title: { 'en-US': 'Timely' } },
      } as never);
      await cma.scheduledActions.create(
        { spaceId },
        {
          entity: { sys: { type: 'Link', linkType: 'Entry', id: draft.sys.id } },
          environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } },
          action: 'publish',
          scheduledFor: { datetime: new Date(schedulerClock.now() + 3000).toISOString() },
        },
      );
      // Carried out 2 s after its time.
      schedulerClock.advance(5000);
      await server.services.scheduledActions.runDue();
      expect((await cma.entry.get({ ...env(), entryId: 'timely' })).sys.publishedVersion).toBeDefined();

      const after = await scrape(server);
      expect(moved(before, after, 'uploads_total')).toBe(1);
      expect(moved(before, after, 'upload_bytes_total')).toBe(png.length);
      expect(after.types.get('image_transform_duration_seconds')).toBe('histogram');
      expect(moved(before, after, 'image_transform_duration_seconds_count')).toBe(1);
      expect([series(after, 'image_transforms_running'), series(after, 'image_transforms_queued')]).toEqual([0, 0]);
      expect(moved(before, after, 'webhook_call_attempts_total', { outcome: 'failed' })).toBe(1);
      expect(moved(before, after, 'webhook_call_attempts_total', { outcome: 'success' })).toBe(0);
      expect(moved(before, after, 'webhook_call_attempts_total', { outcome: 'retry' })).toBe(0);
      expect(moved(before, after, 'scheduler_lag_seconds_count')).toBe(1);
      expect(moved(before, after, 'scheduler_lag_seconds_sum')).toBe(2);
      expect(moved(before, after, 'scheduler_lag_seconds_bucket', { le: '1' })).toBe(0);
      expect(moved(before, after, 'scheduler_lag_seconds_bucket', { le: '2' })).toBe(1);

      // PostgreSQL's pool is reported; the embedded database is one connection and has no pool series.
      const open = series(after, 'database_pool_connections', { pool: 'primary' });
      if (server.database.kind === 'postgres') {
        expect(open).toBeGreaterThanOrEqual(1);
        expect(series(after, 'database_pool_idle_connections', { pool: 'primary' })).toBeLessThanOrEqual(open as number);
        expect(series(after, 'database_pool_waiting_requests', { pool: 'primary' })).toBe(0);
      } else {
        expect(after.samples.filter((s) => s.name.startsWith('database_pool_'))).toEqual([]);
      }
      expect(series(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      release?.();
      receiver.close();
    }
  });

  it('needs METRICS_TOKEN as a Bearer token when it is set, and is open when it is not', async () => {
    const refusedHeaders: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token' }, { authorization: METRICS_TOKEN }];
    for (const headers of refusedHeaders) {
      const refused = await fetch(`${server.baseUrl}/metrics`, { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/vnd.contentful.management.v1+json');
      const body = await refused.json();
      expect(body).toEqual({
        sys: { type: 'Error', id: 'AccessTokenInvalid' },
        message: 'The access token you sent could not be found or is invalid.',
        requestId: refused.headers.get('x-contentful-request-id'),
      });
    }
    expect(series(await scrape(server), 'rate_limit_refusals_total', { api: 'cma' })).toBe(0);
    expect(series(await scrape(other, undefined), 'rate_limit_refusals_total', { api: 'cma' })).toBe(0);
  });

  it('keeps the counts of two apps in one process apart', async () => {
    const [serverBefore, otherBefore] = [await scrape(server), await scrape(other, undefined)];
    for (let i = 0; i < 2; i++) expect((await other.request('GET', '/spaces/nowhere')).status).toBe(404);
    const [serverAfter, otherAfter] = [await scrape(server), await scrape(other, undefined)];
    const missingSpace = requests('GET', '/spaces/:spaceId', 404);
    expect(moved(otherBefore, otherAfter, 'http_request_duration_seconds_count', missingSpace)).toBe(2);
    expect(moved(serverBefore, serverAfter, 'http_request_duration_seconds_count', missingSpace) ?? 0).toBe(0);
    // Each app's scrapes are its own: the one scrape of each between the two readings.
    const scrapes = requests('GET', '/metrics', 200);
    expect(moved(serverBefore, serverAfter, 'http_request_duration_seconds_count', scrapes)).toBe(1);
    expect(moved(otherBefore, otherAfter, 'http_request_duration_seconds_count', scrapes)).toBe(1);
  });
});
