import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagingQuery, pathIds, resourceId } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { environmentScoped } from '../environments/scoped-routes.js';

/** A user or team named by a step (permission actors, email recipients, task assignees). */
const principal = z.object({ sys: z.object({ type: z.literal('Link'), linkType: z.enum(['User', 'Team']), id: z.string().min(1) }) });

const stepAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('app'),
    appId: z.string().min(1),
    appActionId: z.string().min(1),
    configuration: z
      .object({ body: z.record(z.string(), z.unknown()).optional(), headers: z.record(z.string(), z.string()).optional() })
      .optional(),
  }),
  z.object({
    type: z.literal('email'),
    configuration: z.object({ recipients: z.array(z.union([z.email(), principal])).min(1) }),
  }),
  z.object({
    type: z.literal('task'),
    configuration: z.object({ assignee: principal, body: z.string().min(1).max(512), dueDate: z.number().optional() }),
  }),
]);

const stepPermission = z.object({
  type: z.enum(['entity_permission', 'workflow_permission']),
  configuration: z.object({
    actors: z.union([z.literal('all'), z.array(principal).min(1)]),
    action: z.enum(['edit', 'publish', 'delete']),
    effect: z.enum(['allow', 'deny']),
  }),
});

const step = z.looseObject({
  id: resourceId.optional(),
  name: z.string().min(1).max(255),
  description: z.string().max(1000).optional(),
  actions: z.array(stepAction).optional(),
  annotations: z.array(z.string()).optional(),
  permissions: z.array(stepPermission).optional(),
});

const definitionBody = z.looseObject({
  name: z.string().min(1).max(255),
  description: z.string().max(1000).nullable().optional(),
  appliesTo: z
    .array(
      z.object({
        type: z.literal('Link'),
        linkType: z.literal('Entry'),
        validations: z.array(z.object({ linkContentType: z.array(resourceId).min(1) })).min(1),
      }),
    )
    .optional(),
  // "A workflow definition can define up to 20 steps. Defining more than 20 steps will result in a validation error."
  steps: z.array(step).max(20).optional(),
  startOnEntityCreation: z.boolean().optional(),
  flowType: z.enum(['no_restriction', 'strict_neighbor']).optional(),
});

const definitionParams = pathIds('workflowDefinitionId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { workflowDefinitions } = app;
  app.get('/workflow_definitions', { schema: { querystring: pagingQuery } }, async (request) =>
    workflowDefinitions.list(request.actor, request.scope, request.query),
  );
  app.post('/workflow_definitions', { schema: { body: definitionBody } }, async (request, reply) =>
    reply.status(201).send(await workflowDefinitions.create(request.actor, request.scope, request.body)),
  );
  app.get('/workflow_definitions/:workflowDefinitionId', { schema: { params: definitionParams } }, async (request) =>
    workflowDefinitions.get(request.actor, request.scope, request.params.workflowDefinitionId),
  );
  app.put('/workflow_definitions/:workflowDefinitionId', { schema: { params: definitionParams, body: definitionBody } }, async (request) =>
    workflowDefinitions.update(
      request.actor,
      request.scope,
      request.params.workflowDefinitionId,
      request.body,
      readVersionHeader(request.headers),
    ),
  );
  app.delete('/workflow_definitions/:workflowDefinitionId', { schema: { params: definitionParams } }, async (request, reply) => {
    await workflowDefinitions.delete(request.actor, request.scope, request.params.workflowDefinitionId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
};

export const workflowDefinitionRoutes = environmentScoped(routes);
