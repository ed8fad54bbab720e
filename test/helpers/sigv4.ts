import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An AWS Signature Version 4 check written from AWS's documentation ("Create a signed AWS API request"),
 * independent of the signer the server uses: it rebuilds the canonical request of a received request from
 * its Authorization header's signed headers, derives the signing key from the secret and the credential
 * scope, and compares signatures.
 */

export interface ReceivedRequest {
  method: string;
  /** The request target as received: the (encoded) path and the query. */
  path: string;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export function parseAuthorization(value: string): SigV4Authorization {
  const match = AUTHORIZATION.exec(value);
  if (!match) throw new Error(`not a SigV4 Authorization header: ${value}`);
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** URI-encodes every byte but the unreserved characters A-Z a-z 0-9 - _ . ~, as the documentation asks. */
const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** "Each path segment must be URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)." */
function canonicalUri(path: string, service: string): string {
  const segments = path.split('/').map((segment) => (service === 's3' ? uriEncode(decodeURIComponent(segment)) : uriEncode(segment)));
  return segments.join('/') || '/';
}

/** Parameters sorted by name (then value), names and values URI-encoded. */
function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name, value = ''] = pair.split('=');
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))];
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The canonical request: method, URI, query, headers, signed header names and the hashed payload. */
export function canonicalRequest(request: ReceivedRequest, signedHeaders: string[], service: string): string {
  const [path, query = ''] = request.path.split('?');
  const headers = signedHeaders
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payloadHash = (request.headers['x-amz-content-sha256'] as string | undefined) ?? sha256(request.body);
  return [request.method, canonicalUri(path, service), canonicalQuery(query), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** The signing key: HMACs of the date, region, service and "aws4_request", starting from "AWS4" + secret. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** The signature a request should carry, given its X-Amz-Date and the scope its Authorization header names. */
export function expectedSignature(request: ReceivedRequest, auth: SigV4Authorization, secretAccessKey: string): string {
  const amzDate = String(request.headers['x-amz-date']);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest(request, auth.signedHeaders, auth.service))].join('\n');
  return createHmac('sha256', signingKey(secretAccessKey, auth.date, auth.region, auth.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

/** Whether a received request carries a valid SigV4 signature made with `secretAccessKey`. */
export function hasValidSigV4(request: ReceivedRequest, secretAccessKey: string): boolean {
  const auth = parseAuthorization(String(request.headers.authorization));
  const expected = Buffer.from(expectedSignature(request, auth, secretAccessKey));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
