import { z } from 'zod';
import { badRequest } from '../../domain/errors.js';
import { pathIds, type ZodRoutes } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import type { PublishableService } from './service.js';

/** `{ add: { fields: { '*': [locales] } } }` or `{ remove: ... }`; undefined for a plain publish (no body). */
function localeChange(body: unknown): { add?: string[]; remove?: string[] } | undefined {
  if (body === undefined || body === null) return undefined;
  const locales = z.object({ fields: z.object({ '*': z.array(z.string().min(1)).min(1) }) });
  const parsed = z.object({ add: locales.optional(), remove: locales.optional() }).strict().safeParse(body);
  if (!parsed.success || (parsed.data.add === undefined) === (parsed.data.remove === undefined))
    throw badRequest("A locale publish body is { add: { fields: { '*': [locales] } } } or { remove: ... }");
  return parsed.data.add ? { add: parsed.data.add.fields['*'] } : { remove: parsed.data.remove!.fields['*'] };
}

/** The state-transition endpoints entries and assets share: publish, unpublish, archive, unarchive, delete. */
export function registerLifecycleRoutes(app: ZodRoutes, collection: 'entries' | 'assets', service: PublishableService) {
  const base = `/${collection}/:id`;
  const schema = { params: pathIds('id') };
  const version = (request: { headers: Record<string, string | string[] | undefined> }) => readVersionHeader(request.headers);
  app.delete(base, { schema }, async (request, reply) => {
    await service.delete(request.actor, request.scope, request.params.id, version(request));
    return reply.status(204).send();
  });
  // Locale-based publishing: the SDK's `publish`/`unpublish` with `locales` send a body naming them.
  app.put(`${base}/published`, { schema }, async (request) => {
    const change = localeChange(request.body);
    if (!change) return service.publish(request.actor, request.scope, request.params.id, version(request));
    return service.publishLocales(request.actor, request.scope, request.params.id, version(request), change);
  });
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
