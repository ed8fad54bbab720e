import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { badRequest } from '../../domain/errors.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

const tagBody = z.looseObject({ name: z.string().trim().min(1).max(64) });

type Params = { Params: { tagId: string } };

const routes: FastifyPluginAsync = async (app) => {
  const { tags } = app.services;
  app.get('/tags', async (request) => tags.search(request.actor, request.scope, request.query as Record<string, unknown>));
  app.get<Params>('/tags/:tagId', async (request) => tags.get(request.actor, request.scope, request.params.tagId));
  app.put<Params>('/tags/:tagId', async (request, reply) => {
    const id = assertResourceId(request.params.tagId, 'tag');
    const body = parseBody(tagBody, request.body);
    const header = request.headers['x-contentful-tag-visibility'];
    const visibility = header === undefined ? 'private' : header;
    if (visibility !== 'public' && visibility !== 'private') throw badRequest('X-Contentful-Tag-Visibility must be public or private');
    const result = await tags.put(request.actor, request.scope, id, { name: body.name, visibility }, readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<Params>('/tags/:tagId', async (request, reply) => {
    await tags.delete(request.actor, request.scope, request.params.tagId, readVersionHeader(request.headers));
    return reply.status(204).send();
  });
};

export const tagRoutes = environmentScoped(routes);
