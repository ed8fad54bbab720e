import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import type { Logger } from 'pino';
import type { Actor } from './auth/actor.js';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import { registerManagementGate } from './http/auth.js';
import { registerContentTypeParsers } from './http/content-types.js';
import { registerErrorHandling } from './http/error-handler.js';
import { assertPathIds, generateId } from './domain/ids.js';
import { httpServerOptions, trustProxyOption } from './http/server-options.js';
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
import { webhookRoutes } from './resources/webhooks/routes.js';
import { roleRoutes } from './resources/roles/routes.js';
import { teamRoutes } from './resources/teams/routes.js';
import { teamSpaceMembershipRoutes } from './resources/team-space-memberships/routes.js';
import { healthRoutes } from './resources/health/routes.js';
import { organizationRoutes } from './resources/organizations/routes.js';
import { spaceRoutes } from './resources/spaces/routes.js';
import { userRoutes } from './resources/users/routes.js';
import { createServices, type Services } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

/** Management paths whose writes change content only (never what delivery requests look up first). */
const CONTENT_PATH = /\/(entries|assets|uploads)(\/|\?|$)/;
export const MANAGEMENT_CONTENT_TYPE = 'application/vnd.contentful.management.v1+json';

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
];

export interface AppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  rateLimitStore?: RateLimitStore;
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

  app.decorate('services', createServices(database, config, logger));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Contentful-Request-Id', request.id);
  });

  registerErrorHandling(app);
  registerContentTypeParsers(app);
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 86400,
  });
  await app.register(compress, { global: true, threshold: 1024, brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });

  await app.register(healthRoutes, { database });
  await app.register(fileRoutes, { blobs: app.services.blobs });
  const stopSweeper = app.services.uploads.startSweeper(logger);
  app.services.webhookWorker.start();
  void app.services.environments.resumeQueuedCopies().catch((err) => app.log.error({ err }, 'could not resume environment copies'));
  app.addHook('onClose', async () => {
    stopSweeper();
    app.services.environments.stop();
    await app.services.webhookWorker.stop();
    await app.services.outbound.close();
  });

  const rateLimitStore = options.rateLimitStore ?? new MemoryRateLimitStore();
  await app.register(async (management) => {
    management.addHook('onRequest', async (_request, reply) => {
      reply.type(MANAGEMENT_CONTENT_TYPE);
    });
    management.addHook('preValidation', async (request) => assertPathIds(request.params));
    // Before a write is answered, what it may have changed is forgotten, so its client reads it back: kept
    // delivery answers after any write; the lookups (tokens, access, keys, environments, locales, tags,
    // content types, ...) after a write to anything but content.
    management.addHook('onSend', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return;
      app.services.delivery.responses.clear();
      if (!CONTENT_PATH.test(request.url)) app.services.forgetLookups();
    });
    registerManagementGate(management, {
      store: rateLimitStore,
      limits: { perSecond: config.rateLimits.cmaPerSecond, perHour: config.rateLimits.cmaPerHour },
    });
    await management.register(userRoutes);
    await management.register(accessTokenRoutes);
    await management.register(organizationRoutes);
    await management.register(spaceRoutes);
    await management.register(environmentRoutes);
    await management.register(localeRoutes);
    await management.register(tagRoutes);
    await management.register(apiKeyRoutes);
    await management.register(webhookRoutes);
    await management.register(roleRoutes);
    await management.register(teamRoutes);
    await management.register(teamSpaceMembershipRoutes);
    await management.register(contentTypeRoutes);
    await management.register(extensionRoutes);
    await management.register(entryRoutes);
    await management.register(uploadRoutes);
    await management.register(assetRoutes);
  });

  const deliveryLimits = { store: rateLimitStore, perSecond: config.rateLimits.cdaPerSecond };
  await app.register(deliveryRoutes('delivery', deliveryLimits), { prefix: '/cdn' });
  await app.register(deliveryRoutes('preview', deliveryLimits), { prefix: '/preview' });

  return app;
}
