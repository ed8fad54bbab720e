import fs from 'node:fs';
import type { Config } from '../config.js';

/** Node's default for `connectionsCheckingInterval`, and the longest we let it be. */
const MAX_CHECKING_INTERVAL_MS = 30_000;
const MIN_CHECKING_INTERVAL_MS = 10;
/** Node's default TLS `handshakeTimeout`. */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 120_000;

/**
 * Fastify's `trustProxy` from TRUST_PROXY: `true` (trust every hop), a comma-separated list of proxy
 * addresses or CIDR ranges, or a hop count. Fastify 5 takes a bare number as "trust no hop" (it cannot check
 * the immediate peer), so a count is given as a function trusting that many hops from the socket outwards,
 * Express's meaning: right only when the server is reachable through those proxies alone.
 */
export function trustProxyOption(value: Config['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  const hops = value;
  return (_address, hop) => hop < hops;
}

/**
 * The connection limits of the Node server, from HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS and
 * HTTP_KEEP_ALIVE_TIMEOUT_MS (0 turns the headers or request limit off).
 *
 * - `headersTimeout`: how long a client may take from its first byte (or, for a new connection, from
 *   accepting it: Node counts a connection that has sent nothing at all as a request whose headers are
 *   not complete) to the end of the request headers. Answered with 408 and the connection closed.
 * - `requestTimeout`: the same for the whole request, body included (uploads too: raise it for slow links).
 * - `keepAliveTimeout`: how long an idle keep-alive connection is kept after a response.
 * - `connectionsCheckingInterval`: how often Node looks for connections past the first two limits; it can
 *   only be given when the server is created, so it is passed in the `http` / `https` server options.
 *
 * Node refuses a `headersTimeout` larger than a non-zero `requestTimeout`; the headers limit is then the
 * request limit.
 */
export function httpServerOptions(config: Config) {
  const { requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const headersTimeoutMs =
    requestTimeoutMs > 0 && config.http.headersTimeoutMs > requestTimeoutMs ? requestTimeoutMs : config.http.headersTimeoutMs;
  const shortest = Math.min(...[headersTimeoutMs, requestTimeoutMs].filter((ms) => ms > 0));
  const connectionsCheckingInterval = Number.isFinite(shortest)
    ? Math.min(MAX_CHECKING_INTERVAL_MS, Math.max(MIN_CHECKING_INTERVAL_MS, Math.floor(shortest / 4)))
    : MAX_CHECKING_INTERVAL_MS;
  const nodeOptions = { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval };
  return {
    // Fastify sets these two on the server itself after creating it (it reads 0 as its own default).
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    ...(config.tls
      ? {
          // https.createServer takes the http server options beside the TLS ones. A TLS connection is
          // only handed to the HTTP parser after its handshake, so the handshake gets the headers limit too.
          https: {
            cert: fs.readFileSync(config.tls.certFile),
            key: fs.readFileSync(config.tls.keyFile),
            handshakeTimeout:
              headersTimeoutMs > 0 ? Math.min(headersTimeoutMs, DEFAULT_HANDSHAKE_TIMEOUT_MS) : DEFAULT_HANDSHAKE_TIMEOUT_MS,
            ...nodeOptions,
          },
        }
      : { http: nodeOptions }),
  };
}
