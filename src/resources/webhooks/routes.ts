import type { FastifyPluginAsync } from 'fastify';
import { parsePaging } from '../../domain/collections.js';
import { badRequest } from '../../domain/errors.js';
import { assertResourceId } from '../../domain/ids.js';
import { readVersionHeader } from '../../http/version.js';

type SpaceParams = { Params: { spaceId: string } };
type WebhookParams = { Params: { spaceId: string; webhookId: string } };
type CallParams = { Params: { spaceId: string; webhookId: string; callId: string } };

export const webhookRoutes: FastifyPluginAsync = async (app) => {
  const { webhooks } = app.services;
  const body = (raw: unknown) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('The request body must be a JSON object');
    return raw;
  };
  const paging = (query: unknown) => parsePaging(query as Record<string, unknown>);

  app.get<SpaceParams>('/spaces/:spaceId/webhook_definitions', async (request) =>
    webhooks.list(request.actor, request.params.spaceId, paging(request.query)),
  );
  app.post<SpaceParams>('/spaces/:spaceId/webhook_definitions', async (request, reply) => {
    const result = await webhooks.put(request.actor, request.params.spaceId, undefined, body(request.body), undefined);
    return reply.status(201).send(result.item);
  });
  app.get<WebhookParams>('/spaces/:spaceId/webhook_definitions/:webhookId', async (request) =>
    webhooks.get(request.actor, request.params.spaceId, request.params.webhookId),
  );
  app.put<WebhookParams>('/spaces/:spaceId/webhook_definitions/:webhookId', async (request, reply) => {
    const id = assertResourceId(request.params.webhookId, 'webhook');
    const result = await webhooks.put(request.actor, request.params.spaceId, id, body(request.body), readVersionHeader(request.headers));
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.delete<WebhookParams>('/spaces/:spaceId/webhook_definitions/:webhookId', async (request, reply) => {
    await webhooks.delete(request.actor, request.params.spaceId, request.params.webhookId);
    return reply.status(204).send();
  });
  app.get<WebhookParams>('/spaces/:spaceId/webhooks/:webhookId/calls', async (request) =>
    webhooks.calls(request.actor, request.params.spaceId, request.params.webhookId, paging(request.query)),
  );
  app.get<CallParams>('/spaces/:spaceId/webhooks/:webhookId/calls/:callId', async (request) =>
    webhooks.call(request.actor, request.params.spaceId, request.params.webhookId, request.params.callId),
  );
  app.get<WebhookParams>('/spaces/:spaceId/webhooks/:webhookId/health', async (request) =>
    webhooks.health(request.actor, request.params.spaceId, request.params.webhookId),
  );
};
