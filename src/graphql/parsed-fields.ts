import { LRUCache } from 'lru-cache';
import { type Metrics, noMetrics } from '../domain/metrics.js';

/** An estimate of what a parsed value takes in memory for each character of its JSON text. */
const HEAP_BYTES_PER_CHARACTER = 4;

/**
 * The fields of entries and assets as GraphQL reads them, parsed once per JSON text: rows arrive with their
 * fields as text, and a text seen before gives the value parsed then. Keyed by the text itself, a kept
 * value cannot be stale (a new publish or draft is a new text) and nothing has to be cleared. A computed
 * answer of 100 entries with two levels of links parsed 600 fields objects, the most of its garbage.
 * The values are shared between answers: resolvers read them, never change them. The least recently used
 * go first once `GRAPHQL_FIELDS_CACHE_MB` is full (0: parse every time).
 */
export class ParsedFields {
  private readonly kept: LRUCache<string, Record<string, Record<string, unknown>>> | undefined;

  constructor(
    maxBytes: number,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.kept =
      maxBytes > 0
        ? new LRUCache({ maxSize: maxBytes, sizeCalculation: (_value, text) => (HEAP_BYTES_PER_CHARACTER + 2) * text.length })
        : undefined;
  }

  /** `text` parsed (an object of fields by id, by locale); an empty object for no text. */
  parse(text: string | null | undefined): Record<string, Record<string, unknown>> {
    if (!text) return {};
    const known = this.kept?.get(text);
    this.metrics.cacheLookup('graphql_fields', known !== undefined);
    if (known) return known;
    const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>;
    this.kept?.set(text, parsed);
    return parsed;
  }
}
