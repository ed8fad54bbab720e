/**
 * Contentful's webhook retry policy ("Webhook Retry Policy"): by default a failed call is attempted again
 * up to 2 more times; a space's policy sets `maxRetries` to an integer from 2 to 99. A call is retried
 * after a 429 or 5xx answer, or when the receiver could not be reached.
 */
export const DEFAULT_MAX_RETRIES = 2;
export const MIN_MAX_RETRIES = 2;
export const MAX_MAX_RETRIES = 99;

/** Past the configured delays, each retry waits this much longer than the one before ... */
const DELAY_GROWTH_MS = 60_000;
/** ... up to this (Contentful: "capping out at a maximum 15 minute interval between retries"). */
const DELAY_CAP_MS = 15 * 60_000;

export const isRetriedStatus = (status: number) => status === 429 || status >= 500;

/**
 * The delay before retry `retry` (1 for the 2nd attempt): the configured delays in turn, then one minute
 * more for each further retry, at most 15 minutes (or the last configured delay when that is longer).
 */
export function retryDelayMs(retry: number, configured: readonly number[]): number {
  if (retry <= configured.length) return configured[retry - 1];
  const last = configured[configured.length - 1] ?? 0;
  return Math.max(last, Math.min(last + (retry - configured.length) * DELAY_GROWTH_MS, DELAY_CAP_MS));
}
