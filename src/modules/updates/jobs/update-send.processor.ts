import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { safeError } from '../../../common/safe-error';
import { Environment } from '../../../config/environment';
import { SEND_WORKER_OPTIONS } from '../../../infra/queue/producer-queue';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { redisConnectionOptions } from '../../../infra/redis/redis-options';
import { UpdateSendJobData, UpdateSendService } from '../update-send.service';

/**
 * The update-send worker, made here rather than with @Processor because its rate limiter comes
 * from the settings: at most BROADCAST_RATE_PER_SECOND jobs a second across every worker of the
 * queue (BullMQ keeps the limiter in Redis), BROADCAST_CONCURRENCY at once in this one. Thin: the
 * send service claims, renders, sends and records.
 */
@Injectable()
export class UpdateSendProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UpdateSendProcessor.name);
  private worker?: Worker<UpdateSendJobData>;

  constructor(
    private readonly sender: UpdateSendService,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<UpdateSendJobData>(QueueName.UpdateSend, (job) => this.process(job), {
      connection: { ...redisConnectionOptions(this.env.REDIS_URL), maxRetriesPerRequest: null },
      prefix: `${this.env.REDIS_PREFIX}:bull`,
      concurrency: this.env.BROADCAST_CONCURRENCY,
      limiter: { max: this.env.BROADCAST_RATE_PER_SECOND, duration: 1000 },
      ...SEND_WORKER_OPTIONS,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: safeError(error) }, 'Update send worker error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<UpdateSendJobData>): Promise<string> {
    if (job.name !== JobName.UpdateSend) throw new Error(`Unknown job ${job.name}`);
    return this.sender.send(job.data.deliveryId);
  }
}
