import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Environment } from '../../../config/environment';
import { JobSchedule } from '../../../infra/queue/job-schedule';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { CampaignsService } from '../campaigns.service';

/** Closes campaigns past their deadline every CAMPAIGN_CLOSE_SWEEP_SECONDS. */
@Processor(QueueName.Campaigns)
export class CampaignSweepProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: JobSchedule;

  constructor(
    private readonly campaigns: CampaignsService,
    @InjectQueue(QueueName.Campaigns) queue: Queue,
    env: Environment,
  ) {
    super();
    const every = env.CAMPAIGN_CLOSE_SWEEP_SECONDS * 1000;
    this.schedule = new JobSchedule(queue, JobName.CampaignCloseExpired, { every }, { attempts: 1 }, Math.max(60_000, every * 10));
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JobName.CampaignCloseExpired) throw new Error(`Unknown job ${job.name}`);
    return { closed: await this.campaigns.closeExpired() };
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }
}
