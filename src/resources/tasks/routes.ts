import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { pagingParameters, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { environmentScoped } from '../environments/scoped-routes.js';

const taskBody = z.looseObject({
  body: z.string().min(1),
  assignedTo: z.object({
    sys: z.looseObject({ type: z.literal('Link').optional(), linkType: z.enum(['User', 'Team']), id: z.string().min(1) }),
  }),
  status: z.enum(['active', 'resolved']),
  dueDate: z.string().min(1).nullable().optional(),
});
const taskQuery = z
  .looseObject({
    ...pagingParameters,
    status: z.enum(['active', 'resolved']).optional().describe('Only tasks of this status'),
    'assignedTo.sys.id': z.string().optional().describe('Only tasks assigned to this user or team'),
  })
  .transform((query) => ({ paging: parsePaging(query), status: query.status, assignee: query['assignedTo.sys.id'] }));
const entryParams = pathIds('entryId');
const taskParams = pathIds('entryId', 'taskId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { tasks } = app;
  app.get('/entries/:entryId/tasks', { schema: { params: entryParams, querystring: taskQuery } }, async (request) =>
    tasks.list(request.actor, request.scope, request.params.entryId, request.query),
  );
  app.post('/entries/:entryId/tasks', { schema: { params: entryParams, body: taskBody } }, async (request, reply) =>
    reply.status(201).send(await tasks.create(request.actor, request.scope, request.params.entryId, request.body)),
  );
  app.get('/entries/:entryId/tasks/:taskId', { schema: { params: taskParams } }, async (request) =>
    tasks.get(request.actor, request.scope, request.params.entryId, request.params.taskId),
  );
  app.put('/entries/:entryId/tasks/:taskId', { schema: { params: taskParams, body: taskBody } }, async (request) =>
    tasks.update(
      request.actor,
      request.scope,
      request.params.entryId,
      request.params.taskId,
      request.body,
      readVersionHeader(request.headers),
    ),
  );
  app.delete('/entries/:entryId/tasks/:taskId', { schema: { params: taskParams } }, async (request, reply) => {
    await tasks.delete(request.actor, request.scope, request.params.entryId, request.params.taskId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
};

/** `/spaces/{space}[/environments/{env}]/entries/{entry}/tasks`, as the SDK's `task.*` calls them. */
export const taskRoutes = environmentScoped(routes);
