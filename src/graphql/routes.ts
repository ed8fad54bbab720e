import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../domain/errors.js';
import { documentAs } from '../http/api-docs.js';
import { presentedToken } from '../http/auth.js';
import { registerRateLimitGate } from '../http/rate-limit.js';
import { pathIds } from '../http/route-schemas.js';
import { wantsFresh } from '../http/cache-control.js';
import { wantsLocaleBasedPublishing } from '../http/locale-based-publishing.js';
import type { RateLimitStore } from '../ratelimit/store.js';
import { contentfulError } from './errors.js';
import { graphiqlPage } from './graphiql.js';
import type { GraphQLRequest } from './service.js';

export interface GraphQLRoutesOptions {
  rateLimitStore: RateLimitStore;
  perSecond: number;
  /** PUBLIC_URL: its scheme completes the asset URLs, its path prefixes the GraphiQL page's endpoint. */
  publicUrl: string;
}

type Params = { spaceId: string; environmentId?: string };

const graphqlQuery = z.looseObject({
  query: z.string().optional().describe('The GraphQL query (GET)'),
  variables: z.string().optional().describe('The variables as a JSON object (GET)'),
  operationName: z.string().optional(),
  access_token: z.string().optional().describe('A delivery or preview API key token, instead of the Authorization header'),
});

/** An error answer in the GraphQL shape, with the request id in `extensions.contentful`. */
function errorBody(request: FastifyRequest, message: string, code: string) {
  const error = contentfulError(message, code).toJSON();
  return { errors: [withRequestId(error, request.id)] };
}

function withRequestId<T extends { extensions?: Record<string, unknown> }>(error: T, requestId: string): T {
  const contentful = (error.extensions?.contentful ?? {}) as Record<string, unknown>;
  return { ...error, extensions: { ...error.extensions, contentful: { ...contentful, requestId } } };
}

/**
 * Contentful's GraphQL Content API at `/content/v1/spaces/{space}[/environments/{environment}]`, `GET`
 * and `POST`, read with a delivery or preview API key, rate-limited with the CDA.
 */
export const graphqlRoutes: FastifyPluginAsyncZod<GraphQLRoutesOptions> = async (app, { rateLimitStore, perSecond, publicUrl }) => {
  const { delivery, graphql } = app;
  // From PUBLIC_URL, never from the request: behind a proxy the request's scheme and path are the proxy's.
  const { protocol, pathname } = new URL(publicUrl);
  const basePath = pathname.replace(/\/+$/, '');
  documentAs(app, 'GraphQL');
  app.setErrorHandler((error: Error, request, reply) => {
    const apiError = error instanceof ApiError ? error : undefined;
    if (apiError?.headers) reply.headers(apiError.headers);
    const status = apiError?.status ?? (error as { statusCode?: number }).statusCode ?? 500;
    const code =
      status === 429
        ? 'RATE_LIMIT_EXCEEDED'
        : status === 503
          ? 'SERVICE_UNAVAILABLE'
          : status >= 500
            ? 'INTERNAL_SERVER_ERROR'
            : 'BAD_REQUEST';
    if (status >= 500 && status !== 503) request.log.error({ err: error }, 'GraphQL request failed');
    return reply.status(status).send(errorBody(request, status >= 500 && status !== 503 ? 'Internal server error' : error.message, code));
  });
  registerRateLimitGate(app, { store: rateLimitStore, api: 'cda', perSecond, onRefused: () => app.metrics.rateLimitRefused('graphql') });

  const handle = async (request: FastifyRequest, reply: FastifyReply, input: GraphQLRequest) => {
    const params = request.params as Params;
    const token = presentedToken(request);
    if (!token)
      return reply
        .status(401)
        .send(errorBody(request, 'Access token is missing: send it as a Bearer token or as access_token', 'ACCESS_TOKEN_MISSING'));
    const principal = await delivery.metadata.principal(token);
    if (!principal)
      return reply
        .status(401)
        .send(errorBody(request, 'The access token you sent could not be found or is invalid.', 'ACCESS_TOKEN_INVALID'));
    const answer = await graphql.run(principal, params.spaceId, params.environmentId, input, {
      protocol,
      fresh: wantsFresh(request),
      localeBased: wantsLocaleBasedPublishing(request),
    });
    if (answer.cost !== undefined) reply.header('X-Contentful-Graphql-Query-Cost', answer.cost);
    if (answer.payload) return reply.status(200).type('application/json; charset=utf-8').send(answer.payload);
    const body = {
      ...answer.body,
      ...(answer.body.errors
        ? { errors: answer.body.errors.map((e: import('graphql').GraphQLError) => withRequestId(e.toJSON(), request.id)) }
        : {}),
    };
    return reply.status(answer.status).type('application/json; charset=utf-8').send(body);
  };

  const wantsExplorer = (request: FastifyRequest) =>
    request.method === 'GET' && !(request.query as { query?: string }).query && (request.headers.accept ?? '').includes('text/html');

  for (const path of ['/spaces/:spaceId/environments/:environmentId', '/spaces/:spaceId']) {
    const params = path.includes('environmentId') ? pathIds('spaceId', 'environmentId') : pathIds('spaceId');
    app.get(
      path,
      { schema: { params, querystring: graphqlQuery, description: 'A GraphQL query in the query string, or GraphiQL for a browser' } },
      async (request, reply) => {
        if (wantsExplorer(request)) return reply.type('text/html; charset=utf-8').send(graphiqlPage(basePath + request.url.split('?')[0]!));
        const { query, variables, operationName } = request.query;
        return handle(request, reply, { query, variables, operationName });
      },
    );
    app.post(path, { schema: { params, description: 'A GraphQL query: { query, variables, operationName }' } }, async (request, reply) => {
      const body = (request.body ?? {}) as GraphQLRequest;
      return handle(request, reply, typeof body === 'object' ? body : {});
    });
  }
};
