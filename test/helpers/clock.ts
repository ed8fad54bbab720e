import type { Clock } from '../../src/domain/clock.js';

interface Timer {
  at: number;
  every?: number;
  work: () => void;
}

/** A clock that stands still until a test moves it; its timers fire as `advance` passes their time. */
export class ManualClock implements Clock {
  private readonly timers = new Set<Timer>();

  /** Starts mid-way through a quarter hour, so a few seconds' moves stay in one rate-limit bucket. */
  constructor(private ms = Date.UTC(2025, 0, 1, 12, 7, 30)) {}

  now = () => this.ms;

  after(ms: number, work: () => void) {
    return this.add({ at: this.ms + ms, work });
  }

  every(ms: number, work: () => void) {
    return this.add({ at: this.ms + ms, every: ms, work });
  }

  /** Milliseconds from now to each waiting timer, soonest first. */
  pending(): number[] {
    return [...this.timers].map((t) => t.at - this.ms).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way, in time order. */
  advance(ms: number) {
    const end = this.ms + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.ms = due.at;
      if (due.every) due.at += due.every;
      else this.timers.delete(due);
      due.work();
    }
    this.ms = end;
  }

  private add(timer: Timer) {
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  }
}
