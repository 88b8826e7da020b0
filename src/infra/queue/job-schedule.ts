import { Logger } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';

/**
 * A repeating job whose schedule lives in Redis. Redis may be flushed, so the schedule is
 * asserted again every `reassertMs` (upserting a job scheduler is idempotent). Asserting never
 * blocks start-up: with Redis away, BullMQ waits for it.
 */
export class JobSchedule {
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger(JobSchedule.name);

  constructor(
    private readonly queue: Queue,
    private readonly jobName: string,
    private readonly repeat: Omit<RepeatOptions, 'key'>,
    private readonly opts: JobSchedulerTemplateOptions,
    private readonly reassertMs: number,
  ) {}

  start(): void {
    void this.assert();
    this.timer = setInterval(() => void this.assert(), this.reassertMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async assert(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(this.jobName, this.repeat, { name: this.jobName, opts: this.opts });
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name }, job: this.jobName }, 'Could not schedule (Redis?)');
    }
  }
}
