import zlib from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import type { Logger } from 'pino';
import type { Actor } from './auth/actor.js';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import { generateId } from './domain/ids.js';
import { documentAs, registerApiDocs } from './http/api-docs.js';
import { registerManagementAuthentication } from './http/auth.js';
import { registerContentTypeParsers } from './http/content-types.js';
import { MANAGEMENT_CONTENT_TYPE, registerErrorHandling, registerNotFound } from './http/error-handler.js';
import { metricsRoutes, registerRequestMetrics } from './http/metrics.js';
import { registerRateLimitGate } from './http/rate-limit.js';
import { httpServerOptions, trustProxyOption } from './http/server-options.js';
import { routeInputCompiler } from './http/validation.js';
import type { Metrics } from './domain/metrics.js';
import { ServerMetrics } from './metrics/prometheus.js';
import { openSharedRateLimitStore } from './ratelimit/fallback-store.js';
import { MemoryRateLimitStore, type RateLimitStore } from './ratelimit/store.js';
import { accessTokenRoutes } from './resources/access-tokens/routes.js';
import { contentTypeRoutes } from './resources/content-types/routes.js';
import { entryRoutes } from './resources/entries/routes.js';
import { fileRoutes } from './resources/files/routes.js';
import { uploadRoutes } from './resources/uploads/routes.js';
import { assetRoutes } from './resources/assets/routes.js';
import { environmentRoutes } from './resources/environments/routes.js';
import { localeRoutes } from './resources/locales/routes.js';
import { extensionRoutes } from './resources/extensions/routes.js';
import { tagRoutes } from './resources/tags/routes.js';
import { apiKeyRoutes } from './resources/api-keys/routes.js';
import { deliveryRoutes } from './delivery/routes.js';
import { graphqlRoutes } from './graphql/routes.js';
import { webhookRoutes } from './resources/webhooks/routes.js';
import { roleRoutes } from './resources/roles/routes.js';
import { teamRoutes } from './resources/teams/routes.js';
import { teamSpaceMembershipRoutes } from './resources/team-space-memberships/routes.js';
import { healthRoutes } from './resources/health/routes.js';
import { organizationRoutes } from './resources/organizations/routes.js';
import { bulkActionRoutes } from './resources/bulk-actions/routes.js';
import { releaseRoutes } from './resources/releases/routes.js';
import { releaseVersionRoutes } from './resources/releases/version-routes.js';
import { scheduledActionRoutes } from './resources/scheduled-actions/routes.js';
import { workflowDefinitionRoutes } from './resources/workflow-definitions/routes.js';
import { workflowRoutes } from './resources/workflows/routes.js';
import { taskRoutes } from './resources/tasks/routes.js';
import { contentTypeCommentRoutes, entryCommentRoutes } from './resources/comments/routes.js';
import { spaceRoutes } from './resources/spaces/routes.js';
import { taxonomyRoutes } from './resources/taxonomy/routes.js';
import { userRoutes } from './resources/users/routes.js';
import { sessionRoutes } from './resources/sessions/routes.js';
import { webAppRoutes } from './resources/web-app/routes.js';
import { createServices, type Services } from './services.js';
import type { Clock } from './domain/clock.js';

/** The services route plugins use, each a decorator of the Fastify instance (`app.entries`). */
const ROUTE_SERVICES = [
  'accessTokens',
  'apiKeys',
  'assets',
  'bulkActions',
  'comments',
  'contentTypes',
  'delivery',
  'editorInterfaces',
  'entries',
  'environmentAliases',
  'environmentScopes',
  'environments',
  'extensions',
  'graphql',
  'invitations',
  'locales',
  'organizationMemberships',
  'organizations',
  'releases',
  'releaseVersions',
  'roles',
  'scheduledActions',
  'sessions',
  'snapshots',
  'spaceMembers',
  'spaceMemberships',
  'spaces',
  'sync',
  'tags',
  'tasks',
  'taxonomy',
  'teamMemberships',
  'teamSpaceMemberships',
  'teams',
  'uploads',
  'users',
  'webhooks',
  'webhookSettings',
  'workflowDefinitions',
  'workflows',
] as const satisfies readonly (keyof Services)[];

type RouteServices = Pick<Services, (typeof ROUTE_SERVICES)[number]>;

declare module 'fastify' {
  interface FastifyInstance extends RouteServices {
    /** Every service, for the composition root (bootstrap, the CLI, tests); routes use the decorators above. */
    services: Services;
    /** What routes count for `GET /metrics` (rate-limit refusals); services are given it when built. */
    metrics: Metrics;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

/** Headers browsers may send and read, for the CORS behaviour seed 001 describes. */
const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Accept-Encoding',
  'Authorization',
  'Content-Type',
  'Content-Length',
  'If-None-Match',
  'If-Match',
  'Range',
  'X-Requested-With',
  'X-Contentful-Version',
  'X-Contentful-Content-Type',
  'X-Contentful-Organization',
  'X-Contentful-Tag-Visibility',
  'X-Contentful-Source-Environment',
  'X-Contentful-Skip-Transformation',
  'X-Contentful-User-Agent',
  'X-Contentful-Enable-Alpha-Feature',
  'X-Contentful-Resource-Resolution',
  'X-Contentful-Parent-Id',
  'X-Contentful-Parent-Entity-Reference',
  'X-Contentful-Comment-Body-Format',
  'X-Contentful-Locale-Based-Publishing',
];
const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Content-Length',
  'X-Contentful-Request-Id',
  'X-Contentful-RateLimit-Hour-Limit',
  'X-Contentful-RateLimit-Hour-Remaining',
  'X-Contentful-RateLimit-Second-Limit',
  'X-Contentful-RateLimit-Second-Remaining',
  'X-Contentful-RateLimit-Reset',
  'X-Contentful-Graphql-Query-Cost',
];

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  rateLimitStore?: RateLimitStore;
  /** Time as the scheduler reads it (tests move a manual clock); real time by default. */
  clock?: Clock;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database, logger } = options;
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => generateId(),
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // Client addresses (request.ip, the rate-limit key of token-less clients) from X-Forwarded-For behind a proxy.
    trustProxy: trustProxyOption(config.trustProxy),
    // Header, request and keep-alive limits, so held and idle connections are closed (and https when TLS is on).
    ...httpServerOptions(config),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(routeInputCompiler);

  // This app's own registry: several apps in one process (the tests) keep separate counts.
  const metrics = new ServerMetrics();
  const services = createServices(database, config, logger, options.clock, metrics);
  metrics.readAtScrape({
    databasePools: database.poolUse && { primary: database.poolUse, ...(database.replicaPoolUse && { replica: database.replicaPoolUse }) },
    webhookBacklog: () => services.webhookWorker.pendingCalls(),
    imageTransforms: services.images.pool,
  });
  app.decorate('metrics', metrics);
  registerRequestMetrics(app, metrics);
  app.decorate('services', services);
  // Typed by the FastifyInstance declaration above; each name is checked against Services there.
  for (const name of ROUTE_SERVICES) app.decorate<object, string>(name, services[name]);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Contentful-Request-Id', request.id);
  });

  // Files, health, the API reference and unknown paths answer errors as the management API always has.
  registerErrorHandling(app, MANAGEMENT_CONTENT_TYPE);
  registerNotFound(app, MANAGEMENT_CONTENT_TYPE);
  registerContentTypeParsers(app);
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 86400,
  });
  await app.register(compress, { global: true, threshold: 1024, brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  await registerApiDocs(app, config.publicUrl);

  // Closed last (onClose hooks run in reverse order): the webhook worker and asset processing use it.
  app.addHook('onClose', async () => services.outbound.close());
  // Before the workers, so it stops after them (onClose runs in reverse): they announce what they write.
  listenForOtherProcessesWrites(app, services);
  await app.register(webhookDelivery, { services });
  await app.register(scheduler, { services });
  await app.register(uploadSweeper, { services, logger });
  await app.register(environmentCopies, { services });

  await app.register(async (server) => {
    documentAs(server, 'Server');
    await server.register(healthRoutes, { database });
    await server.register(metricsRoutes, { metrics, token: config.metricsToken });
  });
  await app.register(async (files) => {
    documentAs(files, 'Files');
    await files.register(fileRoutes, { blobs: services.blobs, images: services.images });
  });

  const rateLimitStore = options.rateLimitStore ?? chooseRateLimitStore(app, config, logger);
  // The web app's sign-in (issue 26), beside the CMA rather than in it: it takes no token.
  await app.register(
    async (signIn) => {
      documentAs(signIn, 'Server');
      await signIn.register(sessionRoutes, {
        store: rateLimitStore,
        perEmailPerHour: config.signIn.perEmailPerHour,
        perAddressPerHour: config.signIn.perAddressPerHour,
      });
    },
    { prefix: '/app/api' },
  );
  // The web app's files (npm run build puts them in dist/app).
  await app.register(webAppRoutes);
  await app.register(management, { config, rateLimitStore });
  for (const [api, prefix] of [
    ['delivery', '/cdn'],
    ['preview', '/preview'],
  ] as const) {
    await app.register(deliveryRoutes, { prefix, api, rateLimitStore, perSecond: config.rateLimits.cdaPerSecond });
  }
  await app.register(graphqlRoutes, {
    prefix: '/content/v1',
    rateLimitStore,
    perSecond: config.rateLimits.cdaPerSecond,
    publicUrl: config.publicUrl,
  });

  // A built app is a running one: the workers start now (onReady), whether or not it ever listens.
  await app.ready();
  return app;
}

/** With REDIS_URL every process counts in Redis (each in memory while Redis is down); otherwise in memory. */
function chooseRateLimitStore(app: FastifyInstance, config: Config, logger: Logger): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  const store = openSharedRateLimitStore({ redisUrl: config.redisUrl, logger });
  // The first requests are counted in Redis when it is reachable: the server listens once it is connected (or not).
  app.addHook('onReady', async () => store.connected());
  app.addHook('onClose', async () => store.close());
  return store;
}

type WorkerOptions = { services: Services };

/**
 * On PostgreSQL, listens for the other server processes' writes while the server runs (src/cache/pg-notifier.ts),
 * and holds the answer to a write until the others have been told, so a client's next read through any of them sees it.
 */
function listenForOtherProcessesWrites(app: FastifyInstance, services: Services) {
  const notifier = services.changeNotifier;
  if (!notifier) return;
  app.addHook('onReady', async () => notifier.start());
  app.addHook('onClose', async () => notifier.stop());
  app.addHook('onSend', (request, _reply, payload, done) => {
    const announcing = request.method === 'GET' || request.method === 'HEAD' ? undefined : notifier.pending();
    if (!announcing) return done(null, payload);
    void announcing.then(() => done(null, payload));
  });
}

/** Delivers webhook calls from the outbox while the server runs. */
const webhookDelivery: FastifyPluginAsync<WorkerOptions> = async (app, { services }) => {
  app.addHook('onReady', async () => services.webhookWorker.start());
  app.addHook('onClose', async () => services.webhookWorker.stop());
};

/** Carries out scheduled actions as they fall due, and bulk and release actions as they come, while the server runs. */
const scheduler: FastifyPluginAsync<WorkerOptions> = async (app, { services }) => {
  app.addHook('onReady', async () => {
    services.scheduledActions.start();
    services.bulkActions.start();
    services.releases.start();
  });
  app.addHook('onClose', async () => {
    await services.scheduledActions.stop();
    await services.bulkActions.stop();
    await services.releases.stop();
  });
};

/** Removes expired uploads while the server runs. */
const uploadSweeper: FastifyPluginAsync<WorkerOptions & { logger: Logger }> = async (app, { services, logger }) => {
  let stop: (() => void) | undefined;
  app.addHook('onReady', async () => {
    stop = services.uploads.startSweeper(logger);
  });
  app.addHook('onClose', async () => stop?.());
};

/** Resumes the environment copies a previous process left queued or running, and stops copying on close. */
const environmentCopies: FastifyPluginAsync<WorkerOptions> = async (app, { services }) => {
  app.addHook('onReady', async () => {
    // In the background: a copy can take longer than start-up may.
    void services.environments.resumeQueuedCopies().catch((err) => app.log.error({ err }, 'could not resume environment copies'));
  });
  app.addHook('onClose', async () => services.environments.stop());
};

/**
 * The Content Management and Upload APIs at the root: rate limit, then the access token, then the routes,
 * all answering in the management content type.
 */
const management: FastifyPluginAsync<{ config: Config; rateLimitStore: RateLimitStore }> = async (app, { config, rateLimitStore }) => {
  registerErrorHandling(app, MANAGEMENT_CONTENT_TYPE, ({ scope }) => scope && { space: scope.spaceId, environment: scope.requestedId });
  app.addHook('onRequest', async (_request, reply) => {
    reply.type(MANAGEMENT_CONTENT_TYPE);
  });
  registerRateLimitGate(app, {
    store: rateLimitStore,
    api: 'cma',
    perSecond: config.rateLimits.cmaPerSecond,
    perHour: config.rateLimits.cmaPerHour,
    onRefused: () => app.metrics.rateLimitRefused('cma'),
  });
  registerManagementAuthentication(app);

  await app.register(async (cma) => {
    documentAs(cma, 'Management');
    await cma.register(userRoutes);
    await cma.register(accessTokenRoutes);
    await cma.register(organizationRoutes);
    await cma.register(taxonomyRoutes);
    await cma.register(spaceRoutes);
    await cma.register(environmentRoutes);
    await cma.register(localeRoutes);
    await cma.register(tagRoutes);
    await cma.register(apiKeyRoutes);
    await cma.register(webhookRoutes);
    await cma.register(roleRoutes);
    await cma.register(teamRoutes);
    await cma.register(teamSpaceMembershipRoutes);
    await cma.register(contentTypeRoutes);
    await cma.register(extensionRoutes);
    await cma.register(entryRoutes);
    await cma.register(assetRoutes);
    await cma.register(scheduledActionRoutes);
    await cma.register(bulkActionRoutes);
    await cma.register(releaseRoutes);
    await cma.register(releaseVersionRoutes);
    await cma.register(workflowDefinitionRoutes);
    await cma.register(workflowRoutes);
    await cma.register(taskRoutes);
    await cma.register(entryCommentRoutes);
    await cma.register(contentTypeCommentRoutes);
  });
  await app.register(async (upload) => {
    documentAs(upload, 'Upload');
    await upload.register(uploadRoutes);
  });
};
