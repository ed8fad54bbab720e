import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { ServerMetrics } from '../metrics/prometheus.js';

/** The route label of a request no route matched (an unknown path), so raw URLs never become labels. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts every answer by method, route pattern (`/spaces/:spaceId/entries`, never the raw URL) and status, with
 * its duration. Added on the root instance before any plugin, so every route inherits it.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: ServerMetrics) {
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestAnswered(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
  });
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus' text format. With `token` (METRICS_TOKEN) it needs `Authorization: Bearer
 * <token>`, else 401 `AccessTokenInvalid`; without, it is open (keep it on a private network then).
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: ServerMetrics; token?: string }> = async (app, { metrics, token }) => {
  const expected = token === undefined ? undefined : digest(token);
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (needs METRICS_TOKEN as a Bearer token when it is set)' } },
    async (request, reply) => {
      if (expected) {
        const presented = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
        // Digests of equal length, compared in constant time: the comparison tells nothing about the token.
        if (presented === undefined || !timingSafeEqual(digest(presented), expected))
          throw new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');
      }
      const { contentType, text } = await metrics.exposition();
      return reply.type(contentType).send(text);
    },
  );
};
