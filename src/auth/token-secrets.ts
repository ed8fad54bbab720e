import { createHash, randomBytes } from 'node:crypto';

/** Personal access tokens look like Contentful's: `CFPAT-` and 43 URL-safe characters. */
export function generateTokenValue(): string {
  return `CFPAT-${randomBytes(32).toString('base64url').slice(0, 43)}`;
}

/** Only the SHA-256 of a token is stored; a token is looked up by hashing what the client sends. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** What Contentful shows of a token after creation: its last characters. */
export function redactToken(value: string): string {
  return value.slice(-4);
}
