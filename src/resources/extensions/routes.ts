import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { extensionBody } from './schema.js';

const extensionParams = pathIds('extensionId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { extensions } = app;
  app.get('/extensions', { schema: { querystring: pagingQuery } }, async (request) =>
    extensions.list(request.actor, request.scope, request.query),
  );
  app.post('/extensions', { schema: { body: extensionBody } }, async (request, reply) => {
    return reply.status(201).send(await extensions.create(request.actor, request.scope, request.body));
  });
  app.get('/extensions/:extensionId', { schema: { params: extensionParams } }, async (request) =>
    extensions.get(request.actor, request.scope, request.params.extensionId),
  );
  app.put('/extensions/:extensionId', { schema: { params: extensionParams, body: extensionBody } }, async (request, reply) => {
    const version = readVersionHeader(request.headers);
    const result = await extensions.put(request.actor, request.scope, request.params.extensionId, request.body, version);
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/extensions/:extensionId', { schema: { params: extensionParams } }, async (request, reply) => {
    await extensions.delete(request.actor, request.scope, request.params.extensionId);
    return reply.status(204).send();
  });
};

export const extensionRoutes = environmentScoped(routes);
