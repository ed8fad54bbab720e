import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const environmentLink = z.object({ sys: z.looseObject({ id: z.string().min(1) }) });
const apiKeyBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).nullable().optional(),
  environments: z.array(environmentLink).optional(),
});

const spaceParams = pathIds('spaceId');
const keyParams = pathIds('spaceId', 'keyId');

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys } = app;
  const input = (body: z.output<typeof apiKeyBody>) => ({
    name: body.name,
    description: body.description,
    environments: body.environments?.map((e) => e.sys.id),
  });

  app.get('/spaces/:spaceId/api_keys', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    apiKeys.list(request.actor, request.params, request.query),
  );
  app.post('/spaces/:spaceId/api_keys', { schema: { params: spaceParams, body: apiKeyBody } }, async (request, reply) => {
    const result = await apiKeys.put(request.actor, request.params, undefined, input(request.body), undefined);
    return reply.status(201).send(result.item);
  });
  app.get('/spaces/:spaceId/api_keys/:keyId', { schema: { params: keyParams } }, async (request) =>
    apiKeys.get(request.actor, request.params, request.params.keyId),
  );
  app.put('/spaces/:spaceId/api_keys/:keyId', { schema: { params: keyParams, body: apiKeyBody } }, async (request, reply) => {
    const result = await apiKeys.put(
      request.actor,
      request.params,
      request.params.keyId,
      input(request.body),
      readVersionHeader(request.headers),
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/spaces/:spaceId/api_keys/:keyId', { schema: { params: keyParams } }, async (request, reply) => {
    await apiKeys.delete(request.actor, request.params, request.params.keyId);
    return reply.status(204).send();
  });
  app.get('/spaces/:spaceId/preview_api_keys', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    apiKeys.previews.list(request.actor, request.params, request.query),
  );
  app.get('/spaces/:spaceId/preview_api_keys/:keyId', { schema: { params: keyParams } }, async (request) =>
    apiKeys.previews.get(request.actor, request.params, request.params.keyId),
  );
};
