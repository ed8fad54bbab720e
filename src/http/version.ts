import { badRequest } from '../domain/errors.js';

/**
 * The value of `X-Contentful-Version`: a non-negative integer, or undefined when the header is absent.
 * Services decide what a missing version means (a create, or a 409 on an update).
 */
export function readVersionHeader(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['x-contentful-version'];
  if (raw === undefined) return undefined;
  const text = (Array.isArray(raw) ? raw[0] : raw).trim();
  if (!/^\d{1,9}$/.test(text)) {
    throw badRequest(`X-Contentful-Version must be a non-negative integer, got "${text.slice(0, 40)}"`);
  }
  return Number(text);
}
