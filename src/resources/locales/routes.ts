import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const LOCALE_CODE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/;

const localeBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  code: z.string().regex(LOCALE_CODE, 'must be a locale code such as en-US'),
  fallbackCode: z.string().regex(LOCALE_CODE).nullable().optional(),
  default: z.boolean().optional(),
  contentManagementApi: z.boolean().optional(),
  contentDeliveryApi: z.boolean().optional(),
  optional: z.boolean().optional(),
});

const localeParams = pathIds('localeId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { locales } = app;
  app.get('/locales', { schema: { querystring: pagingQuery } }, async (request) =>
    locales.list(request.actor, request.scope, request.query),
  );
  app.post('/locales', { schema: { body: localeBody } }, async (request, reply) =>
    reply.status(201).send(await locales.create(request.actor, request.scope, request.body)),
  );
  app.get('/locales/:localeId', { schema: { params: localeParams } }, async (request) =>
    locales.get(request.actor, request.scope, request.params.localeId),
  );
  app.put('/locales/:localeId', { schema: { params: localeParams, body: localeBody } }, async (request) =>
    locales.update(request.actor, request.scope, request.params.localeId, request.body, readVersionHeader(request.headers)),
  );
  app.delete('/locales/:localeId', { schema: { params: localeParams } }, async (request, reply) => {
    await locales.delete(request.actor, request.scope, request.params.localeId);
    return reply.status(204).send();
  });
};

export const localeRoutes = environmentScoped(routes);
