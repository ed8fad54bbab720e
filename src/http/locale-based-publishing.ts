import type { FastifyRequest } from 'fastify';

/**
 * `X-Contentful-Locale-Based-Publishing: true` (any case): the CDA and GraphQL follow each locale's
 * publishing status rather than only the entity's (seed 003's successor docs, "Locale-based publishing").
 */
export function wantsLocaleBasedPublishing(request: FastifyRequest): boolean {
  const header = request.headers['x-contentful-locale-based-publishing'];
  return typeof header === 'string' && header.trim().toLowerCase() === 'true';
}
