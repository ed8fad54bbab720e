import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jsonPatch, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { entryBody } from '../entries/schema.js';
import { environmentScoped } from '../environments/scoped-routes.js';
import type { ReleaseEntityType } from './versions-repository.js';

const listQuery = z.looseObject({});

/** Timeline's `/releases/{id}/entries` and `/releases/{id}/assets`, as the SDK's `release.entry.*` / `release.asset.*` call them. */
const routes: FastifyPluginAsyncZod = async (app) => {
  const { releaseVersions } = app;
  const contentTypeHeader = (headers: Record<string, unknown>) => {
    const value = headers['x-contentful-content-type'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const collections: [string, ReleaseEntityType][] = [
    ['entries', 'Entry'],
    ['assets', 'Asset'],
  ];
  for (const [segment, type] of collections) {
    const base = `/releases/:releaseId/${segment}`;
    const itemParams = pathIds('releaseId', 'entityId');
    app.get(base, { schema: { params: pathIds('releaseId'), querystring: listQuery } }, async (request) =>
      releaseVersions.list(request.scope, request.params.releaseId, type, request.query as Record<string, unknown>),
    );
    app.post(base, { schema: { params: pathIds('releaseId'), body: entryBody } }, async (request, reply) => {
      const created = await releaseVersions.create(
        request.actor,
        request.scope,
        request.params.releaseId,
        type,
        undefined,
        contentTypeHeader(request.headers),
        request.body,
      );
      return reply.status(201).send(created);
    });
    app.get(`${base}/:entityId`, { schema: { params: itemParams } }, async (request) =>
      releaseVersions.get(request.scope, request.params.releaseId, type, request.params.entityId),
    );
    app.put(`${base}/:entityId`, { schema: { params: itemParams, body: entryBody } }, async (request, reply) => {
      const { releaseId, entityId } = request.params;
      const result = await releaseVersions.put(
        request.actor,
        request.scope,
        releaseId,
        type,
        entityId,
        contentTypeHeader(request.headers),
        request.body,
        readVersionHeader(request.headers),
      );
      return reply.status(result.created ? 201 : 200).send(result.entity);
    });
    app.patch(`${base}/:entityId`, { schema: { params: itemParams, body: jsonPatch } }, async (request) =>
      releaseVersions.patch(
        request.actor,
        request.scope,
        request.params.releaseId,
        type,
        request.params.entityId,
        request.body,
        readVersionHeader(request.headers),
      ),
    );
  }
};

export const releaseVersionRoutes = environmentScoped(routes);
