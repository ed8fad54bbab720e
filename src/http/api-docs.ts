import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorId, errorStatus } from '../domain/errors.js';
import { JSON_CONTENT_TYPES } from './content-types.js';
import { DELIVERY_CONTENT_TYPE, MANAGEMENT_CONTENT_TYPE } from './error-handler.js';

/** The APIs the OpenAPI document groups its operations by. */
export type ApiTag = 'Management' | 'Upload' | 'Delivery' | 'Preview' | 'Sync' | 'GraphQL' | 'Files' | 'Server';

const TOKEN_SECURITY = [{ accessToken: [] }];

/**
 * Documents every route a plugin registers as part of one API: its tag, the access token it needs and
 * the content type it answers with. A route that names its own tag (sync) keeps it.
 */
export function documentAs(app: FastifyInstance, tag: ApiTag) {
  const authenticated = tag !== 'Files' && tag !== 'Server';
  app.addHook('onRoute', (route) => {
    route.schema = {
      tags: [tag],
      produces: [
        tag === 'Management' || tag === 'Upload' ? MANAGEMENT_CONTENT_TYPE : tag === 'GraphQL' ? 'application/json' : DELIVERY_CONTENT_TYPE,
      ],
      consumes: JSON_CONTENT_TYPES,
      ...(authenticated ? { security: TOKEN_SECURITY } : {}),
      ...route.schema,
    };
  });
}

const COMMON_ERRORS: ErrorId[] = ['BadRequest', 'AccessTokenInvalid', 'RateLimitExceeded', 'ServerError', 'ServiceUnavailable'];
const BODY_ERRORS: ErrorId[] = [
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'UnknownField',
  'ValidationFailed',
  'InvalidEntry',
  'UnresolvedLinks',
  'UnprocessableEntity',
];

/** The error ids a route can answer with, from its API, its method and whether it takes a body. */
function errorIds(tag: string | undefined, method: string, hasBody: boolean): ErrorId[] {
  switch (tag) {
    case 'Management':
    case 'Upload': {
      const ids: ErrorId[] = [...COMMON_ERRORS, 'AccessDenied', 'NotFound'];
      if (method !== 'GET') ids.push('VersionMismatch', 'Conflict');
      if (hasBody || tag === 'Upload') ids.push(...BODY_ERRORS);
      // Publishing checks the entry against its content type like a write of its fields.
      else if (method === 'PUT') ids.push('ValidationFailed', 'InvalidEntry', 'UnresolvedLinks');
      return ids;
    }
    case 'Delivery':
    case 'Preview':
    case 'Sync':
      return [...COMMON_ERRORS, 'InvalidQuery', 'NotFound'];
    case 'Files':
      return ['NotFound', 'RangeNotSatisfiable', 'ServerError', 'ServiceUnavailable'];
    default:
      return [];
  }
}

function errorBodySchema(ids: ErrorId[]) {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(
    z.object({
      sys: z.object({ type: z.literal('Error'), id: z.enum(ids as [ErrorId, ...ErrorId[]]) }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string(),
    }),
  );
  return schema;
}

/** Each possible error status as a documented response in Contentful's error shape, its `sys.id` values listed. */
function errorResponses(tag: string | undefined, method: string, hasBody: boolean) {
  const byStatus = new Map<number, ErrorId[]>();
  for (const id of errorIds(tag, method, hasBody)) byStatus.set(errorStatus[id], [...(byStatus.get(errorStatus[id]) ?? []), id]);
  const contentType = tag === 'Delivery' || tag === 'Preview' || tag === 'Sync' ? DELIVERY_CONTENT_TYPE : MANAGEMENT_CONTENT_TYPE;
  return Object.fromEntries(
    [...byStatus].map(([status, ids]) => [
      status,
      { description: `sys.id: ${ids.join(', ')}`, content: { [contentType]: { schema: errorBodySchema(ids) } } },
    ]),
  );
}

/** The zod route schemas as JSON schemas, plus the error responses each route can give. */
const transform: SwaggerTransform = (document) => {
  const transformed = jsonSchemaTransform(document);
  const schema = transformed.schema as { hide?: boolean; tags?: string[]; body?: unknown; response?: Record<string, unknown> };
  if (!schema || schema.hide) return transformed;
  const method = [document.route.method].flat()[0];
  const errors = errorResponses(schema.tags?.[0], method, schema.body !== undefined);
  return { ...transformed, schema: { ...schema, response: { ...schema.response, ...errors } } };
};

/**
 * The OpenAPI 3.1 document at GET /openapi.json, generated from the route schemas, and its reference page
 * at GET /docs (Swagger UI, served from the package's own files: it works offline). Neither needs a token.
 * Registered before any route, so that it sees all of them. Its server is PUBLIC_URL, where clients reach the APIs.
 */
export async function registerApiDocs(app: FastifyInstance, publicUrl: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      servers: [{ url: publicUrl }],
      info: {
        title: 'Self-hosted Contentful',
        description:
          "Contentful's Content Management, Upload, Delivery, Preview and Sync APIs. Errors have Contentful's shape; " +
          'the documented responses of each operation list the `sys.id` values it can answer with.',
        // The version of the APIs' shape, as Contentful numbers its content types (vnd.contentful.*.v1+json).
        version: '1',
      },
      components: {
        securitySchemes: { accessToken: { type: 'http', scheme: 'bearer', description: 'A personal access token or an API key' } },
      },
      tags: [
        { name: 'Management', description: 'Content Management API (CMA)' },
        { name: 'Upload', description: 'Upload API' },
        { name: 'Delivery', description: 'Content Delivery API (CDA), under /cdn' },
        { name: 'Preview', description: 'Content Preview API (CPA), under /preview' },
        { name: 'Sync', description: 'Sync API, under /cdn and /preview' },
        { name: 'Files', description: 'Asset files and the Images API parameters' },
        { name: 'Server', description: 'Liveness and readiness' },
      ],
    },
    transform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
