import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import type { LetterBatchJobData, LetterJobData } from '../letter-jobs';
import { LetterBatchResult, LetterSendService } from '../letter-send.service';

/**
 * Batch jobs this worker runs at once: two, so that one claims its letters while the other's last
 * are still in flight (the SMTP pool stays full between batches); the letters of both share the
 * worker's in-flight limit (LetterSendService).
 */
const BATCHES_AT_ONCE = 2;

/** Thin: the send service claims, renders, sends and records (a batch; a job of the retired one-letter kind, one letter). */
@Processor(QueueName.Letters, SEND_WORKER_OPTIONS)
export class LetterSendProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(private readonly letters: LetterSendService) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = BATCHES_AT_ONCE;
  }

  async process(job: Job<LetterBatchJobData | LetterJobData>): Promise<LetterBatchResult | string> {
    if (job.name === JobName.LetterSendBatch) return this.letters.sendBatch((job.data as LetterBatchJobData).letterIds);
    if (job.name === JobName.LetterSend) return this.letters.send((job.data as LetterJobData).letterId);
    throw new Error(`Unknown job ${job.name}`);
  }
}
