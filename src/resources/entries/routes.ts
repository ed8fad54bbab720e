import { MAX_INCLUDE } from '../../domain/links.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentScoped } from '../environments/scoped-routes.js';
import { badRequest } from '../../domain/errors.js';
import { jsonPatch, pagingQuery, pathIds, queryValue, searchQuery } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { registerLifecycleRoutes } from '../publishable/lifecycle-routes.js';
import { entryBody } from './schema.js';

const entryParams = pathIds('entryId');
const snapshotParams = pathIds('entryId', 'snapshotId');
const entrySearch = searchQuery(
  'skip',
  'limit',
  'order',
  'select',
  'locale',
  'content_type',
  'query',
  'links_to_entry',
  'links_to_asset',
  'cursor',
  'pageNext',
  'pagePrev',
);
const referencesQuery = z
  .looseObject({ include: queryValue.describe('Levels of linked entries to include, 0 to 10 (default 2)') })
  .transform(({ include }) => {
    if (include === undefined) return 2;
    if (typeof include !== 'string' || !/^\d+$/.test(include) || Number(include) > MAX_INCLUDE)
      throw badRequest(`include must be an integer from 0 to ${MAX_INCLUDE}`);
    return Number(include);
  });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { entries, snapshots } = app;
  const contentTypeHeader = (headers: Record<string, unknown>) => {
    const value = headers['x-contentful-content-type'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  app.get('/entries', { schema: { querystring: entrySearch } }, async (request) =>
    entries.list(request.actor, request.scope, request.query),
  );
  app.get('/public/entries', { schema: { querystring: entrySearch } }, async (request) =>
    entries.list(request.actor, request.scope, request.query, true),
  );
  app.get('/public/entries/:entryId', { schema: { params: entryParams } }, async (request) =>
    entries.getPublished(request.actor, request.scope, request.params.entryId),
  );

  app.post('/entries', { schema: { body: entryBody } }, async (request, reply) => {
    const entry = await entries.create(request.actor, request.scope, undefined, contentTypeHeader(request.headers), request.body);
    return reply.status(201).send(entry);
  });
  app.get('/entries/:entryId', { schema: { params: entryParams } }, async (request) =>
    entries.get(request.actor, request.scope, request.params.entryId),
  );
  app.put('/entries/:entryId', { schema: { params: entryParams, body: entryBody } }, async (request, reply) => {
    const version = readVersionHeader(request.headers);
    const { entryId } = request.params;
    const result = await entries.put(request.actor, request.scope, entryId, contentTypeHeader(request.headers), request.body, version);
    return reply.status(result.created ? 201 : 200).send(result.entry);
  });
  app.patch('/entries/:entryId', { schema: { params: entryParams, body: jsonPatch } }, async (request) =>
    entries.patch(request.actor, request.scope, request.params.entryId, request.body, readVersionHeader(request.headers)),
  );
  registerLifecycleRoutes(app, 'entries', entries);
  app.get('/entries/:entryId/references', { schema: { params: entryParams, querystring: referencesQuery } }, async (request) =>
    entries.references(request.actor, request.scope, request.params.entryId, request.query),
  );
  app.get('/entries/:entryId/snapshots', { schema: { params: entryParams, querystring: pagingQuery } }, async (request) =>
    snapshots.list(request.actor, request.scope, 'Entry', request.params.entryId, request.query),
  );
  app.get('/entries/:entryId/snapshots/:snapshotId', { schema: { params: snapshotParams } }, async (request) =>
    snapshots.get(request.actor, request.scope, 'Entry', request.params.entryId, request.params.snapshotId),
  );
};

export const entryRoutes = environmentScoped(routes);
