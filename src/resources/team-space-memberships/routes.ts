import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { teamSpaceMembershipBody } from './service.js';

const spaceParams = pathIds('spaceId');
const itemParams = pathIds('spaceId', 'itemId');

/** Team space memberships, the combined `space_members` view of a space and its users. */
export const teamSpaceMembershipRoutes: FastifyPluginAsyncZod = async (app) => {
  const { teamSpaceMemberships, spaceMembers } = app;
  const teamHeader = (headers: Record<string, string | string[] | undefined>) => {
    const value = headers['x-contentful-team'];
    return Array.isArray(value) ? value[0] : value;
  };

  app.get('/spaces/:spaceId/team_space_memberships', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    teamSpaceMemberships.list(request.actor, request.params.spaceId, request.query),
  );
  app.post(
    '/spaces/:spaceId/team_space_memberships',
    { schema: { params: spaceParams, body: teamSpaceMembershipBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await teamSpaceMemberships.create(request.actor, request.params.spaceId, teamHeader(request.headers), request.body)),
  );
  app.get('/spaces/:spaceId/team_space_memberships/:itemId', { schema: { params: itemParams } }, async (request) =>
    teamSpaceMemberships.get(request.actor, request.params.spaceId, request.params.itemId),
  );
  app.put(
    '/spaces/:spaceId/team_space_memberships/:itemId',
    { schema: { params: itemParams, body: teamSpaceMembershipBody } },
    async (request) =>
      teamSpaceMemberships.update(
        request.actor,
        request.params.spaceId,
        request.params.itemId,
        request.body,
        readVersionHeader(request.headers),
      ),
  );
  app.delete('/spaces/:spaceId/team_space_memberships/:itemId', { schema: { params: itemParams } }, async (request, reply) => {
    await teamSpaceMemberships.delete(request.actor, request.params.spaceId, request.params.itemId);
    return reply.status(204).send();
  });

  app.get('/spaces/:spaceId/space_members', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    spaceMembers.list(request.actor, request.params.spaceId, request.query),
  );
  app.get('/spaces/:spaceId/space_members/:itemId', { schema: { params: itemParams } }, async (request) =>
    spaceMembers.get(request.actor, request.params.spaceId, request.params.itemId),
  );
  app.get('/spaces/:spaceId/users', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    spaceMembers.users(request.actor, request.params.spaceId, request.query),
  );
  app.get('/spaces/:spaceId/users/:userId', { schema: { params: pathIds('spaceId', 'userId') } }, async (request) =>
    spaceMembers.user(request.actor, request.params.spaceId, request.params.userId),
  );
};
