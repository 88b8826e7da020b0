import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { PrivacySettings } from '../../../config/environment';
import { JobSchedule } from '../../../infra/queue/job-schedule';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import type { RetentionReport } from '../dto/retention-report.dto';
import { RetentionService } from '../retention.service';

/** The daily retention run (RETENTION_CRON, UTC). A failed run is tried again: every rule is safe to repeat. */
@Processor(QueueName.Retention)
export class RetentionProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: JobSchedule;

  constructor(
    private readonly retention: RetentionService,
    @InjectQueue(QueueName.Retention) queue: Queue,
    privacy: PrivacySettings,
  ) {
    super();
    this.schedule = new JobSchedule(
      queue,
      JobName.RetentionRun,
      { pattern: privacy.RETENTION_CRON, tz: 'UTC' },
      { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
      3_600_000,
    );
  }

  async process(job: Job): Promise<RetentionReport> {
    if (job.name !== JobName.RetentionRun) throw new Error(`Unknown job ${job.name}`);
    return this.retention.run({ dryRun: false });
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }
}
