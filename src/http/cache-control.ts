import type { FastifyRequest } from 'fastify';

/** `Cache-Control: no-cache` asks for an answer computed now rather than a kept one (RFC 9111 5.2.1.4). */
export function wantsFresh(request: FastifyRequest): boolean {
  const header = request.headers['cache-control'];
  return typeof header === 'string' && /(^|,)\s*no-cache\s*(,|$)/i.test(header);
}
