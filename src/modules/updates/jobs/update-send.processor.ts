import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions, Job, Worker } from 'bullmq';
import { safeError } from '../../../common/safe-error';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { bullConnection, closeBullConnection } from '../../../infra/redis/redis-connection';
import { queuePrefix } from '../../../infra/queue/queue-keys';
import { UpdateSendJobData, UpdateSendService } from '../update-send.service';

/**
 * Batch jobs this worker runs at once: two, so that one claims its batch while the other's last
 * messages are still in flight (the SMTP pool stays full between batches); the messages of both
 * share the worker's BROADCAST_CONCURRENCY.
 */
const BATCHES_AT_ONCE = 2;

/**
 * The update-send worker, made here rather than with @Processor because its rate limiter comes
 * from the settings: batch jobs of known size admitted at the pace that makes
 * BROADCAST_RATE_PER_SECOND emails a second across every worker of the queue (BullMQ keeps the
 * limiter in Redis). Thin: the send service claims, renders, sends and records a batch.
 */
@Injectable()
export class UpdateSendProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UpdateSendProcessor.name);
  private worker?: Worker<UpdateSendJobData>;
  private connection?: ConnectionOptions;

  constructor(
    private readonly sender: UpdateSendService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = bullConnection(this.env, { maxRetriesPerRequest: null, connectionName: 'nida-update-send-worker' });
    this.worker = new Worker<UpdateSendJobData>(QueueName.UpdateSend, (job) => this.process(job), {
      connection: this.connection,
      prefix: queuePrefix(this.env.REDIS_PREFIX, QueueName.UpdateSend),
      concurrency: BATCHES_AT_ONCE,
      limiter: this.sender.plan.limiter,
      ...SEND_WORKER_OPTIONS,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: safeError(error) }, 'Update send worker error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    if (this.connection) await closeBullConnection(this.connection);
  }

  private async process(job: Job<UpdateSendJobData>): Promise<{ claimed: number; sent: number; failed: number; released: number }> {
    // A job of the retired one-email-per-job kind (queued before an upgrade) is a batch job too.
    if (job.name !== JobName.UpdateSendBatch && job.name !== JobName.UpdateSend) throw new Error(`Unknown job ${job.name}`);
    return this.sender.sendBatch();
  }
}
