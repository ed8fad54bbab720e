import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cursorPagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const LOCALE_CODE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

const createSpaceBody = z.object({
  name: z.string().trim().min(1).max(255),
  defaultLocale: z.string().regex(LOCALE_CODE, 'must be a locale code such as en-US').optional(),
});
const renameSpaceBody = z.object({ name: z.string().trim().min(1).max(255) });

const spaceParams = pathIds('spaceId');

export const spaceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { spaces } = app;

  app.get('/spaces', { schema: { querystring: cursorPagingQuery } }, async (request) => spaces.list(request.actor, request.query));

  app.post('/spaces', { schema: { body: createSpaceBody } }, async (request, reply) => {
    const organizationHeader = request.headers['x-contentful-organization'];
    const organizationId = typeof organizationHeader === 'string' && organizationHeader !== '' ? organizationHeader : undefined;
    const space = await spaces.create(request.actor, { ...request.body, organizationId });
    return reply.status(201).send(space);
  });

  app.get('/spaces/:spaceId', { schema: { params: spaceParams } }, async (request) => spaces.get(request.actor, request.params.spaceId));

  app.put('/spaces/:spaceId', { schema: { params: spaceParams, body: renameSpaceBody } }, async (request) =>
    spaces.rename(request.actor, request.params.spaceId, request.body.name, readVersionHeader(request.headers)),
  );

  app.delete('/spaces/:spaceId', { schema: { params: spaceParams } }, async (request, reply) => {
    await spaces.delete(request.actor, request.params.spaceId);
    return reply.status(204).send();
  });
};
