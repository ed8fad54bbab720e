import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pagingQuery, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { retryPolicyBody, signingSecretBody } from './settings.js';

/** The definition is parsed by the service (its secret headers need the stored ones); here only an object. */
const webhookBody = z.looseObject({});
const spaceParams = pathIds('spaceId');
const webhookParams = pathIds('spaceId', 'webhookId');

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { webhooks, webhookSettings } = app;

  app.get('/spaces/:spaceId/webhook_definitions', { schema: { params: spaceParams, querystring: pagingQuery } }, async (request) =>
    webhooks.list(request.actor, request.params.spaceId, request.query),
  );
  app.post('/spaces/:spaceId/webhook_definitions', { schema: { params: spaceParams, body: webhookBody } }, async (request, reply) => {
    const result = await webhooks.put(request.actor, request.params.spaceId, undefined, request.body, undefined);
    return reply.status(201).send(result.item);
  });
  app.get('/spaces/:spaceId/webhook_definitions/:webhookId', { schema: { params: webhookParams } }, async (request) =>
    webhooks.get(request.actor, request.params.spaceId, request.params.webhookId),
  );
  app.put(
    '/spaces/:spaceId/webhook_definitions/:webhookId',
    { schema: { params: webhookParams, body: webhookBody } },
    async (request, reply) => {
      const { spaceId, webhookId } = request.params;
      const result = await webhooks.put(request.actor, spaceId, webhookId, request.body, readVersionHeader(request.headers));
      return reply.status(result.created ? 201 : 200).send(result.item);
    },
  );
  app.delete('/spaces/:spaceId/webhook_definitions/:webhookId', { schema: { params: webhookParams } }, async (request, reply) => {
    await webhooks.delete(request.actor, request.params.spaceId, request.params.webhookId);
    return reply.status(204).send();
  });
  app.get('/spaces/:spaceId/webhooks/:webhookId/calls', { schema: { params: webhookParams, querystring: pagingQuery } }, async (request) =>
    webhooks.calls(request.actor, request.params.spaceId, request.params.webhookId, request.query),
  );
  app.get(
    '/spaces/:spaceId/webhooks/:webhookId/calls/:callId',
    { schema: { params: pathIds('spaceId', 'webhookId', 'callId') } },
    async (request) => webhooks.call(request.actor, request.params.spaceId, request.params.webhookId, request.params.callId),
  );
  app.get('/spaces/:spaceId/webhook_settings/signing_secret', { schema: { params: spaceParams } }, async (request) =>
    webhookSettings.getSigningSecret(request.actor, request.params.spaceId),
  );
  app.put(
    '/spaces/:spaceId/webhook_settings/signing_secret',
    { schema: { params: spaceParams, body: signingSecretBody } },
    async (request) => webhookSettings.upsertSigningSecret(request.actor, request.params.spaceId, request.body),
  );
  app.delete('/spaces/:spaceId/webhook_settings/signing_secret', { schema: { params: spaceParams } }, async (request, reply) => {
    await webhookSettings.deleteSigningSecret(request.actor, request.params.spaceId);
    return reply.status(204).send();
  });
  app.get('/spaces/:spaceId/webhook_settings/retry_policy', { schema: { params: spaceParams } }, async (request) =>
    webhookSettings.getRetryPolicy(request.actor, request.params.spaceId),
  );
  app.put('/spaces/:spaceId/webhook_settings/retry_policy', { schema: { params: spaceParams, body: retryPolicyBody } }, async (request) =>
    webhookSettings.upsertRetryPolicy(request.actor, request.params.spaceId, request.body),
  );
  app.delete('/spaces/:spaceId/webhook_settings/retry_policy', { schema: { params: spaceParams } }, async (request, reply) => {
    await webhookSettings.deleteRetryPolicy(request.actor, request.params.spaceId);
    return reply.status(204).send();
  });
  app.get('/spaces/:spaceId/webhooks/:webhookId/health', { schema: { params: webhookParams } }, async (request) =>
    webhooks.health(request.actor, request.params.spaceId, request.params.webhookId),
  );
};
