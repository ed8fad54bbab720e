import { createHash } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { type Metrics, noMetrics } from '../domain/metrics.js';
import { WorkPool } from '../domain/work-pool.js';
import type { BlobInfo, BlobStore } from '../storage/blob-store.js';
import { type ImageTransform, normalizedImageKey } from './parameters.js';
import { MAX_INPUT_PIXELS, planImageTransform } from './transform.js';

/** Images larger than this are not transformed (Contentful's limit): their URLs serve the original. */
export const MAX_TRANSFORM_SOURCE_BYTES = 20 * 1024 * 1024;

/**
 * Native memory shared by the transforms that run at once: a transform starts when its estimate fits beside
 * the others' (or nothing else runs, so one larger than the whole budget still runs, alone). First come,
 * first served: a large transform is not passed over by small ones forever.
 */
export class MemoryBudget {
  private used = 0;
  private holders = 0;
  private readonly waiting: { bytes: number; start: () => void }[] = [];

  constructor(readonly limitBytes: number) {}

  get inUse() {
    return this.used;
  }

  async use<T>(bytes: number, task: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || !this.fits(bytes)) await new Promise<void>((start) => this.waiting.push({ bytes, start }));
    else this.take(bytes);
    try {
      return await task();
    } finally {
      this.used -= bytes;
      this.holders--;
      this.admit();
    }
  }

  private fits(bytes: number) {
    return this.holders === 0 || this.used + bytes <= this.limitBytes;
  }

  private take(bytes: number) {
    this.used += bytes;
    this.holders++;
  }

  private admit() {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.start();
    }
  }
}

/** Where the variants of a file live: `variants/<space>/<file>/...` for the file `files/<space>/<file>`. */
export const variantPrefix = (fileKey: string) => `variants/${fileKey.replace(/^files\//, '')}`;

export const variantKey = (fileKey: string, t: ImageTransform) =>
  `${variantPrefix(fileKey)}/${createHash('sha256').update(normalizedImageKey(t)).digest('hex').slice(0, 40)}`;

/**
 * The derived images of stored files: each variant is computed once (concurrent requests for a new one share
 * one computation), on the bounded pool, and kept in the blob store beside its file.
 */
export class ImageVariants {
  private readonly inflight = new Map<string, Promise<BlobInfo>>();
  private readonly maxInputPixels: number;
  readonly pool: WorkPool;
  readonly memory: MemoryBudget;
  /** How many variants this process has computed (for tests and metrics). */
  computed = 0;

  constructor(
    private readonly blobs: BlobStore,
    options: { concurrency: number; queueLimit: number; memoryBytes: number; maxInputPixels?: number },
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.maxInputPixels = options.maxInputPixels ?? MAX_INPUT_PIXELS;
    this.pool = new WorkPool(options.concurrency, options.queueLimit, 'Too many images are being transformed; retry shortly');
    this.memory = new MemoryBudget(options.memoryBytes);
    // libvips threads per transform: with `concurrency` transforms at once, about one per core in all.
    sharp.concurrency(Math.max(1, Math.ceil(availableParallelism() / options.concurrency)));
    sharp.cache(false);
  }

  /** The stored variant of `fileKey` for `t`, computed now if it is new. */
  async variant(fileKey: string, t: ImageTransform): Promise<{ key: string; info: BlobInfo }> {
    const key = variantKey(fileKey, t);
    const stored = await this.blobs.stat(key);
    if (stored) return { key, info: stored };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.pool.run(() => this.compute(fileKey, key, t)).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return { key, info: await pending };
  }

  private async compute(fileKey: string, key: string, t: ImageTransform): Promise<BlobInfo> {
    const stored = await this.blobs.stat(key);
    if (stored) return stored;
    const chunks: Buffer[] = [];
    for await (const chunk of this.blobs.get(fileKey)) chunks.push(chunk as Buffer);
    const plan = await planImageTransform(Buffer.concat(chunks), t, this.maxInputPixels);
    const result = await this.memory.use(plan.memoryBytes, async () => {
      const started = performance.now();
      const output = await plan.run();
      this.metrics.imageTransformed((performance.now() - started) / 1000);
      return output;
    });
    this.computed++;
    return this.blobs.put(key, Readable.from([result.data]), { contentType: result.contentType });
  }

  /** Removes every variant of a file (its asset was deleted or its file replaced). */
  async deleteVariants(fileKey: string): Promise<void> {
    await this.blobs.deletePrefix(variantPrefix(fileKey));
  }
}

function availableParallelism(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
