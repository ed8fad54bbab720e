import type { FastifyInstance } from 'fastify';
import { badRequest } from '../domain/errors.js';

/** JSON bodies arrive as plain JSON or as Contentful's vendor types; all are parsed the same way. */
export const JSON_CONTENT_TYPES = [
  'application/json',
  'application/vnd.contentful.management.v1+json',
  'application/vnd.contentful.management.v2+json',
  'application/vnd.contentful.delivery.v1+json',
  'application/json-patch+json',
];

export function registerContentTypeParsers(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    // Action endpoints (publish, archive, revoke, ...) are PUTs with a JSON content type and no body.
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('The request body is not valid JSON'), undefined);
    }
  });
}
