import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validationFailed } from '../../domain/errors.js';
import { pathIds } from '../../http/route-schemas.js';
import { environmentScoped } from '../environments/scoped-routes.js';
import type { BulkActionType } from './service.js';

const entityLink = z.object({
  sys: z.looseObject({
    type: z.literal('Link').optional(),
    linkType: z.enum(['Entry', 'Asset']),
    id: z.string().min(1),
    version: z.number().int().optional(),
  }),
});
const v1Body = z.looseObject({ entities: z.looseObject({ sys: z.looseObject({}).optional(), items: z.array(entityLink) }) });
const v2Body = z.looseObject({
  action: z.enum(['publish', 'unpublish', 'validate']),
  entities: z.array(z.looseObject({ entity: entityLink })),
});
const actionParams = pathIds('bulkActionId');

/** A publish names the version of each entity it publishes (Contentful answers exactly this). */
function requireVersions(items: { sys: { version?: number } }[], path: (i: number) => (string | number)[]) {
  const missing = items.flatMap((item, i) => (item.sys.version === undefined ? [i] : []));
  if (missing.length)
    throw validationFailed(
      missing.map((i) => ({
        details: `"${path(i)
          .join('.')
          .replace(/\.(\d+)\./g, '[$1].')}" is required`,
        name: 'any.required',
        path: path(i),
      })),
    );
}

const routes: FastifyPluginAsyncZod = async (app) => {
  const { bulkActions } = app;
  for (const action of ['publish', 'unpublish', 'validate'] as BulkActionType[]) {
    app.post(`/bulk_actions/${action}`, { schema: { body: v1Body } }, async (request, reply) => {
      if (action === 'publish') requireVersions(request.body.entities.items, (i) => ['entities', 'items', i, 'sys', 'version']);
      return reply.status(201).send(await bulkActions.create(request.actor, request.scope, action, request.body, 1));
    });
  }
  app.get('/bulk_actions/actions/:bulkActionId', { schema: { params: actionParams } }, async (request) =>
    bulkActions.get(request.scope, request.params.bulkActionId),
  );
  app.post('/bulk_actions', { schema: { body: v2Body } }, async (request, reply) => {
    if (request.body.action === 'publish')
      requireVersions(
        request.body.entities.map((e) => e.entity),
        (i) => ['entities', i, 'entity', 'sys', 'version'],
      );
    return reply.status(201).send(await bulkActions.create(request.actor, request.scope, request.body.action, request.body, 2));
  });
  app.get('/bulk_actions/:bulkActionId', { schema: { params: actionParams } }, async (request) =>
    bulkActions.get(request.scope, request.params.bulkActionId),
  );
};

export const bulkActionRoutes = environmentScoped(routes);
