import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseImageParameters } from '../../src/images/parameters.js';
import { planImageTransform } from '../../src/images/transform.js';
import { WorkPool } from '../../src/domain/work-pool.js';
import { MemoryBudget } from '../../src/images/variants.js';

const MB = 1024 * 1024;

/** A task that runs until its `finish` is called, recording when it started. */
function controlled(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      log.push(name);
      await done;
    },
    finish,
  };
}

/** Lets the promise callbacks queued so far run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the work pool (image transforms, GraphQL executions)', () => {
  it('runs `concurrency` tasks, queues `queueLimit` more in order, and refuses the next with 503 and Retry-After', async () => {
    const pool = new WorkPool(2, 1, 'Too busy; retry shortly');
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => controlled(log, name));
    const running = [pool.run(a!.task), pool.run(b!.task), pool.run(c!.task)];
    await settle();
    expect([log, pool.running, pool.queued]).toEqual([['a', 'b'], 2, 1]);
    await expect(pool.run(async () => 'late')).rejects.toMatchObject({
      id: 'ServiceUnavailable',
      message: 'Too busy; retry shortly',
      status: 503,
      headers: { 'Retry-After': '1' },
    });
    a!.finish();
    await settle();
    expect(log).toEqual(['a', 'b', 'c']);
    b!.finish();
    c!.finish();
    await Promise.all(running);
    expect([pool.running, pool.queued]).toEqual([0, 0]);
  });
});

describe('the transforms memory budget', () => {
  it('starts a task when its bytes fit beside the running ones, first come first served', async () => {
    const budget = new MemoryBudget(100 * MB);
    const log: string[] = [];
    const [small, large, tiny] = ['small', 'large', 'tiny'].map((name) => controlled(log, name));
    const runs = [budget.use(60 * MB, small!.task), budget.use(50 * MB, large!.task), budget.use(10 * MB, tiny!.task)];
    await settle();
    // `tiny` would fit beside `small`, but waits behind `large` so that a large task is never starved.
    expect([log, budget.inUse]).toEqual([['small'], 60 * MB]);
    small!.finish();
    await settle();
    expect([log, budget.inUse]).toEqual([['small', 'large', 'tiny'], 60 * MB]);
    large!.finish();
    tiny!.finish();
    await Promise.all(runs);
    expect(budget.inUse).toBe(0);
  });

  it('runs a task larger than the whole budget alone', async () => {
    const budget = new MemoryBudget(10 * MB);
    const log: string[] = [];
    const [huge, next] = ['huge', 'next'].map((name) => controlled(log, name));
    const runs = [budget.use(50 * MB, huge!.task), budget.use(1 * MB, next!.task)];
    await settle();
    expect(log).toEqual(['huge']);
    huge!.finish();
    await settle();
    expect(log).toEqual(['huge', 'next']);
    next!.finish();
    await Promise.all(runs);
  });

  it('frees the bytes of a task that fails', async () => {
    const budget = new MemoryBudget(10 * MB);
    await expect(budget.use(8 * MB, async () => Promise.reject(new Error('broken image')))).rejects.toThrow('broken image');
    expect(budget.inUse).toBe(0);
    await expect(budget.use(8 * MB, async () => 'ok')).resolves.toBe('ok');
  });
});

describe('planning a transform', () => {
  const jpeg = sharp({ create: { width: 4000, height: 2000, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  const plan = async (query: Record<string, string>) => planImageTransform(await jpeg, parseImageParameters(query)!);

  it('answers the size of the output for every fit', async () => {
    const sizes = async (query: Record<string, string>) => {
      const p = await plan(query);
      return [p.width, p.height];
    };
    expect(await sizes({ w: '1000' })).toEqual([1000, 500]);
    expect(await sizes({ h: '1000' })).toEqual([2000, 1000]);
    expect(await sizes({ fm: 'png' })).toEqual([4000, 2000]);
    expect(await sizes({ w: '800', h: '800', fit: 'pad' })).toEqual([800, 800]);
    expect(await sizes({ w: '800', h: '800', fit: 'thumb', f: 'face' })).toEqual([800, 800]);
    expect(await sizes({ w: '500', h: '300', fit: 'crop' })).toEqual([500, 300]);
  });

  it('estimates more memory for larger outputs, the buffering encoders and saliency', async () => {
    const bytes = async (query: Record<string, string>) => (await plan(query)).memoryBytes;
    const small = await bytes({ w: '400', fm: 'jpg' });
    const large = await bytes({ w: '4000', fm: 'jpg' });
    expect(large).toBeGreaterThan(small);
    // Baseline JPEG streams; a progressive one and WebP hold the picture.
    expect(await bytes({ w: '4000', fm: 'jpg', fl: 'progressive' })).toBeGreaterThan(large + 40 * MB);
    expect(await bytes({ w: '4000', fm: 'webp' })).toBeGreaterThan(large + 100 * MB);
    expect(await bytes({ w: '1000', h: '1000', fit: 'thumb', f: 'face' })).toBeGreaterThan(
      await bytes({ w: '1000', h: '1000', fit: 'thumb', f: 'center' }),
    );
  });

  it('refuses an unreadable source with a 400 before any work is queued', async () => {
    await expect(planImageTransform(Buffer.from('not an image'), { w: 10 })).rejects.toMatchObject({ id: 'BadRequest', status: 400 });
  });
});
