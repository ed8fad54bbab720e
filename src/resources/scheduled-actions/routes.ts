import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pathIds, queryValue } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const link = (linkTypes: [string, ...string[]]) => z.object({ sys: z.looseObject({ linkType: z.enum(linkTypes), id: z.string().min(1) }) });
const scheduledActionBody = z.looseObject({
  entity: link(['Entry', 'Asset', 'Release']),
  environment: z.object({ sys: z.looseObject({ id: z.string().min(1) }) }).optional(),
  action: z.enum(['publish', 'unpublish']),
  scheduledFor: z.object({ datetime: z.string().min(1), timezone: z.string().min(1).optional() }),
  payload: z.record(z.string(), z.unknown()).optional(),
});

const spaceParams = pathIds('spaceId');
const actionParams = pathIds('spaceId', 'scheduledActionId');
const environmentQuery = z.looseObject({ 'environment.sys.id': queryValue.describe('The environment of the scheduled action') });
const environmentOf = (query: Record<string, unknown>) => {
  const id = query['environment.sys.id'];
  return typeof id === 'string' && id !== '' ? id : 'master';
};

/** `/spaces/{space}/scheduled_actions`, the environment named by the body or `environment.sys.id`. */
export const scheduledActionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { scheduledActions } = app;
  app.get('/spaces/:spaceId/scheduled_actions', { schema: { params: spaceParams, querystring: z.looseObject({}) } }, async (request) =>
    scheduledActions.list(request.actor, request.params.spaceId, request.query as Record<string, unknown>),
  );
  app.post('/spaces/:spaceId/scheduled_actions', { schema: { params: spaceParams, body: scheduledActionBody } }, async (request, reply) =>
    reply.status(201).send(await scheduledActions.create(request.actor, request.params.spaceId, request.body)),
  );
  app.get(
    '/spaces/:spaceId/scheduled_actions/:scheduledActionId',
    { schema: { params: actionParams, querystring: environmentQuery } },
    async (request) =>
      scheduledActions.get(request.actor, request.params.spaceId, environmentOf(request.query), request.params.scheduledActionId),
  );
  app.put(
    '/spaces/:spaceId/scheduled_actions/:scheduledActionId',
    { schema: { params: actionParams, querystring: environmentQuery, body: scheduledActionBody } },
    async (request) =>
      scheduledActions.update(
        request.actor,
        request.params.spaceId,
        request.params.scheduledActionId,
        { ...request.body, environment: request.body.environment ?? { sys: { id: environmentOf(request.query) } } },
        readVersionHeader(request.headers),
      ),
  );
  app.delete(
    '/spaces/:spaceId/scheduled_actions/:scheduledActionId',
    { schema: { params: actionParams, querystring: environmentQuery } },
    async (request) =>
      scheduledActions.cancel(request.actor, request.params.spaceId, environmentOf(request.query), request.params.scheduledActionId),
  );
};
