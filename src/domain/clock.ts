/**
 * Time as the server's timers read and wait on it. The running server uses `systemClock`; tests pass a
 * manual clock (test/helpers/clock.ts) and move it, so no test waits on real time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `work` once after `ms`; the returned function cancels it. */
  after(ms: number, work: () => void): () => void;
  /** Runs `work` every `ms`; the returned function stops it. */
  every(ms: number, work: () => void): () => void;
}

/** Real time; its timers never keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, work) {
    const timer = setTimeout(work, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms, work) {
    const timer = setInterval(work, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
