import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';

/**
 * Runs durable background work found in the database: every `pollMs` (and whenever asked), `runOne` is
 * called until it finds nothing more to do. One run at a time per process; several processes share the
 * work through the claims `runOne` makes in the database.
 */
export class BackgroundWorker {
  private stopPolling: (() => void) | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly name: string,
    private readonly runOne: () => Promise<boolean>,
    private readonly clock: Clock,
    private readonly pollMs: number,
    private readonly logger: Logger,
    /** Work done once at the start of each run (before `runOne` is called). */
    private readonly beforeRun: () => Promise<void> = async () => undefined,
  ) {}

  start() {
    this.stopPolling = this.clock.every(this.pollMs, () => this.kick());
  }

  async stop() {
    this.stopPolling?.();
    await this.running?.catch(() => undefined);
  }

  /** Starts a run now without waiting for it (new work was just written). */
  kick() {
    void this.run().catch((err) => this.logger.warn({ err }, `${this.name}: run failed; retrying`));
  }

  /** Runs until no work is left; answers how much was done. A run in progress is joined, not doubled. */
  run(): Promise<number> {
    this.running ??= this.runAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runAll(): Promise<number> {
    await this.beforeRun();
    let done = 0;
    while (await this.runOne()) done++;
    return done;
  }
}
