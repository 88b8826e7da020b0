import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Environment } from '../../../config/environment';
import { JobSchedule } from '../../../infra/queue/job-schedule';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { TallyService } from '../tally.service';

/** The nightly reconciliation of counters with signatures (TALLY_RECONCILE_CRON, UTC). */
@Processor(QueueName.Tally)
export class TallyReconcileProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: JobSchedule;

  constructor(
    private readonly tally: TallyService,
    @InjectQueue(QueueName.Tally) queue: Queue,
    env: Environment,
  ) {
    super();
    this.schedule = new JobSchedule(
      queue,
      JobName.TallyReconcile,
      { pattern: env.TALLY_RECONCILE_CRON, tz: 'UTC' },
      { attempts: 3 },
      3_600_000,
    );
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JobName.TallyReconcile) throw new Error(`Unknown job ${job.name}`);
    return { repaired: (await this.tally.reconcile()).length };
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }
}
