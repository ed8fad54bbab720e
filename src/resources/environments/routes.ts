import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

const environmentBody = z.looseObject({ name: z.string().trim().min(1).max(255) });
const aliasBody = z.looseObject({
  environment: z.object({
    sys: z.looseObject({ id: z.string().min(1), type: z.literal('Link').optional(), linkType: z.literal('Environment').optional() }),
  }),
});

type SpaceParams = { Params: { spaceId: string } };
type EnvParams = { Params: { spaceId: string; environmentId: string } };
type AliasParams = { Params: { spaceId: string; aliasId: string } };

const header = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export const environmentRoutes: FastifyPluginAsync = async (app) => {
  const { environments, environmentAliases } = app.services;

  app.get<SpaceParams>('/spaces/:spaceId/environments', async (request) =>
    environments.list(
      request.actor,
      assertResourceId(request.params.spaceId, 'space'),
      parsePaging(request.query as Record<string, unknown>),
    ),
  );
  app.post<SpaceParams>('/spaces/:spaceId/environments', async (request, reply) => {
    const body = parseBody(environmentBody, request.body);
    const source = header(request.headers['x-contentful-source-environment']);
    const result = await environments.put(request.actor, request.params.spaceId, undefined, body.name, source, undefined);
    return reply.status(201).send(result.environment);
  });
  app.get<EnvParams>('/spaces/:spaceId/environments/:environmentId', async (request) =>
    environments.get(request.actor, request.params.spaceId, assertResourceId(request.params.environmentId, 'environment')),
  );
  app.put<EnvParams>('/spaces/:spaceId/environments/:environmentId', async (request, reply) => {
    const id = assertResourceId(request.params.environmentId, 'environment');
    const body = parseBody(environmentBody, request.body);
    const source = header(request.headers['x-contentful-source-environment']);
    const result = await environments.put(request.actor, request.params.spaceId, id, body.name, source, readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.environment);
  });
  app.delete<EnvParams>('/spaces/:spaceId/environments/:environmentId', async (request, reply) => {
    await environments.delete(request.actor, request.params.spaceId, request.params.environmentId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });

  app.get<SpaceParams>('/spaces/:spaceId/environment_aliases', async (request) =>
    environmentAliases.list(request.actor, { spaceId: assertResourceId(request.params.spaceId, 'space') }),
  );
  app.get<AliasParams>('/spaces/:spaceId/environment_aliases/:aliasId', async (request) =>
    environmentAliases.get(request.actor, request.params, request.params.aliasId),
  );
  app.put<AliasParams>('/spaces/:spaceId/environment_aliases/:aliasId', async (request, reply) => {
    const aliasId = assertResourceId(request.params.aliasId, 'environment alias');
    const body = parseBody(aliasBody, request.body);
    const result = await environmentAliases.put(
      request.actor,
      request.params,
      aliasId,
      body.environment.sys.id,
      readVersionHeader(request.headers),
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<AliasParams>('/spaces/:spaceId/environment_aliases/:aliasId', async (request, reply) => {
    await environmentAliases.delete(request.actor, request.params, request.params.aliasId);
    return reply.status(204).send();
  });
};
