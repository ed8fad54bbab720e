import type { FastifyRequest } from 'fastify';

export const CLIENT_CLOSED_MESSAGE = 'the client closed the connection before the request was read';

/**
 * Whether a request failed because its client went away before sending all of it (an upload cancelled
 * mid-body, a dropped connection): a client event, not a fault of the server.
 *
 * Decided by the request's state rather than by the error's text: the body never completed, and Node
 * destroyed the request stream because its connection closed. Node does that with an `ECONNRESET`
 * "aborted" error (`abortIncoming` in `_http_server`), which is what streaming the body to storage then
 * rejects with; a request stream the server destroyed itself (a store that failed writing, for example)
 * carries that failure instead and stays a server error.
 */
export function closedByClient(request: FastifyRequest): boolean {
  const raw = request.raw;
  if (raw.complete || !raw.destroyed) return false;
  const cause = raw.errored as NodeJS.ErrnoException | null;
  return cause === null || cause.code === 'ECONNRESET';
}
