import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { MailJobData, MailOutboxService } from '../mail-outbox.service';

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

  async process(job: Job<MailJobData>): Promise<string> {
    if (job.name !== JobName.MailSend) throw new Error(`Unknown job ${job.name}`);
    return this.outbox.send(job.data.outboxId);
  }
}
