import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const membershipBody = z.looseObject({ role: z.enum(['owner', 'admin', 'member']) });
const organizationParams = pathIds('organizationId');
const membershipParams = pathIds('organizationId', 'membershipId');

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { organizations, organizationMemberships: memberships } = app;
  app.get('/organizations', { schema: { querystring: pagingQuery } }, async (request) => organizations.list(request.actor, request.query));
  app.get('/organizations/:organizationId', { schema: { params: organizationParams } }, async (request) =>
    organizations.get(request.actor, request.params.organizationId),
  );
  app.get(
    '/organizations/:organizationId/organization_memberships',
    { schema: { params: organizationParams, querystring: pagingQuery } },
    async (request) => memberships.list(request.actor, request.params.organizationId, request.query),
  );
  app.get(
    '/organizations/:organizationId/organization_memberships/:membershipId',
    { schema: { params: membershipParams } },
    async (request) => memberships.get(request.actor, request.params.organizationId, request.params.membershipId),
  );
  app.put(
    '/organizations/:organizationId/organization_memberships/:membershipId',
    { schema: { params: membershipParams, body: membershipBody } },
    async (request) => {
      const { organizationId, membershipId } = request.params;
      return memberships.update(request.actor, organizationId, membershipId, request.body.role, readVersionHeader(request.headers));
    },
  );
  app.delete(
    '/organizations/:organizationId/organization_memberships/:membershipId',
    { schema: { params: membershipParams } },
    async (request, reply) => {
      await memberships.delete(request.actor, request.params.organizationId, request.params.membershipId);
      return reply.status(204).send();
    },
  );
  app.get('/organizations/:organizationId/users', { schema: { params: organizationParams, querystring: pagingQuery } }, async (request) =>
    memberships.users(request.actor, request.params.organizationId, request.query),
  );
};
