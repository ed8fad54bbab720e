import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

/** The definition itself is checked by the service (content-type-definition.ts); here only its outline. */
const contentTypeBody = z.looseObject({});
const editorInterfaceBody = z.looseObject({
  controls: z.array(z.looseObject({ fieldId: z.string() })).optional(),
  sidebar: z.array(z.unknown()).nullable().optional(),
  editorLayout: z.array(z.unknown()).nullable().optional(),
  groupControls: z.array(z.unknown()).nullable().optional(),
});

type Params = { Params: { contentTypeId: string } };
type SnapshotParams = { Params: { contentTypeId: string; snapshotId: string } };

const routes: FastifyPluginAsync = async (app) => {
  const { contentTypes, editorInterfaces, snapshots } = app.services;
  const query = (q: unknown) => parsePaging(q as Record<string, unknown>);

  app.get('/content_types', async (request) => contentTypes.list(request.actor, request.scope, request.query as Record<string, unknown>));
  app.get('/public/content_types', async (request) =>
    contentTypes.list(request.actor, request.scope, request.query as Record<string, unknown>, true),
  );
  app.get<Params>('/public/content_types/:contentTypeId', async (request) =>
    contentTypes.getPublished(request.actor, request.scope, request.params.contentTypeId),
  );
  app.post('/content_types', async (request, reply) => {
    const body = parseBody(contentTypeBody, request.body);
    return reply.status(201).send((await contentTypes.createOrUpdate(request.actor, request.scope, undefined, body, undefined)).item);
  });
  app.get<Params>('/content_types/:contentTypeId', async (request) =>
    contentTypes.get(request.actor, request.scope, request.params.contentTypeId),
  );
  app.put<Params>('/content_types/:contentTypeId', async (request, reply) => {
    const id = assertResourceId(request.params.contentTypeId, 'content type');
    const body = parseBody(contentTypeBody, request.body);
    const version = readVersionHeader(request.headers);
    const result = await contentTypes.createOrUpdate(request.actor, request.scope, id, body, version);
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<Params>('/content_types/:contentTypeId', async (request, reply) => {
    await contentTypes.delete(request.actor, request.scope, request.params.contentTypeId);
    return reply.status(204).send();
  });
  app.put<Params>('/content_types/:contentTypeId/published', async (request) =>
    contentTypes.publish(request.actor, request.scope, request.params.contentTypeId, readVersionHeader(request.headers)),
  );
  app.delete<Params>('/content_types/:contentTypeId/published', async (request) =>
    contentTypes.unpublish(request.actor, request.scope, request.params.contentTypeId),
  );

  app.get('/editor_interfaces', async (request) => editorInterfaces.list(request.actor, request.scope, query(request.query)));
  app.get<Params>('/content_types/:contentTypeId/editor_interface', async (request) =>
    editorInterfaces.get(request.actor, request.scope, request.params.contentTypeId),
  );
  app.put<Params>('/content_types/:contentTypeId/editor_interface', async (request) => {
    const body = parseBody(editorInterfaceBody, request.body);
    return editorInterfaces.update(request.actor, request.scope, request.params.contentTypeId, body, readVersionHeader(request.headers));
  });

  app.get<Params>('/content_types/:contentTypeId/snapshots', async (request) =>
    snapshots.list(request.actor, request.scope, 'ContentType', request.params.contentTypeId, query(request.query)),
  );
  app.get<SnapshotParams>('/content_types/:contentTypeId/snapshots/:snapshotId', async (request) =>
    snapshots.get(request.actor, request.scope, 'ContentType', request.params.contentTypeId, request.params.snapshotId),
  );
};

export const contentTypeRoutes = environmentScoped(routes);
