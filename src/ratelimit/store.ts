import { systemClock, type Clock } from '../domain/clock.js';
import { consume, newWindow, type ClientWindow, type RateLimitDecision, type RateLimits } from './limiter.js';

/**
 * Where the limiter keeps its counters. In memory for one process; a cluster plugs in a shared store
 * (Redis) with the same contract.
 */
export interface RateLimitStore {
  hit(key: string, limits: RateLimits): Promise<RateLimitDecision>;
  /** Lets go of the store's connections (a shared store's), when the server stops. */
  close?(): Promise<void>;
}

const IDLE_MS = 60 * 60 * 1000;
const SWEEP_EVERY = 10_000;

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, ClientWindow>();
  private hitsSinceSweep = 0;

  /** `clock`: where the windows read the time; a test's manual clock moves a window without waiting. */
  constructor(private readonly clock: Pick<Clock, 'now'> = systemClock) {}

  async hit(key: string, limits: RateLimits): Promise<RateLimitDecision> {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window) {
      window = newWindow(limits, now);
      this.windows.set(key, window);
    }
    if (++this.hitsSinceSweep >= SWEEP_EVERY) this.sweep(now);
    return consume(window, limits, now);
  }

  /** Forgets clients idle for an hour, whose buckets have all expired. */
  private sweep(now: number) {
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) if (now - window.lastSeenAt > IDLE_MS) this.windows.delete(key);
  }
}
