import path from 'node:path';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const nonNegativeInt = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(fallback));
const optionalBooleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
);

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  BOOTSTRAP_ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(8).optional()),
  BOOTSTRAP_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.string().email().default('admin@localhost.localdomain')),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  RATE_LIMIT_CMA_PER_SECOND: nonNegativeInt(10),
  RATE_LIMIT_CMA_PER_HOUR: nonNegativeInt(36000),
  RATE_LIMIT_CDA_PER_SECOND: nonNegativeInt(55),
  RATE_LIMIT_SIGN_IN_PER_HOUR: nonNegativeInt(20),
  RATE_LIMIT_SIGN_IN_ADDRESS_PER_HOUR: nonNegativeInt(100),
  APP_SESSION_TTL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(60)
      .default(8 * 60 * 60),
  ),
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: optionalBooleanFlag,
  /** The name before OUTBOUND_ALLOW_PRIVATE_NETWORKS, still honoured when the new one is unset. */
  WEBHOOK_BLOCK_PRIVATE_NETWORKS: optionalBooleanFlag,
  TRUST_PROXY: optionalString,
  // Scale-out (issue 27): shared rate limits, object storage, a read replica, the metrics endpoint's token.
  REDIS_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  S3_BUCKET: optionalString,
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().default('us-east-1')),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: optionalBooleanFlag,
  DATABASE_REPLICA_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(8).optional()),
  HTTP_HEADERS_TIMEOUT_MS: nonNegativeInt(30_000),
  HTTP_REQUEST_TIMEOUT_MS: nonNegativeInt(300_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: nonNegativeInt(72_000),
  DATABASE_CONNECT_TIMEOUT_MS: nonNegativeInt(5_000),
  DATABASE_STARTUP_TIMEOUT_MS: nonNegativeInt(60_000),
  BODY_LIMIT_BYTES: nonNegativeInt(2 * 1024 * 1024),
  UPLOAD_LIMIT_BYTES: nonNegativeInt(1024 * 1024 * 1024),
  SECRET_KEY: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  DELIVERY_CACHE_TTL_MS: nonNegativeInt(1000),
  ACCESS_CACHE_TTL_MS: nonNegativeInt(1000),
  DELIVERY_RESPONSE_CACHE_MB: nonNegativeInt(64),
  DELIVERY_RENDITION_CACHE_MB: nonNegativeInt(32),
  GRAPHQL_FIELDS_CACHE_MB: nonNegativeInt(16),
  GRAPHQL_CONCURRENCY: nonNegativeInt(4),
  GRAPHQL_QUEUE: nonNegativeInt(256),
  HEAP_GROWING_PERCENT: nonNegativeInt(50),
  WEBHOOK_POLL_MS: nonNegativeInt(500),
  WEBHOOK_TIMEOUT_MS: nonNegativeInt(10_000),
  WEBHOOK_CONCURRENCY: nonNegativeInt(4),
  IMAGE_TRANSFORM_CONCURRENCY: nonNegativeInt(2),
  IMAGE_TRANSFORM_QUEUE: nonNegativeInt(64),
  IMAGE_TRANSFORM_MEMORY_MB: nonNegativeInt(128),
  SCHEDULER_POLL_MS: nonNegativeInt(1000),
  WEBHOOK_LEASE_MS: nonNegativeInt(15_000),
  WEBHOOK_RETRY_DELAYS_MS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .default('5000,30000'),
  ),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  bootstrapAdminToken?: string;
  bootstrapAdminEmail: string;
  logLevel: string;
  rateLimits: { cmaPerSecond: number; cmaPerHour: number; cdaPerSecond: number };
  /** Web app sign-in: attempts an hour per email address and per client address (0 is off), and the life of the token it gives. */
  signIn: { perEmailPerHour: number; perAddressPerHour: number; sessionTtlSeconds: number };
  tls?: { certFile: string; keyFile: string };
  /** Whether outbound requests (asset processing, webhooks) may reach loopback, private and reserved addresses. */
  outboundAllowPrivateNetworks: boolean;
  /** Fastify's `trustProxy`: true, a hop count, or a comma-separated list of proxy addresses or CIDR ranges. */
  trustProxy: boolean | number | string;
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** How long a pool waits for a new database connection before the request answers 503. */
  databaseConnectTimeoutMs: number;
  /** How long start-up keeps retrying a database that refuses connections before the process exits. */
  databaseStartupTimeoutMs: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  secretKey?: string;
  deliveryCacheTtlMs: number;
  accessCacheTtlMs: number;
  deliveryResponseCacheBytes: number;
  deliveryRenditionCacheBytes: number;
  graphqlFieldsCacheBytes: number;
  /** GraphQL operations executed at once, and how many more may wait before a 503. */
  graphqlExecutions: { concurrency: number; queueLimit: number };
  /** How far V8 lets the heap grow past what the last full collection kept, in percent (0: V8's own choice). */
  heapGrowingPercent: number;
  webhooks: { pollMs: number; timeoutMs: number; concurrency: number; retryDelaysMs: number[]; leaseMs: number };
  /** Images API: transforms running at once (and libvips threads per transform), transforms waiting beyond those. */
  images: { concurrency: number; queueLimit: number; memoryBytes: number };
  schedulerPollMs: number;
  /** Rate-limit counters shared by every server process; in memory when unset. */
  redisUrl?: string;
  /** Files in an S3-compatible bucket instead of DATA_DIR. */
  s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  /** A PostgreSQL read replica for delivery, preview, GraphQL and sync reads. */
  databaseReplicaUrl?: string;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError('Invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const scheme = e.TLS_CERT_FILE ? 'https' : 'http';
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    publicUrl: (e.PUBLIC_URL ?? `${scheme}://localhost:${e.PORT}`).replace(/\/+$/, ''),
    bootstrapAdminToken: e.BOOTSTRAP_ADMIN_TOKEN,
    bootstrapAdminEmail: e.BOOTSTRAP_ADMIN_EMAIL,
    logLevel: e.LOG_LEVEL,
    rateLimits: {
      cmaPerSecond: e.RATE_LIMIT_CMA_PER_SECOND,
      cmaPerHour: e.RATE_LIMIT_CMA_PER_HOUR,
      cdaPerSecond: e.RATE_LIMIT_CDA_PER_SECOND,
    },
    signIn: {
      perEmailPerHour: e.RATE_LIMIT_SIGN_IN_PER_HOUR,
      perAddressPerHour: e.RATE_LIMIT_SIGN_IN_ADDRESS_PER_HOUR,
      sessionTtlSeconds: e.APP_SESSION_TTL_SECONDS,
    },
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    outboundAllowPrivateNetworks:
      e.OUTBOUND_ALLOW_PRIVATE_NETWORKS ?? (e.WEBHOOK_BLOCK_PRIVATE_NETWORKS === undefined ? false : !e.WEBHOOK_BLOCK_PRIVATE_NETWORKS),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStartupTimeoutMs: e.DATABASE_STARTUP_TIMEOUT_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    secretKey: e.SECRET_KEY,
    deliveryCacheTtlMs: e.DELIVERY_CACHE_TTL_MS,
    accessCacheTtlMs: e.ACCESS_CACHE_TTL_MS,
    deliveryResponseCacheBytes: e.DELIVERY_RESPONSE_CACHE_MB * 1024 * 1024,
    deliveryRenditionCacheBytes: e.DELIVERY_RENDITION_CACHE_MB * 1024 * 1024,
    graphqlFieldsCacheBytes: e.GRAPHQL_FIELDS_CACHE_MB * 1024 * 1024,
    graphqlExecutions: { concurrency: Math.max(1, e.GRAPHQL_CONCURRENCY), queueLimit: e.GRAPHQL_QUEUE },
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    webhooks: {
      pollMs: Math.max(10, e.WEBHOOK_POLL_MS),
      timeoutMs: Math.max(100, e.WEBHOOK_TIMEOUT_MS),
      concurrency: Math.max(1, e.WEBHOOK_CONCURRENCY),
      retryDelaysMs: e.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number),
      leaseMs: Math.max(100, e.WEBHOOK_LEASE_MS),
    },
    schedulerPollMs: Math.max(10, e.SCHEDULER_POLL_MS),
    images: {
      concurrency: Math.max(1, e.IMAGE_TRANSFORM_CONCURRENCY),
      queueLimit: e.IMAGE_TRANSFORM_QUEUE,
      memoryBytes: e.IMAGE_TRANSFORM_MEMORY_MB * 1024 * 1024,
    },
    redisUrl: e.REDIS_URL,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? false,
        }
      : undefined,
    databaseReplicaUrl: e.DATABASE_REPLICA_URL,
    metricsToken: e.METRICS_TOKEN,
  };
}
