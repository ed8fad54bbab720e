import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

const environmentLink = z.object({ sys: z.looseObject({ id: z.string().min(1) }) });
const apiKeyBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).nullable().optional(),
  environments: z.array(environmentLink).optional(),
});

type SpaceParams = { Params: { spaceId: string } };
type KeyParams = { Params: { spaceId: string; keyId: string } };

export const apiKeyRoutes: FastifyPluginAsync = async (app) => {
  const { apiKeys } = app.services;
  const input = (body: unknown) => {
    const parsed = parseBody(apiKeyBody, body);
    return { name: parsed.name, description: parsed.description, environments: parsed.environments?.map((e) => e.sys.id) };
  };
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);

  app.get<SpaceParams>('/spaces/:spaceId/api_keys', async (request) => apiKeys.list(request.actor, request.params, paging(request.query)));
  app.post<SpaceParams>('/spaces/:spaceId/api_keys', async (request, reply) => {
    const result = await apiKeys.put(request.actor, request.params, undefined, input(request.body), undefined);
    return reply.status(201).send(result.item);
  });
  app.get<KeyParams>('/spaces/:spaceId/api_keys/:keyId', async (request) =>
    apiKeys.get(request.actor, request.params, request.params.keyId),
  );
  app.put<KeyParams>('/spaces/:spaceId/api_keys/:keyId', async (request, reply) => {
    const id = assertResourceId(request.params.keyId, 'API key');
    const result = await apiKeys.put(request.actor, request.params, id, input(request.body), readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<KeyParams>('/spaces/:spaceId/api_keys/:keyId', async (request, reply) => {
    await apiKeys.delete(request.actor, request.params, request.params.keyId);
    return reply.status(204).send();
  });
  app.get<SpaceParams>('/spaces/:spaceId/preview_api_keys', async (request) =>
    apiKeys.previews.list(request.actor, request.params, paging(request.query)),
  );
  app.get<KeyParams>('/spaces/:spaceId/preview_api_keys/:keyId', async (request) =>
    apiKeys.previews.get(request.actor, request.params, request.params.keyId),
  );
};
