import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { membershipBody } from '../space-memberships/service.js';
import { roleBody } from '../../domain/roles.js';

const spaceParams = pathIds('spaceId');
const itemParams = pathIds('spaceId', 'itemId');
const organizationParams = pathIds('organizationId');
const organizationItemParams = pathIds('organizationId', 'itemId');

/** Roles and space memberships, the space-level access resources, and their reads across an organization's spaces. */
export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { roles, spaceMemberships } = app;

  app.get('/spaces/:spaceId/roles', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    roles.list(request.actor, request.params, request.query),
  );
  app.post('/spaces/:spaceId/roles', { schema: { params: spaceParams, body: roleBody } }, async (request, reply) => {
    return reply.status(201).send(await roles.create(request.actor, request.params, request.body));
  });
  app.get('/spaces/:spaceId/roles/:itemId', { schema: { params: itemParams } }, async (request) =>
    roles.get(request.actor, request.params, request.params.itemId),
  );
  app.put('/spaces/:spaceId/roles/:itemId', { schema: { params: itemParams, body: roleBody } }, async (request, reply) => {
    const result = await roles.put(request.actor, request.params, request.params.itemId, request.body, readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete('/spaces/:spaceId/roles/:itemId', { schema: { params: itemParams } }, async (request, reply) => {
    await roles.delete(request.actor, request.params, request.params.itemId);
    return reply.status(204).send();
  });

  app.get('/spaces/:spaceId/space_memberships', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    spaceMemberships.list(request.actor, request.params.spaceId, request.query),
  );
  app.post('/spaces/:spaceId/space_memberships', { schema: { params: spaceParams, body: membershipBody } }, async (request, reply) =>
    reply.status(201).send(await spaceMemberships.create(request.actor, request.params.spaceId, request.body)),
  );
  app.get('/spaces/:spaceId/space_memberships/:itemId', { schema: { params: itemParams } }, async (request) =>
    spaceMemberships.get(request.actor, request.params.spaceId, request.params.itemId),
  );
  app.put('/spaces/:spaceId/space_memberships/:itemId', { schema: { params: itemParams, body: membershipBody } }, async (request) =>
    spaceMemberships.update(request.actor, request.params.spaceId, request.params.itemId, request.body, readVersionHeader(request.headers)),
  );
  app.delete('/spaces/:spaceId/space_memberships/:itemId', { schema: { params: itemParams } }, async (request, reply) => {
    await spaceMemberships.delete(request.actor, request.params.spaceId, request.params.itemId);
    return reply.status(204).send();
  });

  app.get('/organizations/:organizationId/roles', { schema: { params: organizationParams, querystring: pagingQuery } }, async (request) =>
    roles.listForOrganization(request.actor, request.params.organizationId, request.query),
  );
  app.get(
    '/organizations/:organizationId/space_memberships',
    { schema: { params: organizationParams, querystring: pagingQuery } },
    async (request) => spaceMemberships.listForOrganization(request.actor, request.params.organizationId, request.query),
  );
  app.get('/organizations/:organizationId/space_memberships/:itemId', { schema: { params: organizationItemParams } }, async (request) =>
    spaceMemberships.getForOrganization(request.actor, request.params.organizationId, request.params.itemId),
  );
};
