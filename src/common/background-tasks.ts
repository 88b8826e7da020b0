import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { safeError } from './safe-error';

/**
 * Work a request starts but does not wait for (so that its answer, and its timing, do not depend on
 * it). Failures are logged, never thrown; shutdown waits for what is still running.
 */
@Injectable()
export class BackgroundTasks implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BackgroundTasks.name);
  private readonly running = new Set<Promise<void>>();

  run(task: () => Promise<unknown>): void {
    const promise: Promise<void> = task()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: safeError(error) }, 'Background task failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Resolves when every task started so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Before any pool closes: what was started finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}
