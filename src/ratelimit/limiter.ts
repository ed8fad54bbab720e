/**
 * Contentful's rate limits (seed 000, "API rate limits"): a per-second limit, answered with
 * `X-Contentful-RateLimit-Reset: 1`, and an hourly limit counted in four 15-minute buckets, answered
 * with the seconds until enough old buckets expire for the sum to drop below the limit.
 * A limit of 0 is off. Refused requests are not counted.
 */

export interface RateLimits {
  perSecond: number;
  perHour: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the next request can be made; 0 when allowed. */
  reset: number;
  secondRemaining: number;
  hourRemaining: number;
}

/** The state of one client; stores keep one per key. */
export interface ClientWindow {
  tokens: number;
  refilledAt: number;
  /** Counts per quarter-hour index (Math.floor(ms / QUARTER_MS)). */
  quarters: Map<number, number>;
  lastSeenAt: number;
}

export const QUARTER_MS = 15 * 60 * 1000;

export function newWindow(limits: RateLimits, now: number): ClientWindow {
  return { tokens: limits.perSecond, refilledAt: now, quarters: new Map(), lastSeenAt: now };
}

/** Applies one request to the window (mutating it) and says whether it may pass. */
export function consume(window: ClientWindow, limits: RateLimits, now: number): RateLimitDecision {
  window.lastSeenAt = now;

  // Per second: a token bucket holding `perSecond` tokens, refilled continuously.
  let secondOk = true;
  if (limits.perSecond > 0) {
    const elapsed = Math.max(0, now - window.refilledAt) / 1000;
    window.tokens = Math.min(limits.perSecond, window.tokens + elapsed * limits.perSecond);
    window.refilledAt = now;
    secondOk = window.tokens >= 1;
  }

  // Per hour: the sum of the current and the three previous quarter-hour buckets.
  const quarter = Math.floor(now / QUARTER_MS);
  for (const q of window.quarters.keys()) if (q <= quarter - 4) window.quarters.delete(q);
  let hourUsed = 0;
  for (const count of window.quarters.values()) hourUsed += count;
  const hourOk = limits.perHour <= 0 || hourUsed < limits.perHour;

  if (secondOk && hourOk) {
    if (limits.perSecond > 0) window.tokens -= 1;
    window.quarters.set(quarter, (window.quarters.get(quarter) ?? 0) + 1);
    hourUsed += 1;
    return {
      allowed: true,
      reset: 0,
      secondRemaining: limits.perSecond > 0 ? Math.floor(window.tokens) : 0,
      hourRemaining: limits.perHour > 0 ? Math.max(0, limits.perHour - hourUsed) : 0,
    };
  }

  const reset = hourOk ? 1 : Math.max(1, secondsUntilHourlyRoom(window, limits.perHour, quarter, hourUsed, now));
  return {
    allowed: false,
    reset,
    secondRemaining: limits.perSecond > 0 ? Math.max(0, Math.floor(window.tokens)) : 0,
    hourRemaining: limits.perHour > 0 ? Math.max(0, limits.perHour - hourUsed) : 0,
  };
}

/** Walks the buckets from the oldest: each one expires when the window slides past it. */
function secondsUntilHourlyRoom(window: ClientWindow, perHour: number, quarter: number, used: number, now: number): number {
  let remaining = used;
  for (let oldest = quarter - 3; oldest <= quarter; oldest++) {
    remaining -= window.quarters.get(oldest) ?? 0;
    if (remaining < perHour) return Math.ceil(((oldest + 4) * QUARTER_MS - now) / 1000);
  }
  return Math.ceil(((quarter + 4) * QUARTER_MS - now) / 1000);
}
