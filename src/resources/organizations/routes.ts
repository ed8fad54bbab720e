import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';

const membershipBody = z.looseObject({ role: z.enum(['owner', 'admin', 'member']) });
type MembershipParams = { Params: { organizationId: string; membershipId: string } };

export const organizationRoutes: FastifyPluginAsync = async (app) => {
  const { organizations } = app.services;
  app.get('/organizations', async (request) => organizations.list(request.actor, parsePaging(request.query as Record<string, unknown>)));
  app.get<{ Params: { organizationId: string } }>('/organizations/:organizationId', async (request) =>
    organizations.get(request.actor, request.params.organizationId),
  );
  const { organizationMemberships: memberships } = app.services;
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);
  app.get<{ Params: { organizationId: string } }>('/organizations/:organizationId/organization_memberships', async (request) =>
    memberships.list(request.actor, request.params.organizationId, paging(request.query)),
  );
  app.get<MembershipParams>('/organizations/:organizationId/organization_memberships/:membershipId', async (request) =>
    memberships.get(request.actor, request.params.organizationId, request.params.membershipId),
  );
  app.put<MembershipParams>('/organizations/:organizationId/organization_memberships/:membershipId', async (request) => {
    const body = parseBody(membershipBody, request.body);
    return memberships.update(
      request.actor,
      request.params.organizationId,
      request.params.membershipId,
      body.role,
      readVersionHeader(request.headers),
    );
  });
  app.delete<MembershipParams>('/organizations/:organizationId/organization_memberships/:membershipId', async (request, reply) => {
    await memberships.delete(request.actor, request.params.organizationId, request.params.membershipId);
    return reply.status(204).send();
  });
  app.get<{ Params: { organizationId: string } }>('/organizations/:organizationId/users', async (request) =>
    memberships.users(request.actor, request.params.organizationId, paging(request.query)),
  );
};
