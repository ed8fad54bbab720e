import { badRequest } from './errors.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface Paging {
  skip: number;
  limit: number;
}

function parseNonNegativeInt(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof text !== 'string' && typeof text !== 'number') throw badRequest(`The ${name} parameter must be an integer`);
  const str = String(text).trim();
  if (!/^\d+$/.test(str)) throw badRequest(`The ${name} parameter must be a non-negative integer, got "${str.slice(0, 40)}"`);
  return Number(str);
}

/** `skip` >= 0 and 0 <= `limit` <= 1000 (default 100); anything else is a 400 as the seeds say. */
export function parsePaging(query: Record<string, unknown> | undefined, defaults = { limit: DEFAULT_LIMIT }): Paging {
  const skip = parseNonNegativeInt(query?.skip, 'skip') ?? 0;
  const limit = parseNonNegativeInt(query?.limit, 'limit') ?? defaults.limit;
  if (limit > MAX_LIMIT) throw badRequest(`The limit parameter must be at most ${MAX_LIMIT}, got ${limit}`);
  return { skip, limit };
}

export interface Collection<T> {
  sys: { type: 'Array' };
  total: number;
  skip: number;
  limit: number;
  items: T[];
}

export function collection<T>(items: T[], total: number, paging: Paging): Collection<T> {
  return { sys: { type: 'Array' }, total, skip: paging.skip, limit: paging.limit, items };
}
