import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/**
 * The management API's authentication, after the rate-limit gate: the presented token must be a valid
 * access token, and a read-only token only reads.
 */
export function registerManagementAuthentication(app: FastifyInstance) {
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request) => {
    const token = presentedToken(request);
    if (!token) throw new ApiError('AccessTokenInvalid', 'The access token you sent could not be found or is invalid.');
    request.actor = await app.accessTokens.authenticate(token);
    if (!READ_METHODS.has(request.method) && !request.actor.scopes.has('content_management_manage')) {
      throw accessDenied('This access token only has the content_management_read scope and cannot change anything');
    }
  });
}
