import { createHash } from 'node:crypto';
import { TtlCache } from '../cache/ttl-cache.js';
import { countedLookups, type Metrics, noMetrics } from '../domain/metrics.js';
import type { PublishableTable } from '../resources/publishable/repository.js';
import type { DeliveryScope } from './views.js';

/** A delivery answer as sent: the body's UTF-8 bytes and its ETag. */
export interface RenderedResponse {
  payload: Buffer;
  etag: string;
}

/** A GraphQL answer without errors as sent, and its complexity. */
export interface KeptGraphQLAnswer {
  payload: Buffer;
  cost: number;
}

export function etagOf(payload: string | Buffer): string {
  return `"${createHash('sha1').update(payload).digest('base64url')}"`;
}

export function rendered(body: unknown): RenderedResponse {
  return renderedBody(Buffer.from(JSON.stringify(body)));
}

export function renderedBody(payload: Buffer): RenderedResponse {
  return { payload, etag: etagOf(payload) };
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
 * `JSON.stringify(body)` as UTF-8, with the members named in `parts` given as UTF-8 JSON already (kept
 * renditions), in `body`'s order: `body` holds a placeholder for each. The parts are copied once, never
 * parsed or encoded again.
 */
export function jsonWithParts(body: Record<string, unknown>, parts: Record<string, Buffer[]>): Buffer {
  const out: Buffer[] = [];
  for (const [name, value] of Object.entries(body)) {
    const given = Object.hasOwn(parts, name) ? parts[name] : undefined;
    const text = given ? undefined : JSON.stringify(value);
    if (!given && text === undefined) continue;
    out.push(Buffer.from(`${out.length ? ',' : '{'}${JSON.stringify(name)}:${text ?? ''}`));
    if (given) out.push(...given);
  }
  out.push(Buffer.from(out.length ? '}' : '{}'));
  return Buffer.concat(out);
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
    const weigh = (r: { payload: Buffer }) => r.payload.length;
    this.cache = new TtlCache<RenderedResponse>(ttl, {
      maxWeight: maxBytes,
      weigh,
      onLookup: countedLookups(metrics, 'delivery_responses'),
    });
    this.graphqlAnswers = new TtlCache<KeptGraphQLAnswer>(ttl, {
      maxWeight: maxBytes,
      weigh,
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
    render: () => Promise<Buffer>,
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
