import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/availability.js';
import { CLIENT_CLOSED_MESSAGE, closedByClient } from './client-abort.js';
import { ApiError } from '../domain/errors.js';

/** Fastify's own failures, mapped to Contentful's ids. */
function fromFastifyError(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new ApiError(
        'UnsupportedMediaType',
        'Unsupported Content-Type: send JSON as application/vnd.contentful.management.v1+json or application/json',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('PayloadTooLarge', 'The request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('BadRequest', error.message);
    default:
      break;
  }
  if (error.validation) return new ApiError('BadRequest', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    if (error.statusCode === 404) return new ApiError('NotFound', 'The resource could not be found.');
    if (error.statusCode === 405) return new ApiError('MethodNotAllowed', error.message);
    return new ApiError('BadRequest', error.message);
  }
  return undefined;
}

/**
 * PostgreSQL cannot store U+0000 in text or JSON (SQLSTATE 22021, 22P05): a request that sends it in an
 * id, a query parameter or a value is refused as such, and the failed statement wrote nothing.
 */
const UNSTORABLE_CHARACTER = new Set(['22021', '22P05']);

/** Clients (the official SDKs retry 5xx) come back after this many seconds during a database outage. */
const RETRY_AFTER_SECONDS = '1';

function fromDatabaseError(error: Error): ApiError | undefined {
  if (isDatabaseUnavailable(error)) {
    return new ApiError('ServiceUnavailable', 'The database is not available right now; try again shortly.', undefined, {
      'Retry-After': RETRY_AFTER_SECONDS,
    });
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNSTORABLE_CHARACTER.has(code)) {
    return new ApiError('BadRequest', 'The request contains a character this server cannot store (U+0000)');
  }
  return undefined;
}

export const MANAGEMENT_CONTENT_TYPE = 'application/vnd.contentful.management.v1+json';
export const DELIVERY_CONTENT_TYPE = 'application/vnd.contentful.delivery.v1+json';

/** The space and environment a request acts in, as far as they are known. */
export interface RequestPlace {
  space?: string;
  environment?: string;
}

/** The place a request's path names (`/spaces/:spaceId[/environments/:environmentId]`). */
function placeInPath(request: FastifyRequest): RequestPlace {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { space: text(params.spaceId), environment: text(params.environmentId) };
}

/**
 * A 404 names what was looked for and, as Contentful's do, where: the space of anything but a space, the
 * environment of anything inside one.
 */
function locatedNotFound(error: ApiError, place: RequestPlace): ApiError {
  const type = error.details?.type;
  if (error.id !== 'NotFound' || typeof type !== 'string' || type === 'Space') return error;
  const where: Record<string, string> = {};
  if (place.space !== undefined && error.details?.space === undefined) where.space = place.space;
  if (place.environment !== undefined && type !== 'Environment' && error.details?.environment === undefined)
    where.environment = place.environment;
  return Object.keys(where).length ? new ApiError(error.id, error.message, { ...error.details, ...where }, error.headers) : error;
}

/**
 * Answers the errors of one API (the management plugin, a delivery plugin, or the root for files, health
 * and unknown paths) in Contentful's shape and that API's content type: Fastify drops the headers set
 * before an error, so the content type is set here again. `placeOf` tells where a request acts when its
 * path does not say it all (a route without the environment segment means `master`).
 */
export function registerErrorHandling(
  app: FastifyInstance,
  contentType: string,
  placeOf: (request: FastifyRequest) => RequestPlace | undefined = () => undefined,
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    reply.type(contentType);
    if (!(error instanceof ApiError) && closedByClient(request)) {
      // Nobody reads this answer; it gives the request log and the metrics a status.
      request.log.info({ err: error }, CLIENT_CLOSED_MESSAGE);
      return reply.status(400).send(new ApiError('BadRequest', CLIENT_CLOSED_MESSAGE).toBody(request.id));
    }
    const found = error instanceof ApiError ? error : (fromDatabaseError(error) ?? fromFastifyError(error));
    const apiError = found && locatedNotFound(found, placeOf(request) ?? placeInPath(request));
    if (!apiError) {
      request.log.error({ err: error }, 'unhandled error');
      const serverError = new ApiError('ServerError', 'Internal server error');
      return reply.status(500).send(serverError.toBody(request.id));
    }
    if (apiError.id === 'ServiceUnavailable') request.log.warn({ err: error }, apiError.message);
    else if (apiError.status >= 500) request.log.error({ err: error }, apiError.message);
    if (apiError.headers) reply.headers(apiError.headers);
    return reply.status(apiError.status).send(apiError.toBody(request.id));
  });
}

/**
 * Answers unknown paths under the instance's prefix with a 404 in the given content type. Fastify runs the
 * hooks of the instance that sets a not-found handler for it, so a plugin with an authentication hook
 * registers this in a child plugin before adding that hook: an unknown path is a 404, whatever token it has.
 */
export function registerNotFound(app: FastifyInstance, contentType: string) {
  app.setNotFoundHandler((request, reply) => {
    reply.type(contentType);
    const error = new ApiError('NotFound', 'The resource could not be found.');
    return reply.status(404).send(error.toBody(request.id));
  });
}
