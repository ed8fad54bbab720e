import { ApiError } from '../domain/errors.js';

/**
 * PostgreSQL cannot store U+0000 in text or JSON (SQLSTATE 22021, 22P05): a request that sends it in an
 * id, a query parameter or a value is refused as such, and the failed statement wrote nothing.
 */
const UNSTORABLE_CHARACTER = new Set(['22021', '22P05']);
const UNIQUE_VIOLATION = '23505';

const sqlState = (err: unknown) => (err as { code?: unknown } | null)?.code;

export const isUniqueViolation = (err: unknown) => sqlState(err) === UNIQUE_VIOLATION;

/**
 * The one translation of a failed statement into what the client sees: a unique violation becomes the
 * resource's own conflict error (when it names one), U+0000 a 400. Anything else is returned unchanged.
 */
export function translateDatabaseError(err: unknown, onUniqueViolation?: () => ApiError): unknown {
  if (onUniqueViolation && isUniqueViolation(err)) return onUniqueViolation();
  const code = sqlState(err);
  if (typeof code === 'string' && UNSTORABLE_CHARACTER.has(code)) {
    return new ApiError('BadRequest', 'The request contains a character this server cannot store (U+0000)');
  }
  return err;
}
