import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { ApiError, badRequest, type ValidationErrorItem } from '../domain/errors.js';
import { assertPathIds } from '../domain/ids.js';
import { queriesReadAsSent } from './route-schemas.js';

/** Turns zod issues into Contentful's `details.errors` entries. */
export function zodIssuesToErrors(issues: z.core.$ZodIssue[]): ValidationErrorItem[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'invalid_type' && input === undefined) {
      return { name: 'required', path, details: `The property "${path[path.length - 1] ?? ''}" is required here` };
    }
    if (issue.code === 'invalid_type') return { name: 'type', type: issue.expected, value: input, path, details: issue.message };
    if (issue.code === 'unrecognized_keys') {
      return { name: 'unexpected', path: [...path, ...issue.keys.slice(0, 1)], details: `The property "${issue.keys[0]}" is not expected` };
    }
    if (issue.code === 'too_big' || issue.code === 'too_small') {
      return { name: 'size', path, value: input, details: issue.message };
    }
    if (issue.code === 'invalid_value') return { name: 'in', path, value: input, expected: issue.values, details: issue.message };
    if (issue.code === 'invalid_element' || issue.code === 'invalid_union') {
      return { name: 'invalid', path, value: input, details: issue.message };
    }
    return { name: 'invalid', path, value: input, details: issue.message };
  });
}

/**
 * Validates a request body: a missing body, or one that is not an object (an array where the schema is one,
 * as JSON Patch), is a 400; a wrong shape a 422 `ValidationFailed`.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const array = (schema as { def?: { type?: string } }).def?.type === 'array';
  if (array && !Array.isArray(body)) throw badRequest('The request body must be a JSON array');
  if (!array && (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw badRequest('The request body must be a JSON object');
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (!result.success) throw new ApiError('ValidationFailed', 'Validation error', { errors: zodIssuesToErrors(result.error.issues) });
  return result.data;
}

/** Validates query parameters or headers: any mismatch is a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {}, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw badRequest(`Invalid query parameter "${issue.path.join('.')}": ${issue.message}`, {
      errors: zodIssuesToErrors(result.error.issues),
    });
  }
  return result.data;
}

/** A route's params, body or query-string validator, as Fastify calls it: `{ value }` on success, `{ error }` otherwise. */
type InputValidator = (data: unknown) => { value: unknown } | { error: Error };

/**
 * Fastify's validator compiler for the zod route schemas: each part fails with the ApiError its handler
 * threw before the schemas existed. Fastify checks params, then body, then query string.
 * - params: an id breaking the resource id rule is a 400 naming it (`assertPathIds`);
 * - body: `parseBody` (a missing or non-object body is a 400, a wrong shape a 422 `ValidationFailed`);
 * - query string: `parseQuery`; transforms such as `pagingQuery` throw their own ApiError.
 */
export const routeInputCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }): InputValidator =>
  (data) => {
    try {
      if (httpPart === 'params') return { value: parseParams(schema, data) };
      if (httpPart === 'body') return { value: parseBody(schema, data) };
      const query = parseQuery(schema, data);
      return { value: queriesReadAsSent.has(schema) ? data : query };
    } catch (error) {
      if (error instanceof ApiError) return { error };
      throw error;
    }
  };

function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  assertPathIds(params);
  throw badRequest(`Invalid path parameter "${result.error.issues[0].path.join('.')}"`);
}
