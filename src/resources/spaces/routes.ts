import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

const LOCALE_CODE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

const createSpaceBody = z.object({
  name: z.string().trim().min(1).max(255),
  defaultLocale: z.string().regex(LOCALE_CODE, 'must be a locale code such as en-US').optional(),
});
const renameSpaceBody = z.object({ name: z.string().trim().min(1).max(255) });

type SpaceParams = { Params: { spaceId: string } };

export const spaceRoutes: FastifyPluginAsync = async (app) => {
  const { spaces } = app.services;

  app.get('/spaces', async (request) => spaces.list(request.actor, parsePaging(request.query as Record<string, unknown>)));

  app.post('/spaces', async (request, reply) => {
    const body = parseBody(createSpaceBody, request.body);
    const organizationHeader = request.headers['x-contentful-organization'];
    const organizationId = typeof organizationHeader === 'string' && organizationHeader !== '' ? organizationHeader : undefined;
    const space = await spaces.create(request.actor, { ...body, organizationId });
    return reply.status(201).send(space);
  });

  app.get<SpaceParams>('/spaces/:spaceId', async (request) => spaces.get(request.actor, assertResourceId(request.params.spaceId, 'space')));

  app.put<SpaceParams>('/spaces/:spaceId', async (request) => {
    const spaceId = assertResourceId(request.params.spaceId, 'space');
    const version = readVersionHeader(request.headers);
    const body = parseBody(renameSpaceBody, request.body);
    return spaces.rename(request.actor, spaceId, body.name, version);
  });

  app.delete<SpaceParams>('/spaces/:spaceId', async (request, reply) => {
    await spaces.delete(request.actor, assertResourceId(request.params.spaceId, 'space'));
    return reply.status(204).send();
  });
};
