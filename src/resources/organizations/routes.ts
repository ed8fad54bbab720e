import type { FastifyPluginAsync } from 'fastify';
import { parsePaging } from '../../http/collections.js';

export const organizationRoutes: FastifyPluginAsync = async (app) => {
  const { organizations } = app.services;
  app.get('/organizations', async (request) => organizations.list(request.actor, parsePaging(request.query as Record<string, unknown>)));
  app.get<{ Params: { organizationId: string } }>('/organizations/:organizationId', async (request) =>
    organizations.get(request.actor, request.params.organizationId),
  );
};
