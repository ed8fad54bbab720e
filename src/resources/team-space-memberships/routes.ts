import type { FastifyPluginAsync } from 'fastify';
import { parsePaging } from '../../domain/collections.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { teamSpaceMembershipBody } from './service.js';

type SpaceParams = { Params: { spaceId: string } };
type ItemParams = { Params: { spaceId: string; itemId: string } };

/** Team space memberships and the combined `space_members` view of a space. */
export const teamSpaceMembershipRoutes: FastifyPluginAsync = async (app) => {
  const { teamSpaceMemberships, spaceMembers } = app.services;
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);
  const teamHeader = (headers: Record<string, string | string[] | undefined>) => {
    const value = headers['x-contentful-team'];
    return Array.isArray(value) ? value[0] : value;
  };

  app.get<SpaceParams>('/spaces/:spaceId/team_space_memberships', async (request) =>
    teamSpaceMemberships.list(request.actor, request.params.spaceId, paging(request.query)),
  );
  app.post<SpaceParams>('/spaces/:spaceId/team_space_memberships', async (request, reply) => {
    const body = parseBody(teamSpaceMembershipBody, request.body);
    return reply
      .status(201)
      .send(await teamSpaceMemberships.create(request.actor, request.params.spaceId, teamHeader(request.headers), body));
  });
  app.get<ItemParams>('/spaces/:spaceId/team_space_memberships/:itemId', async (request) =>
    teamSpaceMemberships.get(request.actor, request.params.spaceId, request.params.itemId),
  );
  app.put<ItemParams>('/spaces/:spaceId/team_space_memberships/:itemId', async (request) => {
    const body = parseBody(teamSpaceMembershipBody, request.body);
    return teamSpaceMemberships.update(
      request.actor,
      request.params.spaceId,
      request.params.itemId,
      body,
      readVersionHeader(request.headers),
    );
  });
  app.delete<ItemParams>('/spaces/:spaceId/team_space_memberships/:itemId', async (request, reply) => {
    await teamSpaceMemberships.delete(request.actor, request.params.spaceId, request.params.itemId);
    return reply.status(204).send();
  });

  app.get<SpaceParams>('/spaces/:spaceId/space_members', async (request) =>
    spaceMembers.list(request.actor, request.params.spaceId, paging(request.query)),
  );
  app.get<ItemParams>('/spaces/:spaceId/space_members/:itemId', async (request) =>
    spaceMembers.get(request.actor, request.params.spaceId, request.params.itemId),
  );
};
