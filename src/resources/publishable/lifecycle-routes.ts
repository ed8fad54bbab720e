import { pathIds, type ZodRoutes } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import type { PublishableService } from './service.js';

/** The state-transition endpoints entries and assets share: publish, unpublish, archive, unarchive, delete. */
export function registerLifecycleRoutes(
  app: ZodRoutes,
  collection: 'entries' | 'assets',
  service: PublishableService,
  options: { publish: boolean } = { publish: true },
) {
  const base = `/${collection}/:id`;
  const schema = { params: pathIds('id') };
  const version = (request: { headers: Record<string, string | string[] | undefined> }) => readVersionHeader(request.headers);
  app.delete(base, { schema }, async (request, reply) => {
    await service.delete(request.actor, request.scope, request.params.id, version(request));
    return reply.status(204).send();
  });
  // Entries register their own publish route (it also takes locale-based publishing's body).
  if (options.publish)
    app.put(`${base}/published`, { schema }, async (request) =>
      service.publish(request.actor, request.scope, request.params.id, version(request)),
    );
  app.delete(`${base}/published`, { schema }, async (request) =>
    service.unpublish(request.actor, request.scope, request.params.id, version(request)),
  );
  app.put(`${base}/archived`, { schema }, async (request) =>
    service.archive(request.actor, request.scope, request.params.id, version(request)),
  );
  app.delete(`${base}/archived`, { schema }, async (request) =>
    service.unarchive(request.actor, request.scope, request.params.id, version(request)),
  );
}
