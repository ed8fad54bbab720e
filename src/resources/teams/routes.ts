import type { FastifyPluginAsync } from 'fastify';
import { parsePaging } from '../../domain/collections.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { invitationBody } from '../invitations/service.js';
import { teamMembershipBody } from './memberships.js';
import { teamBody } from './service.js';

type OrganizationParams = { Params: { organizationId: string } };
type TeamParams = { Params: { organizationId: string; teamId: string } };
type TeamMembershipParams = { Params: { organizationId: string; teamId: string; membershipId: string } };
type ItemParams = { Params: { organizationId: string; itemId: string } };

/** Organization-level user management: teams, team memberships, team space memberships, invitations. */
export const teamRoutes: FastifyPluginAsync = async (app) => {
  const { teams, teamMemberships, teamSpaceMemberships, invitations } = app.services;
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);
  const base = '/organizations/:organizationId';

  app.get<OrganizationParams>(`${base}/teams`, async (request) =>
    teams.list(request.actor, request.params.organizationId, paging(request.query)),
  );
  app.post<OrganizationParams>(`${base}/teams`, async (request, reply) =>
    reply.status(201).send(await teams.create(request.actor, request.params.organizationId, parseBody(teamBody, request.body))),
  );
  app.get<TeamParams>(`${base}/teams/:teamId`, async (request) =>
    teams.get(request.actor, request.params.organizationId, request.params.teamId),
  );
  app.put<TeamParams>(`${base}/teams/:teamId`, async (request) =>
    teams.update(
      request.actor,
      request.params.organizationId,
      request.params.teamId,
      parseBody(teamBody, request.body),
      readVersionHeader(request.headers),
    ),
  );
  app.delete<TeamParams>(`${base}/teams/:teamId`, async (request, reply) => {
    await teams.delete(request.actor, request.params.organizationId, request.params.teamId);
    return reply.status(204).send();
  });

  app.get<OrganizationParams>(`${base}/team_memberships`, async (request) =>
    teamMemberships.list(request.actor, request.params.organizationId, undefined, paging(request.query)),
  );
  app.get<TeamParams>(`${base}/teams/:teamId/team_memberships`, async (request) =>
    teamMemberships.list(request.actor, request.params.organizationId, request.params.teamId, paging(request.query)),
  );
  app.post<TeamParams>(`${base}/teams/:teamId/team_memberships`, async (request, reply) => {
    const { organizationId, teamId } = request.params;
    return reply
      .status(201)
      .send(await teamMemberships.create(request.actor, organizationId, teamId, parseBody(teamMembershipBody, request.body)));
  });
  app.get<TeamMembershipParams>(`${base}/teams/:teamId/team_memberships/:membershipId`, async (request) =>
    teamMemberships.get(request.actor, request.params.organizationId, request.params.teamId, request.params.membershipId),
  );
  app.put<TeamMembershipParams>(`${base}/teams/:teamId/team_memberships/:membershipId`, async (request) => {
    const { organizationId, teamId, membershipId } = request.params;
    return teamMemberships.update(
      request.actor,
      organizationId,
      teamId,
      membershipId,
      parseBody(teamMembershipBody, request.body),
      readVersionHeader(request.headers),
    );
  });
  app.delete<TeamMembershipParams>(`${base}/teams/:teamId/team_memberships/:membershipId`, async (request, reply) => {
    await teamMemberships.delete(request.actor, request.params.organizationId, request.params.teamId, request.params.membershipId);
    return reply.status(204).send();
  });

  app.get<OrganizationParams>(`${base}/team_space_memberships`, async (request) => {
    const teamId = (request.query as Record<string, unknown>)['sys.team.sys.id'];
    return teamSpaceMemberships.listForOrganization(
      request.actor,
      request.params.organizationId,
      typeof teamId === 'string' ? teamId : undefined,
      paging(request.query),
    );
  });
  app.get<ItemParams>(`${base}/team_space_memberships/:itemId`, async (request) =>
    teamSpaceMemberships.getForOrganization(request.actor, request.params.organizationId, request.params.itemId),
  );

  app.post<OrganizationParams>(`${base}/invitations`, async (request, reply) =>
    reply.status(201).send(await invitations.create(request.actor, request.params.organizationId, parseBody(invitationBody, request.body))),
  );
  app.get<ItemParams>(`${base}/invitations/:itemId`, async (request) =>
    invitations.get(request.actor, request.params.organizationId, request.params.itemId),
  );
};
