import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { TtlCache } from '../cache/ttl-cache.js';
import { countedLookups, type Metrics, noMetrics } from '../domain/metrics.js';
import type { PublishableTable } from '../resources/publishable/repository.js';
import type { DeliveryScope } from './views.js';

/** A delivery answer as sent: the body's UTF-8 bytes (in `chunked` pieces), their length and its ETag. */
export interface RenderedResponse {
  chunks: Buffer[];
  bytes: number;
  etag: string;
}

/** A GraphQL answer without errors as sent, and its complexity. */
export interface KeptGraphQLAnswer {
  payload: Buffer;
  cost: number;
}

/** The ETag of a body, given whole or in parts. */
export function etagOf(payload: string | Buffer | readonly Buffer[]): string {
  const hash = createHash('sha1');
  for (const part of typeof payload === 'string' || Buffer.isBuffer(payload) ? [payload] : payload) hash.update(part);
  return `"${hash.digest('base64url')}"`;
}

/**
 * The size of the pieces a long answer is sent in: below glibc's mmap threshold as production sets it
 * (`MALLOC_MMAP_THRESHOLD_=131072`), so each comes from the reused heap. One 400 KB buffer per answer was
 * mapped afresh and faulted in page by page each time: a fifth of a computed include=2 page's time.
 */
const CHUNK_BYTES = 64 * 1024;

/** `parts` as pieces of about CHUNK_BYTES: short parts copied together, a long one as it is. */
export function chunked(parts: Buffer[]): Buffer[] {
  const chunks: Buffer[] = [];
  let group: Buffer[] = [];
  let groupBytes = 0;
  const flush = () => {
    if (group.length) chunks.push(group.length === 1 ? group[0] : Buffer.concat(group, groupBytes));
    group = [];
    groupBytes = 0;
  };
  for (const part of parts) {
    if (groupBytes + part.length > CHUNK_BYTES) flush();
    group.push(part);
    groupBytes += part.length;
  }
  flush();
  return chunks;
}

/** An answer of UTF-8 JSON `parts`, in pieces, with its ETag (hashed over the parts). */
export function renderedBody(parts: Buffer[]): RenderedResponse {
  const bytes = parts.reduce((sum, part) => sum + part.length, 0);
  return { chunks: chunked(parts), bytes, etag: etagOf(parts) };
}

/** What a route sends for `response`: its one piece, or a stream of its pieces with their length. */
export function sentBody(response: RenderedResponse, setLength: (bytes: number) => void): Buffer | Readable {
  if (response.chunks.length === 1) return response.chunks[0];
  setLength(response.bytes);
  return Readable.from(response.chunks, { objectMode: false });
}

const COMMA = Buffer.from(',');
const OPEN_ARRAY = Buffer.from('[');
const CLOSE_ARRAY = Buffer.from(']');
const EMPTY_ARRAY = Buffer.from('[]');

/** The parts of a JSON array of UTF-8 JSON values, for `jsonWithParts`. */
export function jsonArray(items: Buffer[]): Buffer[] {
  if (items.length === 0) return [EMPTY_ARRAY];
  const parts: Buffer[] = [OPEN_ARRAY];
  for (const item of items) parts.push(item, COMMA);
  parts[parts.length - 1] = CLOSE_ARRAY;
  return parts;
}

/**
 * `JSON.stringify(body)` as UTF-8 parts, with the members named in `parts` given as UTF-8 JSON already
 * (kept renditions), in `body`'s order: `body` holds a placeholder for each. The given parts are neither
 * parsed nor encoded again, nor copied here.
 */
export function jsonWithParts(body: Record<string, unknown>, parts: Record<string, Buffer[]>): Buffer[] {
  const out: Buffer[] = [];
  for (const [name, value] of Object.entries(body)) {
    const given = Object.hasOwn(parts, name) ? parts[name] : undefined;
    const text = given ? undefined : JSON.stringify(value);
    if (!given && text === undefined) continue;
    out.push(Buffer.from(`${out.length ? ',' : '{'}${JSON.stringify(name)}:${text ?? ''}`));
    if (given) for (const part of given) out.push(part);
  }
  out.push(Buffer.from(out.length ? '}' : '{}'));
  return out;
}

/**
 * Serialized entry and asset collections, the expensive delivery answers (a page of 100 entries with two
 * include levels is ~400 KB of JSON), kept for `DELIVERY_CACHE_TTL_MS` within `DELIVERY_RESPONSE_CACHE_MB`.
 * The role Contentful's CDN plays: every management write clears it before answering, so clients read their
 * writes, through any server process on the same PostgreSQL database (src/cache/pg-notifier.ts).
 */
export class DeliveryResponses {
  private readonly cache: TtlCache<RenderedResponse>;
  private readonly graphqlAnswers: TtlCache<KeptGraphQLAnswer>;

  constructor(ttlMs: number, maxBytes: number, metrics: Metrics = noMetrics) {
    const ttl = maxBytes > 0 ? ttlMs : 0;
    this.cache = new TtlCache<RenderedResponse>(ttl, {
      maxWeight: maxBytes,
      weigh: (r) => r.bytes,
      onLookup: countedLookups(metrics, 'delivery_responses'),
    });
    this.graphqlAnswers = new TtlCache<KeptGraphQLAnswer>(ttl, {
      maxWeight: maxBytes,
      weigh: (a) => a.payload.length,
      onLookup: countedLookups(metrics, 'graphql_responses'),
    });
  }

  /**
   * A GraphQL answer kept like a collection (by token kind, environment and the request's query, variables
   * and operation). `render` throws what must not be kept (errors, or anything but a 200).
   */
  graphql(kind: string, scope: { spaceId: string; environmentId: string }, request: unknown, render: () => Promise<KeptGraphQLAnswer>) {
    const digest = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
    return this.graphqlAnswers.get(`${kind}/${scope.spaceId}/${scope.environmentId}/${digest}`, render);
  }

  collection(
    scope: DeliveryScope,
    table: PublishableTable,
    query: Record<string, unknown>,
    render: () => Promise<Buffer[]>,
  ): Promise<RenderedResponse> {
    const parameters = Object.entries(query)
      .filter(([name]) => name !== 'access_token')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Answers with and without locale-based publishing differ for the same query.
    const api = scope.localeBased ? `${scope.api}+locales` : scope.api;
    const key = `${api}/${scope.spaceId}/${scope.environmentId}/${table}?${JSON.stringify(parameters)}`;
    return this.cache.get(key, async () => renderedBody(await render()));
  }

  clear(): void {
    this.cache.clear();
    this.graphqlAnswers.clear();
  }
}
