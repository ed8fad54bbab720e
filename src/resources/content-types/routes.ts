import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { pagingQuery, pathIds, searchQuery } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

/** The definition itself is checked by the service (content-type-definition.ts); here only its outline. */
const contentTypeBody = z.looseObject({});
const editorInterfaceBody = z.looseObject({
  controls: z.array(z.looseObject({ fieldId: z.string() })).optional(),
  sidebar: z.array(z.unknown()).nullable().optional(),
  editorLayout: z.array(z.unknown()).nullable().optional(),
  groupControls: z.array(z.unknown()).nullable().optional(),
  editors: z.array(z.unknown()).nullable().optional(),
  editor: z.looseObject({}).nullable().optional(),
});

const contentTypeParams = pathIds('contentTypeId');
const snapshotParams = pathIds('contentTypeId', 'snapshotId');
const contentTypeSearch = searchQuery('skip', 'limit', 'order', 'select', 'query', 'cursor', 'pageNext', 'pagePrev');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { contentTypes, editorInterfaces, snapshots } = app;

  app.get('/content_types', { schema: { querystring: contentTypeSearch } }, async (request) =>
    contentTypes.list(request.actor, request.scope, request.query),
  );
  app.get('/public/content_types', { schema: { querystring: contentTypeSearch } }, async (request) =>
    contentTypes.list(request.actor, request.scope, request.query, true),
  );
  app.get('/public/content_types/:contentTypeId', { schema: { params: contentTypeParams } }, async (request) =>
    contentTypes.getPublished(request.actor, request.scope, request.params.contentTypeId),
  );
  app.post('/content_types', { schema: { body: contentTypeBody } }, async (request, reply) =>
    reply.status(201).send((await contentTypes.createOrUpdate(request.actor, request.scope, undefined, request.body, undefined)).item),
  );
  app.get('/content_types/:contentTypeId', { schema: { params: contentTypeParams } }, async (request) =>
    contentTypes.get(request.actor, request.scope, request.params.contentTypeId),
  );
  app.put('/content_types/:contentTypeId', { schema: { params: contentTypeParams, body: contentTypeBody } }, async (request, reply) => {
    const version = readVersionHeader(request.headers);
    const result = await contentTypes.createOrUpdate(request.actor, request.scope, request.params.contentTypeId, request.body, version);
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/content_types/:contentTypeId', { schema: { params: contentTypeParams } }, async (request, reply) => {
    await contentTypes.delete(request.actor, request.scope, request.params.contentTypeId);
    return reply.status(204).send();
  });
  app.put('/content_types/:contentTypeId/published', { schema: { params: contentTypeParams } }, async (request) =>
    contentTypes.publish(request.actor, request.scope, request.params.contentTypeId, readVersionHeader(request.headers)),
  );
  app.delete('/content_types/:contentTypeId/published', { schema: { params: contentTypeParams } }, async (request) =>
    contentTypes.unpublish(request.actor, request.scope, request.params.contentTypeId),
  );

  app.get('/editor_interfaces', { schema: { querystring: pagingQuery } }, async (request) =>
    editorInterfaces.list(request.actor, request.scope, request.query),
  );
  app.get('/content_types/:contentTypeId/editor_interface', { schema: { params: contentTypeParams } }, async (request) =>
    editorInterfaces.get(request.actor, request.scope, request.params.contentTypeId),
  );
  app.put(
    '/content_types/:contentTypeId/editor_interface',
    { schema: { params: contentTypeParams, body: editorInterfaceBody } },
    async (request) =>
      editorInterfaces.update(request.actor, request.scope, request.params.contentTypeId, request.body, readVersionHeader(request.headers)),
  );

  app.get('/content_types/:contentTypeId/snapshots', { schema: { params: contentTypeParams, querystring: pagingQuery } }, async (request) =>
    snapshots.list(request.actor, request.scope, 'ContentType', request.params.contentTypeId, request.query),
  );
  app.get('/content_types/:contentTypeId/snapshots/:snapshotId', { schema: { params: snapshotParams } }, async (request) =>
    snapshots.get(request.actor, request.scope, 'ContentType', request.params.contentTypeId, request.params.snapshotId),
  );
};

export const contentTypeRoutes = environmentScoped(routes);
