import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { entryBody } from '../entries/schema.js';
import { registerLifecycleRoutes } from '../publishable/lifecycle-routes.js';

const assetBody = entryBody.extend({ fields: z.record(z.string(), z.unknown()).optional() });

type Params = { Params: { assetId: string } };
type ProcessParams = { Params: { assetId: string; locale: string } };

const routes: FastifyPluginAsync = async (app) => {
  const { assets } = app.services;

  app.get('/assets', async (request) => assets.list(request.actor, request.scope, request.query as Record<string, unknown>));
  app.get('/public/assets', async (request) => assets.list(request.actor, request.scope, request.query as Record<string, unknown>, true));
  app.get<Params>('/public/assets/:assetId', async (request) => assets.getPublished(request.actor, request.scope, request.params.assetId));
  app.post('/assets', async (request, reply) => {
    const body = parseBody(assetBody, request.body);
    return reply.status(201).send(await assets.create(request.actor, request.scope, undefined, body));
  });
  app.get<Params>('/assets/:assetId', async (request) => assets.get(request.actor, request.scope, request.params.assetId));
  app.put<Params>('/assets/:assetId', async (request, reply) => {
    const id = assertResourceId(request.params.assetId, 'asset');
    const body = parseBody(assetBody, request.body);
    const result = await assets.put(request.actor, request.scope, id, body, readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.asset);
  });
  app.put<ProcessParams>('/assets/:assetId/files/:locale/process', async (request, reply) => {
    await assets.process(request.actor, request.scope, request.params.assetId, request.params.locale);
    return reply.status(204).send();
  });
  registerLifecycleRoutes(app, 'assets', assets);
};

export const assetRoutes = environmentScoped(routes);
