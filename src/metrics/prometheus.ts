import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import {
  CACHE_NAMES,
  type CacheName,
  type Metrics,
  type PoolUse,
  RATE_LIMITED_APIS,
  type RateLimitedApi,
  WEBHOOK_ATTEMPT_OUTCOMES,
  type WebhookAttemptOutcome,
} from '../domain/metrics.js';

/** What is read when `GET /metrics` is scraped rather than counted as it happens. */
export interface ScrapedSources {
  /** Database connection pools by name (`primary`); PGlite, a single connection, has none. */
  databasePools?: Record<string, () => PoolUse>;
  /** Webhook calls pending in the whole database (one indexed count per scrape, never per request). */
  webhookBacklog?: () => Promise<number>;
  /** The Images API's bounded work pool. */
  imageTransforms?: { readonly running: number; readonly queued: number };
}

let processRegistry: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC, handles) describe the process, not an
 * app, and each collection installs observers that are never removed: collected once per process into a
 * registry of their own, and added to every app's answer.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const SECONDS_BUCKETS_LATE = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];
const SECONDS_BUCKETS_TRANSFORM = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The server's metrics over prom-client, in a registry of this app's own (several apps in one process,
 * as in the tests, keep separate counts). Services count into it through the `Metrics` interface.
 */
export class ServerMetrics implements Metrics {
  private readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status_code'>;
  private readonly refusals: Counter<'api'>;
  private readonly cacheLookups: Counter<'cache' | 'result'>;
  /**
   * Lookups counted as plain numbers and added to `cache_lookups_total` at each scrape: a computed page
   * makes hundreds, and each labelled increment hashes its labels into a new string.
   */
  private readonly lookupsSinceScrape = new Map<CacheName, { hit: number; miss: number }>(
    CACHE_NAMES.map((cache) => [cache, { hit: 0, miss: 0 }]),
  );
  private readonly webhookAttempts: Counter<'outcome'>;
  private readonly schedulerLag: Histogram;
  private readonly uploads: Counter;
  private readonly uploadBytes: Counter;
  private readonly transforms: Histogram;
  private sources: ScrapedSources = {};

  constructor() {
    const registers = [this.registry];
    const sources = () => this.sources;
    this.requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Requests answered, by method, route pattern and status code, and how long they took',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.refusals = new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused with 429 by a rate limit, by API (cma, cda, cpa, graphql, sign_in)',
      labelNames: ['api'],
      registers,
    });
    const lookups = this.lookupsSinceScrape;
    this.cacheLookups = new Counter({
      name: 'cache_lookups_total',
      help: 'Lookups in the caches kept between requests, by cache and result (hit or miss)',
      labelNames: ['cache', 'result'],
      registers,
      collect() {
        for (const [cache, counts] of lookups) {
          if (counts.hit) this.inc({ cache, result: 'hit' }, counts.hit);
          if (counts.miss) this.inc({ cache, result: 'miss' }, counts.miss);
          counts.hit = 0;
          counts.miss = 0;
        }
      },
    });
    this.webhookAttempts = new Counter({
      name: 'webhook_call_attempts_total',
      help: 'Webhook call attempts made by this process, by outcome (success, retry: failed and attempted again later, failed: given up)',
      labelNames: ['outcome'],
      registers,
    });
    this.schedulerLag = new Histogram({
      name: 'scheduler_lag_seconds',
      help: 'How late due scheduled actions started, after their scheduled time',
      buckets: SECONDS_BUCKETS_LATE,
      registers,
    });
    this.uploads = new Counter({ name: 'uploads_total', help: 'Uploads stored (Upload API)', registers });
    this.uploadBytes = new Counter({ name: 'upload_bytes_total', help: 'Bytes of the uploads stored', registers });
    this.transforms = new Histogram({
      name: 'image_transform_duration_seconds',
      help: 'Images API variants computed (stored variants served again are not counted), and how long each took',
      buckets: SECONDS_BUCKETS_TRANSFORM,
      registers,
    });
    new Gauge({
      name: 'image_transforms_running',
      help: 'Images API transforms running now',
      registers,
      collect() {
        this.set(sources().imageTransforms?.running ?? 0);
      },
    });
    new Gauge({
      name: 'image_transforms_queued',
      help: 'Images API transforms waiting for a free slot',
      registers,
      collect() {
        this.set(sources().imageTransforms?.queued ?? 0);
      },
    });
    const poolGauge = (name: string, help: string, read: (use: PoolUse) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          for (const [pool, use] of Object.entries(sources().databasePools ?? {})) this.set({ pool }, read(use()));
        },
      });
    poolGauge('database_pool_connections', 'PostgreSQL connections open in the pool', (use) => use.total);
    poolGauge('database_pool_idle_connections', 'PostgreSQL connections open and idle in the pool', (use) => use.idle);
    poolGauge('database_pool_waiting_requests', 'Queries waiting for a PostgreSQL connection from the pool', (use) => use.waiting);
    new Gauge({
      name: 'webhook_calls_pending',
      help: 'Webhook calls not yet delivered or given up, in the whole database (every process reports the same backlog)',
      registers,
      async collect() {
        const backlog = sources().webhookBacklog;
        if (!backlog) return;
        // The database is down: the last count stays, and the scrape still answers.
        const pending = await backlog().catch(() => undefined);
        if (pending !== undefined) this.set(pending);
      },
    });
    this.startAtZero();
  }

  /** Every known series from zero, so a rate over the first event is right and a dashboard lists them all. */
  private startAtZero() {
    for (const api of RATE_LIMITED_APIS) this.refusals.inc({ api }, 0);
    for (const cache of CACHE_NAMES) for (const result of ['hit', 'miss']) this.cacheLookups.inc({ cache, result }, 0);
    for (const outcome of WEBHOOK_ATTEMPT_OUTCOMES) this.webhookAttempts.inc({ outcome }, 0);
  }

  /** Sets what is read at each scrape (the services, built after this). */
  readAtScrape(sources: ScrapedSources): void {
    this.sources = sources;
  }

  requestAnswered(method: string, route: string, statusCode: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  rateLimitRefused(api: RateLimitedApi): void {
    this.refusals.inc({ api });
  }

  cacheLookup(cache: CacheName, hit: boolean): void {
    const counts = this.lookupsSinceScrape.get(cache)!;
    if (hit) counts.hit++;
    else counts.miss++;
  }

  webhookAttempt(outcome: WebhookAttemptOutcome): void {
    this.webhookAttempts.inc({ outcome });
  }

  scheduledActionStarted(lateMs: number): void {
    this.schedulerLag.observe(Math.max(0, lateMs) / 1000);
  }

  uploadStored(bytes: number): void {
    this.uploads.inc();
    this.uploadBytes.inc(bytes);
  }

  imageTransformed(seconds: number): void {
    this.transforms.observe(seconds);
  }

  /** The Prometheus text exposition of this app's metrics and the process's. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    return { contentType: this.registry.contentType, text: await merged.metrics() };
  }
}
