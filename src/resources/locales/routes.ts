import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { parsePaging } from '../../domain/collections.js';
import { parseBody } from '../../http/validation.js';
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

type Params = { Params: { localeId: string } };

const routes: FastifyPluginAsync = async (app) => {
  const { locales } = app.services;
  app.get('/locales', async (request) => locales.list(request.actor, request.scope, parsePaging(request.query as Record<string, unknown>)));
  app.post('/locales', async (request, reply) => {
    const body = parseBody(localeBody, request.body);
    return reply.status(201).send(await locales.create(request.actor, request.scope, body));
  });
  app.get<Params>('/locales/:localeId', async (request) => locales.get(request.actor, request.scope, request.params.localeId));
  app.put<Params>('/locales/:localeId', async (request) => {
    const body = parseBody(localeBody, request.body);
    return locales.update(request.actor, request.scope, request.params.localeId, body, readVersionHeader(request.headers));
  });
  app.delete<Params>('/locales/:localeId', async (request, reply) => {
    await locales.delete(request.actor, request.scope, request.params.localeId);
    return reply.status(204).send();
  });
};

export const localeRoutes = environmentScoped(routes);
