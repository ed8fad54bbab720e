import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../auth/token-secrets.js';
import type { RateLimits } from '../ratelimit/limiter.js';
import type { RateLimitStore } from '../ratelimit/store.js';
import { accessDenied, ApiError } from '../domain/errors.js';

export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const RATE_LIMIT_MESSAGE =
  'You have exceeded the rate limit of the Organization this Space belongs to by making too many API requests within a short timespan. Please wait a moment before trying the request again.';

/**
 * The management API's request gate, in order: rate limit (keyed by the presented token, so floods of
 * bad tokens are limited too), authentication, and the token's scope (read-only tokens only read).
 * Every response of the scope carries the rate-limit headers.
 */
export function registerManagementGate(app: FastifyInstance, options: { store: RateLimitStore; limits: RateLimits }) {
  const { store, limits } = options;
  const limited = limits.perSecond > 0 || limits.perHour > 0;
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request, reply) => {
    const token = presentedToken(request);
    if (limited) {
      const decision = await store.hit(token ? `cma:${hashToken(token)}` : `cma-ip:${request.ip}`, limits);
      reply.header('X-Contentful-RateLimit-Hour-Limit', limits.perHour);
      reply.header('X-Contentful-RateLimit-Hour-Remaining', decision.hourRemaining);
      reply.header('X-Contentful-RateLimit-Second-Limit', limits.perSecond);
      reply.header('X-Contentful-RateLimit-Second-Remaining', decision.secondRemaining);
      reply.header('X-Contentful-RateLimit-Reset', decision.reset);
      if (!decision.allowed) throw new ApiError('RateLimitExceeded', RATE_LIMIT_MESSAGE);
    }
    if (!token) throw new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');
    request.actor = await app.services.accessTokens.authenticate(token);
    if (!READ_METHODS.has(request.method) && !request.actor.scopes.has('content_management_manage')) {
      throw accessDenied('This access token only has the content_management_read scope and cannot change anything');
    }
  });
}
