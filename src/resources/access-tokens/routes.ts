import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCOPES } from '../../auth/actor.js';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';

const createTokenBody = z.object({
  name: z.string().trim().min(1).max(255),
  scopes: z.array(z.enum(SCOPES)).min(1),
  expiresIn: z.number().int().positive().nullable().optional(),
});

const tokenParams = pathIds('tokenId');

export const accessTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { accessTokens } = app;
  app.get('/users/me/access_tokens', { schema: { querystring: pagingQuery } }, async (request) =>
    accessTokens.list(request.actor, request.query),
  );
  app.post('/users/me/access_tokens', { schema: { body: createTokenBody } }, async (request, reply) =>
    reply.status(201).send(await accessTokens.create(request.actor.userId, request.body)),
  );
  app.get('/users/me/access_tokens/:tokenId', { schema: { params: tokenParams } }, async (request) =>
    accessTokens.get(request.actor, request.params.tokenId),
  );
  app.put('/users/me/access_tokens/:tokenId/revoked', { schema: { params: tokenParams } }, async (request) =>
    accessTokens.revoke(request.actor, request.params.tokenId),
  );
};
