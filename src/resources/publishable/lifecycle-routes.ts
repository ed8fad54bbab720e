import type { FastifyInstance } from 'fastify';
import { readVersionHeader } from '../../http/version.js';
import type { PublishableService } from './service.js';

type Params = { Params: { id: string } };

/** The state-transition endpoints entries and assets share: publish, unpublish, archive, unarchive, delete. */
export function registerLifecycleRoutes(app: FastifyInstance, collection: 'entries' | 'assets', service: PublishableService) {
  const base = `/${collection}/:id`;
  const version = (request: { headers: Record<string, string | string[] | undefined> }) => readVersionHeader(request.headers);
  app.delete<Params>(base, async (request, reply) => {
    await service.delete(request.actor, request.scope, request.params.id, version(request));
    return reply.status(204).send();
  });
  app.put<Params>(`${base}/published`, async (request) =>
    service.publish(request.actor, request.scope, request.params.id, version(request)),
  );
  app.delete<Params>(`${base}/published`, async (request) =>
    service.unpublish(request.actor, request.scope, request.params.id, version(request)),
  );
  app.put<Params>(`${base}/archived`, async (request) =>
    service.archive(request.actor, request.scope, request.params.id, version(request)),
  );
  app.delete<Params>(`${base}/archived`, async (request) =>
    service.unarchive(request.actor, request.scope, request.params.id, version(request)),
  );
}
