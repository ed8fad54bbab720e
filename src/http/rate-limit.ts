import type { FastifyInstance } from 'fastify';
import { hashToken } from '../auth/token-secrets.js';
import { ApiError } from '../domain/errors.js';
import type { RateLimitStore } from '../ratelimit/store.js';
import { presentedToken } from './auth.js';

export const RATE_LIMIT_MESSAGE =
  'You have exceeded the rate limit of the Organization this Space belongs to by making too many API requests within a short timespan. Please wait a moment before trying the request again.';

export interface RateLimitGateOptions {
  store: RateLimitStore;
  /** Names the API in the counters' keys (`cma`, `cda`): each API counts its own requests. */
  api: string;
  perSecond: number;
  /** The hourly limit of an API that has one (the CMA); such an API reports it in the hour headers. */
  perHour?: number;
  /** Told of each refused request (the metrics count them by API). */
  onRefused?: () => void;
}

/**
 * The first check of every management and delivery request: counts it against the presented token (so
 * floods of bad tokens are limited too) or, without one, the client address, sets the rate-limit
 * headers, and refuses it with 429 `RateLimitExceeded` over the limit. A limit of 0 is off.
 */
export function registerRateLimitGate(app: FastifyInstance, options: RateLimitGateOptions) {
  const { store, api, perSecond, perHour, onRefused } = options;
  if (perSecond <= 0 && !(perHour !== undefined && perHour > 0)) return;
  const limits = { perSecond, perHour: perHour ?? 0 };
  app.addHook('onRequest', async (request, reply) => {
    const token = presentedToken(request);
    const decision = await store.hit(token ? `${api}:${hashToken(token)}` : `${api}-ip:${request.ip}`, limits);
    if (perHour !== undefined) {
      reply.header('X-Contentful-RateLimit-Hour-Limit', perHour);
      reply.header('X-Contentful-RateLimit-Hour-Remaining', decision.hourRemaining);
    }
    reply.header('X-Contentful-RateLimit-Second-Limit', perSecond);
    reply.header('X-Contentful-RateLimit-Second-Remaining', decision.secondRemaining);
    reply.header('X-Contentful-RateLimit-Reset', decision.reset);
    if (!decision.allowed) {
      onRefused?.();
      throw new ApiError('RateLimitExceeded', RATE_LIMIT_MESSAGE);
    }
  });
}
