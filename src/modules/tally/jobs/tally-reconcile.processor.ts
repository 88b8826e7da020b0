import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Environment } from '../../../config/environment';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { TallyService } from '../tally.service';

/** The nightly reconciliation (TALLY_RECONCILE_CRON), scheduled in Redis and re-asserted hourly. */
@Processor(QueueName.Tally)
export class TallyReconcileProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TallyReconcileProcessor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tally: TallyService,
    @InjectQueue(QueueName.Tally) private readonly queue: Queue,
    private readonly env: Environment,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JobName.TallyReconcile) throw new Error(`Unknown job ${job.name}`);
    return { repaired: (await this.tally.reconcile()).length };
  }

  onApplicationBootstrap(): void {
    void this.schedule();
    this.timer = setInterval(() => void this.schedule(), 3_600_000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        JobName.TallyReconcile,
        { pattern: this.env.TALLY_RECONCILE_CRON, tz: 'UTC' },
        { name: JobName.TallyReconcile, opts: { attempts: 3 } },
      );
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name } }, 'Could not schedule the reconciliation (Redis?)');
    }
  }
}
