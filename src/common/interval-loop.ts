import { Logger } from '@nestjs/common';
import { safeError } from './safe-error';

/**
 * Runs `tick` every `everyMs` in this process, never two at once, until stopped. For work that must
 * not depend on Redis (the outbox relay, the tally fold): its state lives in PostgreSQL, so a loop
 * in every worker process is safe (the queries use SKIP LOCKED).
 */
export class IntervalLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly tick: () => Promise<unknown>,
    private readonly logger = new Logger(name),
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: safeError(error) }, `${this.name} failed; will retry`))
        .finally(() => this.schedule());
    }, this.everyMs);
  }

  /** Runs one tick now (waiting for a running one first); for tests and the CLI. */
  async runOnce(): Promise<void> {
    await this.running;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
