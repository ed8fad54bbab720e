import type { FastifyPluginAsync } from 'fastify';
import { environmentScoped } from '../environments/scoped-routes.js';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { extensionBody } from './schema.js';

type Params = { Params: { extensionId: string } };

const routes: FastifyPluginAsync = async (app) => {
  const { extensions } = app.services;
  app.get('/extensions', async (request) =>
    extensions.list(request.actor, request.scope, parsePaging(request.query as Record<string, unknown>)),
  );
  app.post('/extensions', async (request, reply) => {
    return reply.status(201).send(await extensions.create(request.actor, request.scope, parseBody(extensionBody, request.body)));
  });
  app.get<Params>('/extensions/:extensionId', async (request) => extensions.get(request.actor, request.scope, request.params.extensionId));
  app.put<Params>('/extensions/:extensionId', async (request, reply) => {
    const id = assertResourceId(request.params.extensionId, 'extension');
    const result = await extensions.put(
      request.actor,
      request.scope,
      id,
      parseBody(extensionBody, request.body),
      readVersionHeader(request.headers),
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<Params>('/extensions/:extensionId', async (request, reply) => {
    await extensions.delete(request.actor, request.scope, request.params.extensionId);
    return reply.status(204).send();
  });
};

export const extensionRoutes = environmentScoped(routes);
