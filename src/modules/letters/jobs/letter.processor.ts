import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { LetterDeliveryService, LetterJobData } from '../letter-delivery.service';

/** Thin: the delivery service claims, renders, sends and records. */
@Processor(QueueName.Letters, SEND_WORKER_OPTIONS)
export class LetterProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly delivery: LetterDeliveryService,
    private readonly env: Environment,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.MAIL_CONCURRENCY;
  }

  async process(job: Job<LetterJobData>): Promise<string> {
    if (job.name !== JobName.LetterSend) throw new Error(`Unknown job ${job.name}`);
    return this.delivery.send(job.data.letterId);
  }
}
