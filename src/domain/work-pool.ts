import { ApiError } from './errors.js';

/**
 * A bounded pool: `concurrency` tasks run, `queueLimit` more wait in order; beyond that a task is refused at
 * once with 503 `ServiceUnavailable` (`busy`) and `Retry-After`, so heavy work (image transforms, GraphQL
 * executions) never queues without bound, starves the API or holds more memory than its slots.
 */
export class WorkPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
    private readonly busy: string,
  ) {}

  get running() {
    return this.active;
  }

  get queued() {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) this.active++;
    else if (this.waiting.length < this.queueLimit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw new ApiError('ServiceUnavailable', this.busy, undefined, { 'Retry-After': '1' });
    try {
      return await task();
    } finally {
      // The slot passes to the next waiting task, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
