import { ApiError, notFound, versionMismatch } from '../domain/errors.js';

/**
 * Optimistic locking for every versioned resource. `update` must be a single
 * `UPDATE ... WHERE <key> AND version = <expected> RETURNING ...` statement, so the check and the write are
 * atomic in the database and two writers holding the same version can never both succeed. When it
 * changes nothing, `exists` tells a missing resource (404) from a stale version (409).
 */
export async function versionLockedUpdate<T>(options: {
  type: string;
  id: string;
  expectedVersion: number | undefined;
  update: (expectedVersion: number) => Promise<T | undefined>;
  exists: () => Promise<boolean>;
}): Promise<T> {
  const { type, id, expectedVersion } = options;
  if (expectedVersion === undefined) {
    if (!(await options.exists())) throw notFound(type, id);
    throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required to update this resource', { type, id });
  }
  const row = await options.update(expectedVersion);
  if (row !== undefined) return row;
  if (!(await options.exists())) throw notFound(type, id);
  throw versionMismatch(type, id);
}
