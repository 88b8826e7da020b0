import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '../../../infra/queue/queue-names';
import { UpdateFanOutJobData, UpdateSendService } from '../update-send.service';

/** Thin: the send service writes the update's delivery rows under its fan-out lease. */
@Processor(QueueName.UpdateFanOut)
export class UpdateFanOutProcessor extends WorkerHost {
  constructor(private readonly sender: UpdateSendService) {
    super();
  }

  async process(job: Job<UpdateFanOutJobData>): Promise<number | 'skipped'> {
    if (job.name !== JobName.UpdateFanOut) throw new Error(`Unknown job ${job.name}`);
    return this.sender.fanOut(job.data.updateId);
  }
}
