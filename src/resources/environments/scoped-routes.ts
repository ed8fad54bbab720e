import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { EnvironmentScope } from './scope.js';

declare module 'fastify' {
  interface FastifyRequest {
    scope: EnvironmentScope;
  }
}

export interface EnvironmentParams {
  spaceId: string;
  environmentId?: string;
}

/**
 * Registers the routes of an environment-aware resource twice: under
 * `/spaces/:spaceId/environments/:environmentId` and under `/spaces/:spaceId` (meaning `master`, as the
 * seeds say). Before each handler, `request.scope` holds the resolved space and environment.
 */
export function environmentScoped(routes: FastifyPluginAsync): FastifyPluginAsync {
  const scoped: FastifyPluginAsync = async (app: FastifyInstance) => {
    app.decorateRequest('scope', null as never);
    app.addHook('preHandler', async (request) => {
      const { spaceId, environmentId } = request.params as EnvironmentParams;
      request.scope = await app.services.environmentScopes.resolve(request.actor, spaceId, environmentId);
    });
    await app.register(routes);
  };
  return async (app) => {
    await app.register(scoped, { prefix: '/spaces/:spaceId/environments/:environmentId' });
    await app.register(scoped, { prefix: '/spaces/:spaceId' });
  };
}
