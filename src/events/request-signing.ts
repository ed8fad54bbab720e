import { createHmac } from 'node:crypto';
import querystring from 'node:querystring';

export const SIGNATURE_HEADER = 'x-contentful-signature';
export const SIGNED_HEADERS_HEADER = 'x-contentful-signed-headers';
export const TIMESTAMP_HEADER = 'x-contentful-timestamp';

/** The path as the canonical request has it: the query escaped as one component, then the whole URI-encoded. */
function canonicalPath(path: string): string {
  const [pathname, search] = path.split('?');
  return encodeURI(search ? `${pathname}?${querystring.escape(search)}` : pathname);
}

/**
 * Contentful's webhook request verification ("Request Verification"): while a space has a signing secret,
 * each call carries `x-contentful-signature`, `x-contentful-signed-headers` ("A comma-separated list of
 * headers included in the computed signature") and `x-contentful-timestamp` ("Timestamp of when the request
 * was signed", milliseconds since the epoch). The signature is the hex HMAC-SHA256, keyed with the secret,
 * of the canonical request that `verifyRequest` of `@contentful/node-apps-toolkit` recomputes: the method,
 * the canonical path, the signed headers (lowercase names and trimmed values, sorted by name, each
 * `name:value`, joined by `;`) and the body, joined by newlines. Every header given is signed, with the
 * timestamp and the list of signed headers themselves. Returns the three headers to add.
 */
export function signRequest(
  secret: string,
  request: { method: string; path: string; headers: Record<string, string>; body: string },
  timestamp: number,
): Record<string, string> {
  const headers = new Map(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase().trim(), value.trim()]));
  headers.set(TIMESTAMP_HEADER, String(timestamp));
  const names = [...new Set([...headers.keys(), SIGNED_HEADERS_HEADER])].sort();
  const signedHeaders = names.join(',');
  headers.set(SIGNED_HEADERS_HEADER, signedHeaders);
  const canonical = [
    request.method,
    canonicalPath(request.path),
    names.map((name) => `${name}:${headers.get(name)}`).join(';'),
    request.body,
  ].join('\n');
  return {
    [SIGNATURE_HEADER]: createHmac('sha256', secret).update(canonical).digest('hex'),
    [SIGNED_HEADERS_HEADER]: signedHeaders,
    [TIMESTAMP_HEADER]: String(timestamp),
  };
}
