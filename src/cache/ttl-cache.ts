export interface TtlCacheOptions<V> {
  /** Most keys held at once (default 10,000). */
  maxEntries?: number;
  /** With `weigh`: most total weight held once loads have finished (e.g. bytes). */
  maxWeight?: number;
  weigh?: (value: V) => number;
  /** Told of every lookup: `true` when a kept (or loading) value answered it, `false` when it loaded. */
  onLookup?: (hit: boolean) => void;
}

interface Slot<V> {
  expires: number;
  value: Promise<V>;
  weight: number;
}

/**
 * A small promise cache with a time to live and size bounds (oldest first out). Concurrent callers of a
 * missing key share one load; a failed load is forgotten at once. A load in flight when the cache is
 * cleared is not kept.
 */
export class TtlCache<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private readonly maxEntries: number;
  private totalWeight = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly options: TtlCacheOptions<V> = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) {
      this.options.onLookup?.(false);
      return load();
    }
    const now = Date.now();
    const hit = this.slots.get(key);
    this.options.onLookup?.(hit !== undefined && hit.expires > now);
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.remove(key, hit);
    if (this.slots.size >= this.maxEntries) this.evictOldest();
    const value = load();
    const slot: Slot<V> = { expires: now + this.ttlMs, value, weight: 0 };
    this.slots.set(key, slot);
    value.then(
      (loaded) => {
        if (this.slots.get(key) !== slot || !this.options.weigh) return;
        slot.weight = this.options.weigh(loaded);
        this.totalWeight += slot.weight;
        while (this.totalWeight > (this.options.maxWeight ?? Infinity) && this.slots.size > 0) this.evictOldest();
      },
      () => {
        if (this.slots.get(key) === slot) this.slots.delete(key);
      },
    );
    return value;
  }

  clear(): void {
    this.slots.clear();
    this.totalWeight = 0;
  }

  private evictOldest(): void {
    const [key, slot] = this.slots.entries().next().value!;
    this.remove(key, slot);
  }

  private remove(key: string, slot: Slot<V>): void {
    this.slots.delete(key);
    this.totalWeight -= slot.weight;
  }
}
