import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../domain/errors.js';
import { documentAs } from '../http/api-docs.js';
import { presentedToken } from '../http/auth.js';
import { DELIVERY_CONTENT_TYPE, registerErrorHandling, registerNotFound } from '../http/error-handler.js';
import { wantsFresh } from '../http/cache-control.js';
import { wantsLocaleBasedPublishing } from '../http/locale-based-publishing.js';
import { registerRateLimitGate } from '../http/rate-limit.js';
import { addPrefixIds, pathIds, resourceId, searchQuery } from '../http/route-schemas.js';
import type { DeliveryPrincipal } from '../resources/api-keys/service.js';
import type { RateLimitStore } from '../ratelimit/store.js';
import { taxonomyQuery } from '../resources/taxonomy/schema.js';
import { etagOf, renderedBody, sentBody } from './responses.js';
import { timelineQuery } from './timeline.js';
import type { DeliveryApi, DeliveryScope } from './views.js';

declare module 'fastify' {
  interface FastifyRequest {
    deliveryPrincipal: DeliveryPrincipal;
    deliveryScope: DeliveryScope;
  }
}

export interface DeliveryRoutesOptions {
  api: DeliveryApi;
  rateLimitStore: RateLimitStore;
  perSecond: number;
}

type ScopeParams = { spaceId: string; environmentId?: string };

const itemParams = z.object({ id: resourceId });
const collectionQuery = searchQuery(
  'skip',
  'limit',
  'order',
  'select',
  'include',
  'locale',
  'content_type',
  'query',
  'links_to_entry',
  'links_to_asset',
  'mimetype_group',
  'cursor',
  'pageNext',
  'pagePrev',
);
const itemQuery = searchQuery('locale');
const listQuery = searchQuery('skip', 'limit');
const syncQuery = searchQuery('initial', 'type', 'content_type', 'limit', 'sync_token');

/**
 * One plugin serves the CDA (under /cdn, delivery keys, published content) and the CPA (under /preview,
 * preview keys, drafts): rate limit, then the API key, then the routes, answering in the delivery content
 * type. Responses carry an ETag of their body and answer If-None-Match with 304.
 */
export const deliveryRoutes: FastifyPluginAsyncZod<DeliveryRoutesOptions> = async (app, { api, rateLimitStore, perSecond }) => {
  const { delivery, sync, taxonomy } = app;
  // Registered before the hooks below: an unknown path is a 404 whatever token it carries.
  await app.register(async (unknownPaths) => registerNotFound(unknownPaths, DELIVERY_CONTENT_TYPE));
  registerErrorHandling(app, DELIVERY_CONTENT_TYPE);
  documentAs(app, api === 'delivery' ? 'Delivery' : 'Preview');
  app.decorateRequest('deliveryPrincipal', null as never);
  app.decorateRequest('deliveryScope', null as never);
  app.addHook('onRequest', async (_request, reply) => {
    reply.type(DELIVERY_CONTENT_TYPE);
  });
  registerRateLimitGate(app, {
    store: rateLimitStore,
    api: 'cda',
    perSecond,
    onRefused: () => app.metrics.rateLimitRefused(api === 'delivery' ? 'cda' : 'cpa'),
  });
  app.addHook('onRequest', async (request) => {
    const token = presentedToken(request);
    const principal = token ? await delivery.metadata.principal(token) : undefined;
    if (!principal || principal.kind !== api)
      throw new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');
    request.deliveryPrincipal = principal;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200) return payload;
    let etag = reply.getHeader('ETag') as string | undefined;
    if (etag === undefined) {
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      etag = etagOf(payload);
      reply.header('ETag', etag);
    }
    reply.header('Cache-Control', 'max-age=0');
    if (request.headers['if-none-match'] === etag) {
      reply.code(304);
      reply.removeHeader('Content-Length');
      return '';
    }
    return payload;
  });

  /** The space and environment of the path, as the principal may read them; before the query is parsed. */
  const resolveScope = async (request: FastifyRequest<{ Params: ScopeParams }>) => {
    const { spaceId, environmentId } = request.params;
    request.deliveryScope = await delivery.scope(
      request.deliveryPrincipal,
      api,
      spaceId,
      environmentId,
      wantsLocaleBasedPublishing(request),
    );
  };
  const collection = async (request: FastifyRequest, query: Record<string, unknown>, reply: FastifyReply, table: 'entries' | 'assets') => {
    const scope = request.deliveryScope;
    const render = () => delivery.collectionBody(scope, table, query);
    const response = wantsFresh(request) ? renderedBody(await render()) : await delivery.responses.collection(scope, table, query, render);
    reply.header('ETag', response.etag);
    return sentBody(response, (bytes) => reply.header('Content-Length', bytes));
  };

  app.get('/spaces/:spaceId', { schema: { params: pathIds('spaceId') }, preHandler: resolveScope }, async (request) =>
    delivery.space(request.deliveryScope),
  );
  const environmentRoutes: FastifyPluginAsyncZod = async (scoped) => {
    addPrefixIds(scoped);
    scoped.addHook('preHandler', resolveScope);
    scoped.get('/content_types', { schema: { querystring: listQuery } }, async (r) => delivery.contentTypes(r.deliveryScope, r.query));
    scoped.get('/content_types/:id', { schema: { params: itemParams } }, async (r) => delivery.contentType(r.deliveryScope, r.params.id));
    scoped.get('/entries', { schema: { querystring: collectionQuery } }, (r, reply) => collection(r, r.query, reply, 'entries'));
    scoped.get('/entries/:id', { schema: { params: itemParams, querystring: itemQuery } }, async (r) =>
      delivery.oneBody(r.deliveryScope, 'entries', r.params.id, r.query),
    );
    scoped.get('/assets', { schema: { querystring: collectionQuery } }, (r, reply) => collection(r, r.query, reply, 'assets'));
    scoped.get('/assets/:id', { schema: { params: itemParams, querystring: itemQuery } }, async (r) =>
      delivery.oneBody(r.deliveryScope, 'assets', r.params.id, r.query),
    );
    if (api === 'preview') {
      // Timeline preview: never kept, each answer is computed for the releases as they are now.
      for (const table of ['entries', 'assets'] as const) {
        scoped.get(`/timeline/${table}`, { schema: { querystring: collectionQuery } }, async (r) => {
          const { timeline, rest } = timelineQuery(r.query);
          return delivery.collection(await delivery.timelineScope(r.deliveryScope, timeline), table, rest);
        });
        scoped.get(`/timeline/${table}/:id`, { schema: { params: itemParams, querystring: z.looseObject({}) } }, async (r) => {
          const { timeline, rest } = timelineQuery(r.query as Record<string, unknown>);
          return delivery.one(await delivery.timelineScope(r.deliveryScope, timeline), table, r.params.id, rest);
        });
      }
    }
    scoped.get('/locales', { schema: { querystring: listQuery } }, async (r) => delivery.locales(r.deliveryScope, r.query));
    scoped.get('/tags', { schema: { querystring: listQuery } }, async (r) => delivery.tags(r.deliveryScope, r.query));
    scoped.get('/tags/:id', { schema: { params: itemParams } }, async (r) => delivery.tag(r.deliveryScope, r.params.id));
    scoped.get('/sync', { schema: { querystring: syncQuery, tags: ['Sync'] } }, async (r) => sync.sync(r.deliveryScope, r.query));

    // The taxonomy of the space's organization: the same on both APIs (it has no drafts), read with any key of the space.
    const organization = (r: FastifyRequest) => taxonomy.organizationOf(r.deliveryScope.spaceId);
    const pathOf = (r: FastifyRequest) => r.url.split('?')[0]!;
    scoped.get('/taxonomy/concepts', { schema: { querystring: taxonomyQuery } }, async (r) =>
      taxonomy.listConcepts(undefined, await organization(r), r.query, pathOf(r)),
    );
    scoped.get('/taxonomy/concepts/:id', { schema: { params: itemParams } }, async (r) =>
      taxonomy.getConcept(undefined, await organization(r), r.params.id),
    );
    for (const direction of ['ancestors', 'descendants'] as const) {
      scoped.get(`/taxonomy/concepts/:id/${direction}`, { schema: { params: itemParams, querystring: taxonomyQuery } }, async (r) =>
        taxonomy.relatives(undefined, await organization(r), r.params.id, direction, r.query, pathOf(r)),
      );
    }
    scoped.get('/taxonomy/concept-schemes', { schema: { querystring: taxonomyQuery } }, async (r) =>
      taxonomy.listSchemes(undefined, await organization(r), r.query, pathOf(r)),
    );
    scoped.get('/taxonomy/concept-schemes/:id', { schema: { params: itemParams } }, async (r) =>
      taxonomy.getScheme(undefined, await organization(r), r.params.id),
    );
  };
  await app.register(environmentRoutes, { prefix: '/spaces/:spaceId/environments/:environmentId' });
  await app.register(environmentRoutes, { prefix: '/spaces/:spaceId' });
};
