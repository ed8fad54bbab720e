import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { environmentScoped } from '../environments/scoped-routes.js';

const releaseBody = z.looseObject({
  title: z.string().min(1).max(255),
  entities: z.looseObject({ sys: z.looseObject({}).optional(), items: z.array(z.looseObject({})) }),
  sys: z.looseObject({ schemaVersion: z.enum(['Release.v1', 'Release.v2']).optional() }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const releaseParams = pathIds('releaseId');
const actionParams = pathIds('releaseId', 'actionId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { releases } = app;
  app.get('/releases', { schema: { querystring: z.looseObject({}) } }, async (request) =>
    releases.list(request.scope, request.query as Record<string, unknown>),
  );
  app.post('/releases', { schema: { body: releaseBody } }, async (request, reply) =>
    reply.status(201).send(await releases.create(request.actor, request.scope, request.body)),
  );
  app.get('/releases/:releaseId', { schema: { params: releaseParams } }, async (request) =>
    releases.get(request.scope, request.params.releaseId),
  );
  app.put('/releases/:releaseId', { schema: { params: releaseParams, body: releaseBody } }, async (request) =>
    releases.update(request.actor, request.scope, request.params.releaseId, request.body, readVersionHeader(request.headers)),
  );
  app.delete('/releases/:releaseId', { schema: { params: releaseParams } }, async (request, reply) => {
    await releases.delete(request.actor, request.scope, request.params.releaseId);
    return reply.status(204).send();
  });
  const action =
    (name: 'publish' | 'unpublish' | 'validate', versioned: boolean) =>
    async (request: FastifyRequest<{ Params: { releaseId: string } }>, reply: FastifyReply) => {
      const version = versioned ? readVersionHeader(request.headers) : undefined;
      return reply.status(202).send(await releases.startAction(request.actor, request.scope, request.params.releaseId, name, version));
    };
  app.put('/releases/:releaseId/published', { schema: { params: releaseParams } }, action('publish', true));
  app.delete('/releases/:releaseId/published', { schema: { params: releaseParams } }, action('unpublish', true));
  app.post('/releases/:releaseId/validate', { schema: { params: releaseParams } }, action('validate', false));
  app.put('/releases/:releaseId/archived', { schema: { params: releaseParams } }, async (request) =>
    releases.archive(request.actor, request.scope, request.params.releaseId, readVersionHeader(request.headers)),
  );
  app.delete('/releases/:releaseId/archived', { schema: { params: releaseParams } }, async (request) =>
    releases.unarchive(request.actor, request.scope, request.params.releaseId, readVersionHeader(request.headers)),
  );
  app.get('/releases/:releaseId/actions/:actionId', { schema: { params: actionParams } }, async (request) =>
    releases.getAction(request.scope, request.params.releaseId, request.params.actionId),
  );
  app.get('/release_actions', { schema: { querystring: z.looseObject({}) } }, async (request) =>
    releases.listActions(request.scope, request.query as Record<string, unknown>),
  );
};

export const releaseRoutes = environmentScoped(routes);
