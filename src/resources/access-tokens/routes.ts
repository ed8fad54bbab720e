import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { SCOPES } from '../../auth/actor.js';
import { parsePaging } from '../../domain/collections.js';
import { parseBody } from '../../http/validation.js';

const createTokenBody = z.object({
  name: z.string().trim().min(1).max(255),
  scopes: z.array(z.enum(SCOPES)).min(1),
  expiresIn: z.number().int().positive().nullable().optional(),
});

type TokenParams = { Params: { tokenId: string } };

export const accessTokenRoutes: FastifyPluginAsync = async (app) => {
  const { accessTokens } = app.services;
  app.get('/users/me/access_tokens', async (request) =>
    accessTokens.list(request.actor, parsePaging(request.query as Record<string, unknown>)),
  );
  app.post('/users/me/access_tokens', async (request, reply) => {
    const body = parseBody(createTokenBody, request.body);
    return reply.status(201).send(await accessTokens.create(request.actor.userId, body));
  });
  app.get<TokenParams>('/users/me/access_tokens/:tokenId', async (request) => accessTokens.get(request.actor, request.params.tokenId));
  app.put<TokenParams>('/users/me/access_tokens/:tokenId/revoked', async (request) =>
    accessTokens.revoke(request.actor, request.params.tokenId),
  );
};
