import { customAlphabet } from 'nanoid';
import { badRequest } from './errors.js';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Generated ids: 22 alphanumeric characters, like Contentful's. */
export const generateId: () => string = customAlphabet(ALPHANUMERIC, 22);

/** Client-chosen ids follow the seeds' rule /^[a-zA-Z0-9-_.]{1,64}$/. */
export const RESOURCE_ID_PATTERN = /^[a-zA-Z0-9\-_.]{1,64}$/;

export function isValidResourceId(id: string): boolean {
  return RESOURCE_ID_PATTERN.test(id);
}

export function assertResourceId(id: string, what = 'resource'): string {
  if (!isValidResourceId(id)) {
    throw badRequest(`Invalid ${what} id "${id.slice(0, 80)}": ids are 1 to 64 characters of letters, digits, ".", "-" and "_"`, {
      id: id.slice(0, 80),
    });
  }
  return id;
}

/** Every id in a URL must be a valid resource id; anything else (a NUL byte, say) is a 400 before any query runs. */
export function assertPathIds(params: unknown) {
  if (!params || typeof params !== 'object') return;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' && name !== 'fileName') assertResourceId(value, name.replace(/Id$/, ''));
  }
}
