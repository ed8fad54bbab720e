/**
 * Whether an error means the database cannot be reached right now (a restart, a failover, a terminated
 * backend, a refused or timed-out connection) rather than that the statement was wrong. Such failures are
 * answered 503 and retried by clients; the pool replaces the broken connections on its own.
 */

/** SQLSTATE classes and codes of an unreachable or restarting server. */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08']; // connection exception
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
]);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
    if (code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
    // 55000 (object_not_in_prerequisite_state) covers other states too; only refused connections are an outage.
    if (code === '55000') return /not currently accepting connections/.test(error.message);
  }
  if (UNAVAILABLE_MESSAGES.some((m) => error.message.startsWith(m))) return true;
  // AggregateError from a connect attempt to several addresses (localhost: ::1 and 127.0.0.1).
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.every(isDatabaseUnavailable);
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}
