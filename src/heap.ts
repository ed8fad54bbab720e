import v8 from 'node:v8';

/**
 * Caps how far V8 lets the heap grow past what its last full collection kept (`HEAP_GROWING_PERCENT`).
 * Left to itself V8 grows the heap up to about four times the live objects while it allocates fast: under
 * 16 concurrent computed pages (each holding hundreds of rows for a few hundred milliseconds, so they
 * outlive the young generation) the server's RSS went from ~200 MB to 400-450 MB and was never given back.
 * At 50% it peaked at ~250-275 MB in the same bench with no fewer answers a second (bench/README.md).
 * V8 reads the flag at each collection, so setting it once the process runs takes effect.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
