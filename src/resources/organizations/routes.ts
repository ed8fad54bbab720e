import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORGANIZATION_ROLES } from '../../auth/organization-access.js';
import { parsePaging } from '../../domain/collections.js';
import { pagingParameters, pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';

const membershipBody = z.looseObject({ role: z.enum(ORGANIZATION_ROLES) });
const organizationParams = pathIds('organizationId');
/** Contentful pages organizations 25 at a time unless asked otherwise (the SDK's organization test reads it). */
const organizationPaging = z
  .looseObject({ ...pagingParameters, limit: pagingParameters.limit.describe('Items per page, 0 to 1000 (default 25)') })
  .transform((query) => parsePaging(query, { limit: 25 }));
const membershipParams = pathIds('organizationId', 'membershipId');
const userParams = pathIds('organizationId', 'userId');

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { organizations, organizationMemberships: memberships } = app;
  app.get('/organizations', { schema: { querystring: organizationPaging } }, async (request) =>
    organizations.list(request.actor, request.query),
  );
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
  app.get('/organizations/:organizationId/users/:userId', { schema: { params: userParams } }, async (request) =>
    memberships.user(request.actor, request.params.organizationId, request.params.userId),
  );
};
