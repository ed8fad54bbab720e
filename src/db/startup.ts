import type { Logger } from 'pino';
import { isDatabaseUnavailable } from './availability.js';

export interface StartupRetryOptions {
  /** How long to keep trying; the last failure is thrown after it. */
  timeoutMs: number;
  logger: Logger;
  /** Injected in tests; real time otherwise. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/**
 * Runs a start-up step (migrating, bootstrapping) again while the database cannot be reached, with a
 * doubling delay: in compose or Kubernetes the server often starts before or alongside its database.
 * Any other failure (a wrong password, a broken migration) is thrown at once.
 */
export async function retryWhileDatabaseUnavailable<T>(step: string, task: () => Promise<T>, options: StartupRetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      const remaining = deadline - now();
      if (!isDatabaseUnavailable(err) || remaining <= 0) throw err;
      const wait = Math.min(delay, remaining);
      options.logger.warn(
        { err, attempt, retryInMs: wait, step },
        `the database is not available (${step}, attempt ${attempt}); trying again in ${wait} ms`,
      );
      await sleep(wait);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
