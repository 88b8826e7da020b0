import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Environment } from '../../../config/environment';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { CampaignsService } from '../campaigns.service';

/**
 * Runs the campaign sweeps. The schedule lives in Redis; since Redis may be flushed, the worker
 * asserts it again now and then (upserting a job scheduler is idempotent).
 */
@Processor(QueueName.Campaigns)
export class CampaignSweepProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CampaignSweepProcessor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly campaigns: CampaignsService,
    @InjectQueue(QueueName.Campaigns) private readonly queue: Queue,
    private readonly env: Environment,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.CampaignCloseExpired:
        return { closed: await this.campaigns.closeExpired() };
      default:
        throw new Error(`Unknown job ${job.name}`);
    }
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis away, BullMQ waits for it, and the process must start all the same.
    void this.schedule();
    const every = Math.max(60_000, this.env.CAMPAIGN_CLOSE_SWEEP_SECONDS * 10_000);
    this.timer = setInterval(() => void this.schedule(), every).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        JobName.CampaignCloseExpired,
        { every: this.env.CAMPAIGN_CLOSE_SWEEP_SECONDS * 1000 },
        { name: JobName.CampaignCloseExpired, opts: { attempts: 1 } },
      );
    } catch (error) {
      this.logger.warn({ err: { type: (error as Error).name } }, 'Could not schedule the campaign sweep (Redis?)');
    }
  }
}
