import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const environmentBody = z.looseObject({ name: z.string().trim().min(1).max(255) });
const aliasBody = z.looseObject({
  environment: z.object({
    sys: z.looseObject({ id: z.string().min(1), type: z.literal('Link').optional(), linkType: z.literal('Environment').optional() }),
  }),
});

const spaceParams = pathIds('spaceId');
const environmentParams = pathIds('spaceId', 'environmentId');
const aliasParams = pathIds('spaceId', 'aliasId');

const header = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export const environmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { environments, environmentAliases } = app;

  app.get('/spaces/:spaceId/environments', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    environments.list(request.actor, request.params.spaceId, request.query),
  );
  app.post('/spaces/:spaceId/environments', { schema: { params: spaceParams, body: environmentBody } }, async (request, reply) => {
    const source = header(request.headers['x-contentful-source-environment']);
    const result = await environments.put(request.actor, request.params.spaceId, undefined, request.body.name, source, undefined);
    return reply.status(201).send(result.environment);
  });
  app.get('/spaces/:spaceId/environments/:environmentId', { schema: { params: environmentParams } }, async (request) =>
    environments.get(request.actor, request.params.spaceId, request.params.environmentId),
  );
  app.put(
    '/spaces/:spaceId/environments/:environmentId',
    { schema: { params: environmentParams, body: environmentBody } },
    async (request, reply) => {
      const { spaceId, environmentId } = request.params;
      const source = header(request.headers['x-contentful-source-environment']);
      const result = await environments.put(
        request.actor,
        spaceId,
        environmentId,
        request.body.name,
        source,
        readVersionHeader(request.headers),
      );
      return reply.status(result.created ? 201 : 200).send(result.environment);
    },
  );
  app.delete('/spaces/:spaceId/environments/:environmentId', { schema: { params: environmentParams } }, async (request, reply) => {
    await environments.delete(request.actor, request.params.spaceId, request.params.environmentId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });

  app.get('/spaces/:spaceId/environment_aliases', { schema: { params: spaceParams } }, async (request) =>
    environmentAliases.list(request.actor, request.params),
  );
  app.get('/spaces/:spaceId/environment_aliases/:aliasId', { schema: { params: aliasParams } }, async (request) =>
    environmentAliases.get(request.actor, request.params, request.params.aliasId),
  );
  app.put('/spaces/:spaceId/environment_aliases/:aliasId', { schema: { params: aliasParams, body: aliasBody } }, async (request, reply) => {
    const version = readVersionHeader(request.headers);
    const result = await environmentAliases.put(
      request.actor,
      request.params,
      request.params.aliasId,
      request.body.environment.sys.id,
      version,
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/spaces/:spaceId/environment_aliases/:aliasId', { schema: { params: aliasParams } }, async (request, reply) => {
    await environmentAliases.delete(request.actor, request.params, request.params.aliasId);
    return reply.status(204).send();
  });
};
