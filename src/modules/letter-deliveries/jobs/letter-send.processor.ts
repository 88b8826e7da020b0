import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { LetterJobData, LetterSendService } from '../letter-send.service';

/** Thin: the send service claims, renders, sends and records. */
@Processor(QueueName.Letters, SEND_WORKER_OPTIONS)
export class LetterSendProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly letters: LetterSendService,
    private readonly env: Environment,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.MAIL_CONCURRENCY;
  }

  async process(job: Job<LetterJobData>): Promise<string> {
    if (job.name !== JobName.LetterSend) throw new Error(`Unknown job ${job.name}`);
    return this.letters.send(job.data.letterId);
  }
}
