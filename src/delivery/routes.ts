import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { presentedToken, RATE_LIMIT_MESSAGE } from '../http/auth.js';
import { ApiError } from '../domain/errors.js';
import { assertPathIds, assertResourceId } from '../domain/ids.js';
import { hashToken } from '../auth/token-secrets.js';
import type { DeliveryPrincipal } from '../resources/api-keys/service.js';
import type { PublishableTable } from '../resources/publishable/repository.js';
import type { RateLimitStore } from '../ratelimit/store.js';
import { etagOf, rendered } from './responses.js';
import type { DeliveryApi, DeliveryScope } from './views.js';

declare module 'fastify' {
  interface FastifyRequest {
    deliveryPrincipal: DeliveryPrincipal;
  }
}

export const DELIVERY_CONTENT_TYPE = 'application/vnd.contentful.delivery.v1+json';

type Params = { spaceId: string; environmentId?: string; id?: string };

/** `Cache-Control: no-cache` asks for an answer computed now rather than a kept one (RFC 9111 5.2.1.4). */
function wantsFresh(request: FastifyRequest): boolean {
  const header = request.headers['cache-control'];
  return typeof header === 'string' && /(^|,)\s*no-cache\s*(,|$)/i.test(header);
}

/**
 * One plugin serves the CDA (under /cdn, delivery keys, published content) and the CPA (under /preview,
 * preview keys, drafts). Responses carry an ETag of their body and answer If-None-Match with 304.
 */
export function deliveryRoutes(api: DeliveryApi, options: { store: RateLimitStore; perSecond: number }): FastifyPluginAsync {
  return async (app) => {
    const { delivery } = app.services;
    app.decorateRequest('deliveryPrincipal', null as never);
    app.addHook('onRequest', async (request, reply) => {
      reply.type(DELIVERY_CONTENT_TYPE);
      const token = presentedToken(request);
      if (options.perSecond > 0) {
        const decision = await options.store.hit(token ? `cda:${hashToken(token)}` : `cda-ip:${request.ip}`, {
          perSecond: options.perSecond,
          perHour: 0,
        });
        reply.header('X-Contentful-RateLimit-Second-Limit', options.perSecond);
        reply.header('X-Contentful-RateLimit-Second-Remaining', decision.secondRemaining);
        reply.header('X-Contentful-RateLimit-Reset', decision.reset);
        if (!decision.allowed) throw new ApiError('RateLimitExceeded', RATE_LIMIT_MESSAGE);
      }
      const principal = token ? await delivery.metadata.principal(token) : undefined;
      if (!principal || principal.kind !== api)
        throw new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');
      request.deliveryPrincipal = principal;
    });
    app.addHook('preValidation', async (request) => assertPathIds(request.params));
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 200) return payload;
      let etag = reply.getHeader('ETag') as string | undefined;
      if (etag === undefined) {
        if (typeof payload !== 'string') return payload;
        etag = etagOf(payload);
        reply.header('ETag', etag);
      }
      reply.header('Cache-Control', 'max-age=0');
      if (request.headers['if-none-match'] === etag) {
        reply.code(304);
        return '';
      }
      return payload;
    });

    const scopeOf = (request: FastifyRequest): Promise<DeliveryScope> => {
      const { spaceId, environmentId } = request.params as Params;
      assertResourceId(spaceId, 'space');
      if (environmentId !== undefined) assertResourceId(environmentId, 'environment');
      return delivery.scope(request.deliveryPrincipal, api, spaceId, environmentId);
    };
    const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
    const id = (request: FastifyRequest) => (request.params as Params).id!;
    const collection = async (request: FastifyRequest, reply: FastifyReply, table: PublishableTable) => {
      const scope = await scopeOf(request);
      const render = () => delivery.collection(scope, table, query(request));
      const response = wantsFresh(request)
        ? rendered(await render())
        : await delivery.responses.collection(scope, table, query(request), render);
      reply.header('ETag', response.etag);
      return response.payload;
    };

    app.get('/spaces/:spaceId', async (request) => delivery.space(await scopeOf(request)));
    const environmentRoutes = async (scoped: FastifyInstance) => {
      const get = (path: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => scoped.get(path, handler);
      get('/content_types', async (r) => delivery.contentTypes(await scopeOf(r), query(r)));
      get('/content_types/:id', async (r) => delivery.contentType(await scopeOf(r), id(r)));
      get('/entries', (r, reply) => collection(r, reply, 'entries'));
      get('/entries/:id', async (r) => delivery.one(await scopeOf(r), 'entries', id(r), query(r)));
      get('/assets', (r, reply) => collection(r, reply, 'assets'));
      get('/assets/:id', async (r) => delivery.one(await scopeOf(r), 'assets', id(r), query(r)));
      get('/locales', async (r) => delivery.locales(await scopeOf(r), query(r)));
      get('/tags', async (r) => delivery.tags(await scopeOf(r), query(r)));
      get('/tags/:id', async (r) => delivery.tag(await scopeOf(r), id(r)));
      get('/sync', async (r) => app.services.sync.sync(await scopeOf(r), query(r)));
    };
    await app.register(environmentRoutes, { prefix: '/spaces/:spaceId/environments/:environmentId' });
    await app.register(environmentRoutes, { prefix: '/spaces/:spaceId' });
  };
}
