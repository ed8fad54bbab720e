import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertPathIds } from '../../domain/ids.js';
import { addPrefixIds } from '../../http/route-schemas.js';
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
 * seeds say). The routes declare their own ids; the space and environment ids join their params schema.
 * Before the body and query are validated, `request.scope` holds the resolved space and environment, so
 * a request to a space or environment the caller cannot see fails on that, whatever it sends.
 */
export function environmentScoped(routes: FastifyPluginAsyncZod): FastifyPluginAsync {
  const scoped: FastifyPluginAsyncZod = async (app) => {
    addPrefixIds(app);
    app.decorateRequest('scope', null as never);
    app.addHook<{ Params: EnvironmentParams }>('preValidation', async (request) => {
      // The scope is looked up before Fastify validates the params, so the ids are checked here first.
      assertPathIds(request.params);
      const { spaceId, environmentId } = request.params;
      request.scope = await app.environmentScopes.resolve(request.actor, spaceId, environmentId);
    });
    await app.register(routes);
  };
  return async (app) => {
    await app.register(scoped, { prefix: '/spaces/:spaceId/environments/:environmentId' });
    await app.register(scoped, { prefix: '/spaces/:spaceId' });
  };
}
