import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { EnvironmentRepository } from '../../src/resources/environments/repository.js';
import { EnvironmentService } from '../../src/resources/environments/service.js';
import { ManualClock } from '../helpers/clock.js';
import { startServices, type ServiceSpec } from '../helpers/services.js';
import { waitFor } from '../helpers/wait.js';

/** Everything that runs on time, run on a manual clock: each case takes milliseconds, whatever it simulates. */

const HOUR = 60 * 60 * 1000;
let spec: ServiceSpec;

beforeAll(async () => {
  spec = await startServices();
});
afterAll(async () => {
  await spec?.close();
});

describe('rate-limit windows (seed 000, "API rate limits")', () => {
  it('refill the second bucket as the clock moves and free the hour when its oldest quarter slides out', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1, 12, 7, 30));
    const store = new MemoryRateLimitStore(clock);
    const limits = { perSecond: 2, perHour: 5 };
    const hit = () => store.hit('client', limits);
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 1, hourRemaining: 4 });
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 0, hourRemaining: 3 });
    expect(await hit()).toEqual({ allowed: false, reset: 1, secondRemaining: 0, hourRemaining: 3 });
    clock.advance(500);
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 0, hourRemaining: 2 });
    clock.advance(1000);
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 1, hourRemaining: 1 });
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 0, hourRemaining: 0 });
    clock.advance(1000);
    // Every request of the hour fell in the 12:00 quarter, which leaves the window at 13:00:00.
    expect(await hit()).toEqual({ allowed: false, reset: 3148, secondRemaining: 2, hourRemaining: 0 });
    expect(await store.hit('another client', limits)).toMatchObject({ allowed: true, hourRemaining: 4 });
    clock.advance(3_147_500);
    expect(await hit()).toEqual({ allowed: true, reset: 0, secondRemaining: 1, hourRemaining: 4 });
  });
});

describe('environment copies interrupted by the database', () => {
  it('retry after 1 s, doubling up to 30 s, and stop() cancels the retry waiting', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const repository = new EnvironmentRepository(spec.database.db);
    repository.queuedCopies = async () => {
      attempts++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    };
    const { services } = spec;
    const environments = new EnvironmentService(
      spec.database.db,
      services.spaceAccess,
      pino({ level: 'silent' }),
      1,
      services.notices,
      repository,
      clock,
    );
    expect(await environments.resumeQueuedCopies()).toBe(0);
    const delays: number[] = [];
    for (let retry = 1; retry <= 7; retry++) {
      const [delay] = await waitFor(`retry ${retry} to be scheduled`, () => clock.pending().length === 1 && clock.pending());
      delays.push(delay);
      clock.advance(delay - 1);
      expect(attempts).toBe(retry);
      clock.advance(1);
      await waitFor(`attempt ${retry + 1}`, () => attempts === retry + 1);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    await waitFor('the next retry to be scheduled', () => clock.pending().length === 1);
    environments.stop();
    expect(clock.pending()).toEqual([]);
  });
});

describe('the upload sweeper', () => {
  it('removes an upload, its row and its file, on the first sweep after it expired (24 hours)', async () => {
    const clock = new ManualClock(Date.now());
    const { uploads, blobs } = spec.services;
    const upload = await uploads.create(spec.admin, spec.spaceId, undefined, Readable.from([Buffer.from('hello')]));
    const key = `uploads/${spec.spaceId}/${upload.sys.id}`;
    // Each sweep the timer starts, to wait for it and read how many uploads it removed.
    const sweeps: Promise<number>[] = [];
    const sweep = uploads.sweepExpired.bind(uploads);
    uploads.sweepExpired = (now) => sweeps[sweeps.push(sweep(now)) - 1];
    const logged: unknown[] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args), error: (...args: unknown[]) => logged.push(args) };
    const stop = uploads.startSweeper(logger as never, 13 * HOUR, clock);
    try {
      clock.advance(13 * HOUR);
      expect(await Promise.all(sweeps)).toEqual([0]);
      expect(await blobs.stat(key)).toMatchObject({ size: 5 });
      clock.advance(13 * HOUR);
      expect(await Promise.all(sweeps)).toEqual([0, 1]);
      await expect(uploads.get(spec.admin, spec.spaceId, upload.sys.id)).rejects.toEqual(
        expect.objectContaining({ id: 'NotFound', status: 404 }),
      );
      expect(await blobs.stat(key)).toBeUndefined();
      await waitFor('the sweep to log', () => logged.length > 0);
      expect(logged).toEqual([[{ count: 1 }, 'expired uploads removed']]);
    } finally {
      stop();
      Reflect.deleteProperty(uploads, 'sweepExpired');
    }
    expect(clock.pending()).toEqual([]);
  });
});
