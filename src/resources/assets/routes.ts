import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { jsonPatch, pathIds, searchQuery } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { entryBody } from '../entries/schema.js';
import { registerLifecycleRoutes } from '../publishable/lifecycle-routes.js';

const assetBody = entryBody.extend({ fields: z.record(z.string(), z.unknown()).optional() });
const assetParams = pathIds('assetId');
const assetSearch = searchQuery(
  'skip',
  'limit',
  'order',
  'select',
  'locale',
  'query',
  'links_to_entry',
  'mimetype_group',
  'cursor',
  'pageNext',
  'pagePrev',
);

const routes: FastifyPluginAsyncZod = async (app) => {
  const { assets } = app;

  app.get('/assets', { schema: { querystring: assetSearch } }, async (request) => assets.list(request.actor, request.scope, request.query));
  app.get('/public/assets', { schema: { querystring: assetSearch } }, async (request) =>
    assets.list(request.actor, request.scope, request.query, true),
  );
  app.get('/public/assets/:assetId', { schema: { params: assetParams } }, async (request) =>
    assets.getPublished(request.actor, request.scope, request.params.assetId),
  );
  app.post('/assets', { schema: { body: assetBody } }, async (request, reply) =>
    reply.status(201).send(await assets.create(request.actor, request.scope, undefined, request.body)),
  );
  app.get('/assets/:assetId', { schema: { params: assetParams } }, async (request) =>
    assets.get(request.actor, request.scope, request.params.assetId),
  );
  app.put('/assets/:assetId', { schema: { params: assetParams, body: assetBody } }, async (request, reply) => {
    const result = await assets.put(request.actor, request.scope, request.params.assetId, request.body, readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.asset);
  });
  app.patch('/assets/:assetId', { schema: { params: assetParams, body: jsonPatch } }, async (request) =>
    assets.patch(request.actor, request.scope, request.params.assetId, request.body, readVersionHeader(request.headers)),
  );
  app.put('/assets/:assetId/files/:locale/process', { schema: { params: pathIds('assetId', 'locale') } }, async (request, reply) => {
    await assets.process(request.actor, request.scope, request.params.assetId, request.params.locale);
    return reply.status(204).send();
  });
  registerLifecycleRoutes(app, 'assets', assets);
};

export const assetRoutes = environmentScoped(routes);
