import { LRUCache } from 'lru-cache';
import { type Metrics, noMetrics } from '../domain/metrics.js';

/**
 * Entries and assets as the delivery and preview APIs render them, as UTF-8 JSON, by rendition key
 * (`DeliveryRendering.renditionKey`): the API, the row's identity and version, the locale choice and a
 * stamp of the model it was rendered with (locales, public tags, the content type's definition). A change
 * to any of them makes a new key, so a kept text is never stale and nothing has to be cleared: a page
 * computed per request reads which rows match and their versions, and assembles the answer from these
 * bytes (copied, never parsed or encoded again), rendering only rows it has not seen in that state. The least recently used go first once
 * `DELIVERY_RENDITION_CACHE_MB` is full (0: none kept).
 */
export class DeliveryRenditions {
  private readonly kept: LRUCache<string, Buffer> | undefined;

  constructor(
    maxBytes: number,
    private readonly metrics: Metrics = noMetrics,
  ) {
    // Keys are JavaScript strings: about two bytes a character.
    this.kept =
      maxBytes > 0
        ? new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (body, key) => body.length + 2 * key.length })
        : undefined;
  }

  get(key: string): Buffer | undefined {
    const body = this.kept?.get(key);
    this.metrics.cacheLookup('delivery_renditions', body !== undefined);
    return body;
  }

  set(key: string, body: Buffer): void {
    this.kept?.set(key, body);
  }
}
