import fastJsonPatch from 'fast-json-patch';
import { ApiError, badRequest } from './errors.js';

/** The parts of an entry or asset a JSON Patch (RFC 6902) may change, as the CMA shows them. */
export interface PatchableDocument {
  fields: Record<string, unknown>;
  metadata: { tags: unknown[]; concepts: unknown[] };
}

/** The top-level properties of an entry or asset a patch may reach. */
const ENTITY_PROPERTIES = ['fields', 'metadata'] as const;

/** JSON Patch errors the document causes (the patch is well formed but cannot apply): 422, not 400. */
const UNAPPLICABLE = new Set([
  'TEST_OPERATION_FAILED',
  'OPERATION_PATH_UNRESOLVABLE',
  'OPERATION_FROM_UNRESOLVABLE',
  'OPERATION_PATH_CANNOT_ADD',
  'OPERATION_VALUE_OUT_OF_BOUNDS',
  'OPERATION_PATH_ILLEGAL_ARRAY_INDEX',
]);

/**
 * Applies an RFC 6902 patch (`add`, `remove`, `replace`, `move`, `copy`, `test`) to a copy of the document,
 * all operations or none: a malformed patch or one reaching outside the `writable` top-level properties (an
 * entry's `/fields` and `/metadata` by default) is a 400, an operation that cannot apply (a failed `test`, a
 * missing path) a 422.
 */
export function applyPatch<T extends object = PatchableDocument>(
  document: T,
  operations: unknown,
  writable: readonly string[] = ENTITY_PROPERTIES,
): T {
  if (!Array.isArray(operations)) throw badRequest('A JSON Patch is an array of operations');
  for (const [index, operation] of operations.entries()) {
    const { path, from } = (operation ?? {}) as { path?: unknown; from?: unknown };
    for (const pointer of [path, from]) {
      if (typeof pointer === 'string' && !(pointer.startsWith('/') && writable.includes(pointer.split('/')[1])))
        throw badRequest(`Operation ${index} may only change ${writable.map((p) => `/${p}`).join(', ')}, not "${pointer}"`, { index });
    }
  }
  try {
    const validationError = fastJsonPatch.validate(operations as fastJsonPatch.Operation[], document);
    if (validationError) throw validationError;
    const { newDocument } = fastJsonPatch.applyPatch(structuredClone(document), operations as fastJsonPatch.Operation[], true, false);
    return newDocument;
  } catch (err) {
    if (!(err instanceof fastJsonPatch.JsonPatchError)) throw err;
    const message = `Operation ${err.index ?? 0} cannot be applied: ${err.message.split('\n')[0]}`;
    if (UNAPPLICABLE.has(err.name)) throw new ApiError('UnprocessableEntity', message, { index: err.index, reason: err.name });
    throw badRequest(message, { index: err.index, reason: err.name });
  }
}
