import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { isUUID } from 'class-validator';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { MailBatchJobData, MailBatchResult, MailJobData, MailOutboxService } from '../mail-outbox.service';

/** Thin: the outbox service loads, checks, renders, sends and records. */
@Processor(QueueName.Mail, SEND_WORKER_OPTIONS)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: MailOutboxService,
    private readonly env: Environment,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.env.MAIL_CONCURRENCY;
  }

  async process(job: Job<MailBatchJobData | MailJobData>): Promise<MailBatchResult | string> {
    if (job.name === JobName.MailSendBatch) {
      // Only ours add jobs, but one added by hand (the queue dashboard) is not retried for ever.
      const ids: unknown = (job.data as MailBatchJobData).outboxIds;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && isUUID(id))) throw new UnrecoverableError('not a batch of outbox ids');
      return this.outbox.sendBatch(ids as string[]);
    }
    if (job.name === JobName.MailSend) return this.outbox.send((job.data as MailJobData).outboxId);
    throw new Error(`Unknown job ${job.name}`);
  }
}
