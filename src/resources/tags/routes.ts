import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { badRequest } from '../../domain/errors.js';
import { pathIds, searchQuery } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const tagBody = z.looseObject({ name: z.string().trim().min(1).max(64) });
const tagParams = pathIds('tagId');

const routes: FastifyPluginAsyncZod = async (app) => {
  const { tags } = app;
  app.get('/tags', { schema: { querystring: searchQuery('skip', 'limit', 'order') } }, async (request) =>
    tags.search(request.actor, request.scope, request.query),
  );
  app.get('/tags/:tagId', { schema: { params: tagParams } }, async (request) =>
    tags.get(request.actor, request.scope, request.params.tagId),
  );
  app.put('/tags/:tagId', { schema: { params: tagParams, body: tagBody } }, async (request, reply) => {
    const header = request.headers['x-contentful-tag-visibility'];
    const visibility = header === undefined ? 'private' : header;
    if (visibility !== 'public' && visibility !== 'private') throw badRequest('X-Contentful-Tag-Visibility must be public or private');
    const version = readVersionHeader(request.headers);
    const result = await tags.put(request.actor, request.scope, request.params.tagId, { name: request.body.name, visibility }, version);
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/tags/:tagId', { schema: { params: tagParams } }, async (request, reply) => {
    await tags.delete(request.actor, request.scope, request.params.tagId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
};

export const tagRoutes = environmentScoped(routes);
