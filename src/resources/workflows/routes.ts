import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pathIds, queryValue } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { environmentScoped } from '../environments/scoped-routes.js';

const link = (linkType: string) =>
  z.object({ sys: z.looseObject({ type: z.literal('Link'), linkType: z.literal(linkType), id: z.string().min(1) }) });

const workflowBody = z.looseObject({
  entity: link('Entry'),
  workflowDefinition: link('WorkflowDefinition'),
  stepId: z.string().min(1).optional(),
});
const stepBody = z.looseObject({ stepId: z.string().min(1) });
const workflowParams = pathIds('workflowId');

const parameter = (description: string) => queryValue.describe(description);
const workflowQuery = z.looseObject({
  skip: parameter('How many workflows to skip (default 0)'),
  limit: parameter('Workflows per page, 0 to 1000 (default 100)'),
  'stepId[in]': parameter('Comma-separated step ids'),
  'sys.entity.sys.linkType': parameter('`Entry`, with `sys.entity.sys.id[in]`'),
  'sys.entity.sys.id[in]': parameter('Comma-separated entry ids'),
  'sys.workflowDefinition.sys.id': parameter('The id of the workflow definition'),
  order: parameter('`sys.createdAt`, `-sys.createdAt` (default), `sys.updatedAt` or `-sys.updatedAt`'),
});
const changelogQuery = z.looseObject({
  skip: parameter('How many records to skip (default 0)'),
  limit: parameter('Records per page, 0 to 1000 (default 100)'),
  'entity.sys.linkType': parameter('Required: `Entry`'),
  'entity.sys.id': parameter('Required: comma-separated entry ids'),
  'workflow.sys.id': parameter('The id of one workflow'),
  'eventAt[lte]': parameter('Events at or before this ISO 8601 date'),
  'eventAt[gte]': parameter('Events at or after this ISO 8601 date'),
  'workflowDefinition.sys.id[in]': parameter('Comma-separated workflow definition ids'),
});

const routes: FastifyPluginAsyncZod = async (app) => {
  const { workflows } = app;
  app.get('/workflows', { schema: { querystring: workflowQuery } }, async (request) =>
    workflows.list(request.actor, request.scope, request.query),
  );
  app.post('/workflows', { schema: { body: workflowBody } }, async (request, reply) =>
    reply.status(201).send(await workflows.create(request.actor, request.scope, request.body)),
  );
  app.get('/workflows/:workflowId', { schema: { params: workflowParams } }, async (request) =>
    workflows.get(request.actor, request.scope, request.params.workflowId),
  );
  app.put('/workflows/:workflowId', { schema: { params: workflowParams, body: stepBody } }, async (request) =>
    workflows.update(request.actor, request.scope, request.params.workflowId, request.body.stepId, readVersionHeader(request.headers)),
  );
  app.put('/workflows/:workflowId/complete', { schema: { params: workflowParams } }, async (request, reply) => {
    await workflows.complete(request.actor, request.scope, request.params.workflowId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
  app.delete('/workflows/:workflowId', { schema: { params: workflowParams } }, async (request, reply) => {
    await workflows.delete(request.actor, request.scope, request.params.workflowId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
  app.get('/workflows_changelog', { schema: { querystring: changelogQuery } }, async (request) =>
    workflows.changelog(request.actor, request.scope, request.query),
  );
};

export const workflowRoutes = environmentScoped(routes);
