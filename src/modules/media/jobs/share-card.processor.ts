import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { MediaSettings } from '../../../config/environment';
import { JobSchedule } from '../../../infra/queue/job-schedule';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { MediaService } from '../media.service';

/** Share cards: the sweep (every SHARE_CARD_SWEEP_SECONDS) and each card's render. One at a time per worker: Chromium is heavy. */
@Processor(QueueName.Media, { concurrency: 1 })
export class ShareCardProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly schedule: JobSchedule;

  constructor(
    private readonly media: MediaService,
    @InjectQueue(QueueName.Media) queue: Queue,
    settings: MediaSettings,
  ) {
    super();
    const every = settings.SHARE_CARD_SWEEP_SECONDS * 1000;
    this.schedule = new JobSchedule(queue, JobName.ShareCardSweep, { every }, { attempts: 1, removeOnComplete: true, removeOnFail: true }, Math.max(60_000, every * 10));
  }

  async process(job: Job<{ campaignId?: string }>): Promise<unknown> {
    if (job.name === JobName.ShareCardSweep) return { queued: await this.media.sweepCards() };
    if (job.name === JobName.ShareCardRender && typeof job.data.campaignId === 'string') return this.media.renderCard(job.data.campaignId);
    throw new Error(`Unknown job ${job.name}`);
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): void {
    this.schedule.stop();
  }
}
