import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { pagingParameters, pagingQuery, pathIds, queryValue } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { invitationBody } from '../invitations/service.js';
import { teamMembershipBody } from './memberships.js';
import { teamBody } from './service.js';

const organizationParams = pathIds('organizationId');
const teamParams = pathIds('organizationId', 'teamId');
const teamMembershipParams = pathIds('organizationId', 'teamId', 'membershipId');
const itemParams = pathIds('organizationId', 'itemId');
const teamSpaceMembershipQuery = z
  .looseObject({ 'sys.team.sys.id': queryValue.describe('Only the memberships of this team'), ...pagingParameters })
  .transform((query) => {
    const teamId = query['sys.team.sys.id'];
    return { teamId: typeof teamId === 'string' ? teamId : undefined, paging: parsePaging(query) };
  });

/** Organization-level user management: teams (and those of a space), team memberships, team space memberships, invitations. */
export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  const { teams, teamMemberships, teamSpaceMemberships, invitations } = app;
  const base = '/organizations/:organizationId';

  app.get(`${base}/teams`, { schema: { params: organizationParams, querystring: pagingQuery } }, async (request) =>
    teams.list(request.actor, request.params.organizationId, request.query),
  );
  app.post(`${base}/teams`, { schema: { params: organizationParams, body: teamBody } }, async (request, reply) =>
    reply.status(201).send(await teams.create(request.actor, request.params.organizationId, request.body)),
  );
  app.get(`${base}/teams/:teamId`, { schema: { params: teamParams } }, async (request) =>
    teams.get(request.actor, request.params.organizationId, request.params.teamId),
  );
  app.put(`${base}/teams/:teamId`, { schema: { params: teamParams, body: teamBody } }, async (request) =>
    teams.update(request.actor, request.params.organizationId, request.params.teamId, request.body, readVersionHeader(request.headers)),
  );
  app.delete(`${base}/teams/:teamId`, { schema: { params: teamParams } }, async (request, reply) => {
    await teams.delete(request.actor, request.params.organizationId, request.params.teamId);
    return reply.status(204).send();
  });

  app.get(`${base}/team_memberships`, { schema: { params: organizationParams, querystring: pagingQuery } }, async (request) =>
    teamMemberships.list(request.actor, request.params.organizationId, undefined, request.query),
  );
  app.get(`${base}/teams/:teamId/team_memberships`, { schema: { params: teamParams, querystring: pagingQuery } }, async (request) =>
    teamMemberships.list(request.actor, request.params.organizationId, request.params.teamId, request.query),
  );
  app.post(
    `${base}/teams/:teamId/team_memberships`,
    { schema: { params: teamParams, body: teamMembershipBody } },
    async (request, reply) => {
      const { organizationId, teamId } = request.params;
      return reply.status(201).send(await teamMemberships.create(request.actor, organizationId, teamId, request.body));
    },
  );
  app.get(`${base}/teams/:teamId/team_memberships/:membershipId`, { schema: { params: teamMembershipParams } }, async (request) =>
    teamMemberships.get(request.actor, request.params.organizationId, request.params.teamId, request.params.membershipId),
  );
  app.put(
    `${base}/teams/:teamId/team_memberships/:membershipId`,
    { schema: { params: teamMembershipParams, body: teamMembershipBody } },
    async (request) => {
      const { organizationId, teamId, membershipId } = request.params;
      return teamMemberships.update(request.actor, organizationId, teamId, membershipId, request.body, readVersionHeader(request.headers));
    },
  );
  app.delete(
    `${base}/teams/:teamId/team_memberships/:membershipId`,
    { schema: { params: teamMembershipParams } },
    async (request, reply) => {
      await teamMemberships.delete(request.actor, request.params.organizationId, request.params.teamId, request.params.membershipId);
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/team_space_memberships`,
    { schema: { params: organizationParams, querystring: teamSpaceMembershipQuery } },
    async (request) => {
      const { teamId, paging } = request.query;
      return teamSpaceMemberships.listForOrganization(request.actor, request.params.organizationId, teamId, paging);
    },
  );
  app.get(`${base}/team_space_memberships/:itemId`, { schema: { params: itemParams } }, async (request) =>
    teamSpaceMemberships.getForOrganization(request.actor, request.params.organizationId, request.params.itemId),
  );

  app.get('/spaces/:spaceId/teams', { schema: { params: pathIds('spaceId'), querystring: pagingQuery } }, async (request) =>
    teams.listForSpace(request.actor, request.params.spaceId, request.query),
  );

  app.post(`${base}/invitations`, { schema: { params: organizationParams, body: invitationBody } }, async (request, reply) =>
    reply.status(201).send(await invitations.create(request.actor, request.params.organizationId, request.body)),
  );
  app.get(`${base}/invitations/:itemId`, { schema: { params: itemParams } }, async (request) =>
    invitations.get(request.actor, request.params.organizationId, request.params.itemId),
  );
};
