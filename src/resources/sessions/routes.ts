import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashToken } from '../../auth/token-secrets.js';
import { ApiError } from '../../domain/errors.js';
import type { RateLimitStore } from '../../ratelimit/store.js';

const signInBody = z.object({
  email: z.string().trim().min(1).max(320),
  // No maximum here: a validation error would echo the value; the service refuses an over-long password.
  password: z.string().min(1),
});

export interface SessionRouteOptions {
  store: RateLimitStore;
  perEmailPerHour: number;
  perAddressPerHour: number;
}

/** Counts one sign-in attempt against `key`; over the hourly limit the attempt is refused before any password is checked. */
async function countAttempt(store: RateLimitStore, key: string, perHour: number, onRefused: () => void) {
  if (perHour <= 0) return;
  const decision = await store.hit(key, { perSecond: 0, perHour });
  if (!decision.allowed) {
    onRefused();
    const reset = String(decision.reset);
    throw new ApiError('RateLimitExceeded', 'Too many sign-in attempts. Please wait before trying again.', undefined, {
      'X-Contentful-RateLimit-Reset': reset,
      'Retry-After': reset,
    });
  }
}

/**
 * The web app's sign-in, under /app/api (not a Contentful API: Contentful's web app signs in on its own
 * pages and gets an OAuth token). `POST /app/api/sessions` with `{email, password}` answers 201 with a
 * personal access token that expires (its value in `token`, shown this once); signing out is the CMA's
 * `PUT /users/me/access_tokens/{sys.id}/revoked`. Attempts are counted per email address and per client
 * address (`X-Forwarded-For` with TRUST_PROXY), whether they succeed or not.
 */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, options) => {
  app.post(
    '/sessions',
    { schema: { body: signInBody, summary: 'Web app sign-in: an email address and a password for a short-lived access token' } },
    async (request, reply) => {
      const { email, password } = request.body;
      const refused = () => app.metrics.rateLimitRefused('sign_in');
      await countAttempt(options.store, `sign-in-ip:${request.ip}`, options.perAddressPerHour, refused);
      await countAttempt(options.store, `sign-in-email:${hashToken(email.toLowerCase())}`, options.perEmailPerHour, refused);
      return reply.status(201).send(await app.sessions.signIn(email, password));
    },
  );
};
