import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { jsonPatch, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { conceptBody, conceptSchemeBody, taxonomyQuery } from './schema.js';

const organizationParams = pathIds('organizationId');
const conceptParams = pathIds('organizationId', 'conceptId');
const schemeParams = pathIds('organizationId', 'conceptSchemeId');

/** The path a page was asked for: its page links repeat it. */
const pathOf = (request: FastifyRequest) => request.url.split('?')[0]!;

/**
 * The organization's taxonomy as contentful-management's `concept.*` and `conceptScheme.*` call it:
 * `/organizations/{id}/taxonomy/concepts` and `.../concept-schemes` (`total` before the ids, so it is never
 * taken for one).
 */
export const taxonomyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { taxonomy } = app;
  const base = '/organizations/:organizationId/taxonomy';
  const key = (params: { organizationId: string }) => ({ organizationId: params.organizationId });
  const version = (request: FastifyRequest) => readVersionHeader(request.headers);

  app.get(`${base}/concepts`, { schema: { params: organizationParams, querystring: taxonomyQuery } }, async (request) =>
    taxonomy.listConcepts(request.actor, key(request.params), request.query, pathOf(request)),
  );
  app.get(`${base}/concepts/total`, { schema: { params: organizationParams } }, async (request) =>
    taxonomy.conceptTotal(request.actor, key(request.params)),
  );
  app.post(`${base}/concepts`, { schema: { params: organizationParams, body: conceptBody } }, async (request, reply) =>
    reply.status(201).send(await taxonomy.concepts.create(request.actor, key(request.params), undefined, request.body)),
  );
  app.get(`${base}/concepts/:conceptId`, { schema: { params: conceptParams } }, async (request) =>
    taxonomy.getConcept(request.actor, key(request.params), request.params.conceptId),
  );
  app.put(`${base}/concepts/:conceptId`, { schema: { params: conceptParams, body: conceptBody } }, async (request, reply) => {
    const result = await taxonomy.concepts.put(
      request.actor,
      key(request.params),
      request.params.conceptId,
      request.body,
      version(request),
    );
    return reply.status(result.created ? 201 : 200).send(result.item);
  });
  app.patch(`${base}/concepts/:conceptId`, { schema: { params: conceptParams, body: jsonPatch } }, async (request) =>
    taxonomy.concepts.patch(request.actor, key(request.params), request.params.conceptId, request.body, version(request)),
  );
  app.delete(`${base}/concepts/:conceptId`, { schema: { params: conceptParams } }, async (request, reply) => {
    await taxonomy.concepts.delete(request.actor, key(request.params), request.params.conceptId, version(request));
    return reply.status(204).send();
  });
  for (const direction of ['ancestors', 'descendants'] as const) {
    app.get(
      `${base}/concepts/:conceptId/${direction}`,
      { schema: { params: conceptParams, querystring: taxonomyQuery } },
      async (request) =>
        taxonomy.relatives(request.actor, key(request.params), request.params.conceptId, direction, request.query, pathOf(request)),
    );
  }

  app.get(`${base}/concept-schemes`, { schema: { params: organizationParams, querystring: taxonomyQuery } }, async (request) =>
    taxonomy.listSchemes(request.actor, key(request.params), request.query, pathOf(request)),
  );
  app.get(`${base}/concept-schemes/total`, { schema: { params: organizationParams } }, async (request) =>
    taxonomy.schemeTotal(request.actor, key(request.params)),
  );
  app.post(`${base}/concept-schemes`, { schema: { params: organizationParams, body: conceptSchemeBody } }, async (request, reply) =>
    reply.status(201).send(await taxonomy.conceptSchemes.create(request.actor, key(request.params), undefined, request.body)),
  );
  app.get(`${base}/concept-schemes/:conceptSchemeId`, { schema: { params: schemeParams } }, async (request) =>
    taxonomy.getScheme(request.actor, key(request.params), request.params.conceptSchemeId),
  );
  app.put(
    `${base}/concept-schemes/:conceptSchemeId`,
    { schema: { params: schemeParams, body: conceptSchemeBody } },
    async (request, reply) => {
      const { conceptSchemeId } = request.params;
      const result = await taxonomy.conceptSchemes.put(request.actor, key(request.params), conceptSchemeId, request.body, version(request));
      return reply.status(result.created ? 201 : 200).send(result.item);
    },
  );
  app.patch(`${base}/concept-schemes/:conceptSchemeId`, { schema: { params: schemeParams, body: jsonPatch } }, async (request) =>
    taxonomy.conceptSchemes.patch(request.actor, key(request.params), request.params.conceptSchemeId, request.body, version(request)),
  );
  app.delete(`${base}/concept-schemes/:conceptSchemeId`, { schema: { params: schemeParams } }, async (request, reply) => {
    await taxonomy.conceptSchemes.delete(request.actor, key(request.params), request.params.conceptSchemeId, version(request));
    return reply.status(204).send();
  });
};
