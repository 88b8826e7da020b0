import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueName } from '../queue/queue-names';
import { MetricsService, Sample, Samples } from './metrics.service';

/** The job states counted per queue (nida_queue_jobs). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The time a job became ready to run: added, plus its delay (a scheduled or delayed job waits by
 * design until then). Its age in the waiting list counts from there.
 */
export function readySince(job: { timestamp: number; delay?: number }): number {
  return job.timestamp + Math.max(0, job.delay ?? 0);
}

/**
 * Each queue's jobs by state and the age of its oldest waiting job, read from Redis when scraped:
 * per queue one counting round trip and one for the oldest waiting job (an LRANGE of one id and
 * its hash), all queues at once.
 */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const queues = Object.values(QueueName).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    this.metrics.addCollector(
      'queues',
      [
        { name: 'nida_queue_jobs', help: 'Jobs in each queue, by state (waiting, active, delayed, failed).', labelNames: ['queue', 'state'] },
        {
          name: 'nida_queue_oldest_waiting_age_seconds',
          help: 'Age of the oldest job waiting in each queue, from when it became ready to run (0: none waiting).',
          labelNames: ['queue'],
        },
      ],
      async (): Promise<Samples> => {
        const now = Date.now();
        const perQueue = await Promise.all(
          queues.map(async (queue) => {
            const [counts, [oldest]] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getWaiting(0, 0)]);
            const jobs: Sample[] = QUEUE_STATES.map((state) => ({ labels: { queue: queue.name, state }, value: counts[state] ?? 0 }));
            const age: Sample = { labels: { queue: queue.name }, value: oldest ? Math.max(0, now - readySince(oldest)) / 1000 : 0 };
            return { jobs, age };
          }),
        );
        return {
          nida_queue_jobs: perQueue.flatMap((q) => q.jobs),
          nida_queue_oldest_waiting_age_seconds: perQueue.map((q) => q.age),
        };
      },
    );
  }
}
