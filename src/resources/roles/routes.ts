import type { FastifyPluginAsync } from 'fastify';
import { parsePaging } from '../../domain/collections.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { membershipBody } from '../space-memberships/service.js';
import { roleBody } from '../../domain/roles.js';

type SpaceParams = { Params: { spaceId: string } };
type ItemParams = { Params: { spaceId: string; itemId: string } };

/** Roles and space memberships, the space-level access resources. */
export const roleRoutes: FastifyPluginAsync = async (app) => {
  const { roles, spaceMemberships } = app.services;
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);

  app.get<SpaceParams>('/spaces/:spaceId/roles', async (request) => roles.list(request.actor, request.params, paging(request.query)));
  app.post<SpaceParams>('/spaces/:spaceId/roles', async (request, reply) => {
    return reply.status(201).send(await roles.create(request.actor, request.params, parseBody(roleBody, request.body)));
  });
  app.get<ItemParams>('/spaces/:spaceId/roles/:itemId', async (request) => roles.get(request.actor, request.params, request.params.itemId));
  app.put<ItemParams>('/spaces/:spaceId/roles/:itemId', async (request, reply) => {
    const id = assertResourceId(request.params.itemId, 'role');
    const result = await roles.put(
      request.actor,
      request.params,
      id,
      parseBody(roleBody, request.body),
      readVersionHeader(request.headers),
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<ItemParams>('/spaces/:spaceId/roles/:itemId', async (request, reply) => {
    await roles.delete(request.actor, request.params, request.params.itemId);
    return reply.status(204).send();
  });

  app.get<SpaceParams>('/spaces/:spaceId/space_memberships', async (request) =>
    spaceMemberships.list(request.actor, request.params.spaceId, paging(request.query)),
  );
  app.post<SpaceParams>('/spaces/:spaceId/space_memberships', async (request, reply) => {
    return reply
      .status(201)
      .send(await spaceMemberships.create(request.actor, request.params.spaceId, parseBody(membershipBody, request.body)));
  });
  app.get<ItemParams>('/spaces/:spaceId/space_memberships/:itemId', async (request) =>
    spaceMemberships.get(request.actor, request.params.spaceId, request.params.itemId),
  );
  app.put<ItemParams>('/spaces/:spaceId/space_memberships/:itemId', async (request) =>
    spaceMemberships.update(
      request.actor,
      request.params.spaceId,
      request.params.itemId,
      parseBody(membershipBody, request.body),
      readVersionHeader(request.headers),
    ),
  );
  app.delete<ItemParams>('/spaces/:spaceId/space_memberships/:itemId', async (request, reply) => {
    await spaceMemberships.delete(request.actor, request.params.spaceId, request.params.itemId);
    return reply.status(204).send();
  });
};
