/** The APIs whose rate limits refuse requests, as `GET /metrics` labels their refusals. */
export const RATE_LIMITED_APIS = ['cma', 'cda', 'cpa', 'graphql', 'sign_in'] as const;
export type RateLimitedApi = (typeof RATE_LIMITED_APIS)[number];

/** The caches kept between requests, as `GET /metrics` labels their hits and misses. */
export const CACHE_NAMES = [
  'delivery_responses',
  'delivery_renditions',
  'graphql_responses',
  'graphql_fields',
  'entries_for_write',
  'delivery_api_keys',
  'delivery_environments',
  'delivery_locales',
  'delivery_public_tags',
  'delivery_content_types',
  'delivery_content_models',
  'access_tokens',
  'environment_access',
] as const;
export type CacheName = (typeof CACHE_NAMES)[number];

/** How one attempt at a webhook call ended: delivered, to be attempted again later, or given up. */
export const WEBHOOK_ATTEMPT_OUTCOMES = ['success', 'retry', 'failed'] as const;
export type WebhookAttemptOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number];

/** A connection pool's state: connections open, of them idle, and queries waiting for one. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * What the server counts where it happens, for `GET /metrics`. Services are given one (the composition root
 * builds it over prom-client, src/metrics/), so nothing below the composition root imports a metrics library;
 * `noMetrics` when nothing is counted (the CLI, specs).
 */
export interface Metrics {
  rateLimitRefused(api: RateLimitedApi): void;
  cacheLookup(cache: CacheName, hit: boolean): void;
  webhookAttempt(outcome: WebhookAttemptOutcome): void;
  /** A due scheduled action started, `lateMs` after its time. */
  scheduledActionStarted(lateMs: number): void;
  uploadStored(bytes: number): void;
  imageTransformed(seconds: number): void;
}

export const noMetrics: Metrics = {
  rateLimitRefused: () => undefined,
  cacheLookup: () => undefined,
  webhookAttempt: () => undefined,
  scheduledActionStarted: () => undefined,
  uploadStored: () => undefined,
  imageTransformed: () => undefined,
};

/** The lookup hook of a cache (src/cache/ttl-cache.ts) counting into `metrics` under `cache`. */
export const countedLookups =
  (metrics: Metrics, cache: CacheName) =>
  (hit: boolean): void =>
    metrics.cacheLookup(cache, hit);
