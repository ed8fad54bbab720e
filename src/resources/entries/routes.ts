import type { FastifyPluginAsync } from 'fastify';
import { environmentScoped } from '../environments/scoped-routes.js';
import { parsePaging } from '../../domain/collections.js';
import { badRequest } from '../../domain/errors.js';
import { assertResourceId } from '../../domain/ids.js';
import { parseBody } from '../../http/validation.js';
import { readVersionHeader } from '../../http/version.js';
import { registerLifecycleRoutes } from '../publishable/lifecycle-routes.js';
import { entryBody } from './schema.js';

type Params = { Params: { entryId: string } };
type SnapshotParams = { Params: { entryId: string; snapshotId: string } };

function includeLevel(raw: unknown): number {
  const value = (raw as Record<string, unknown> | undefined)?.include;
  if (value === undefined) return 2;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) > 10) throw badRequest('include must be an integer from 0 to 10');
  return Number(value);
}

const routes: FastifyPluginAsync = async (app) => {
  const { entries, snapshots } = app.services;
  const contentTypeHeader = (headers: Record<string, unknown>) => {
    const value = headers['x-contentful-content-type'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  app.get('/entries', async (request) => entries.list(request.actor, request.scope, request.query as Record<string, unknown>));
  app.get('/public/entries', async (request) => entries.list(request.actor, request.scope, request.query as Record<string, unknown>, true));
  app.get<Params>('/public/entries/:entryId', async (request) =>
    entries.getPublished(request.actor, request.scope, request.params.entryId),
  );

  app.post('/entries', async (request, reply) => {
    const body = parseBody(entryBody, request.body);
    const entry = await entries.create(request.actor, request.scope, undefined, contentTypeHeader(request.headers), body);
    return reply.status(201).send(entry);
  });
  app.get<Params>('/entries/:entryId', async (request) => entries.get(request.actor, request.scope, request.params.entryId));
  app.put<Params>('/entries/:entryId', async (request, reply) => {
    const id = assertResourceId(request.params.entryId, 'entry');
    const body = parseBody(entryBody, request.body);
    const version = readVersionHeader(request.headers);
    const result = await entries.put(request.actor, request.scope, id, contentTypeHeader(request.headers), body, version);
    return reply.status(result.created ? 201 : 200).send(result.entry);
  });
  registerLifecycleRoutes(app, 'entries', entries);
  app.get<Params>('/entries/:entryId/references', async (request) =>
    entries.references(request.actor, request.scope, request.params.entryId, includeLevel(request.query)),
  );
  app.get<Params>('/entries/:entryId/snapshots', async (request) =>
    snapshots.list(request.actor, request.scope, 'Entry', request.params.entryId, parsePaging(request.query as Record<string, unknown>)),
  );
  app.get<SnapshotParams>('/entries/:entryId/snapshots/:snapshotId', async (request) =>
    snapshots.get(request.actor, request.scope, 'Entry', request.params.entryId, request.params.snapshotId),
  );
};

export const entryRoutes = environmentScoped(routes);
