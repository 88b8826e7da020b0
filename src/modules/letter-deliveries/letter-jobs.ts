import { createHash } from 'node:crypto';
import type { Environment } from '../../config/environment';
import { JobName } from '../../infra/queue/queue-names';

/** A letter job of the retired kind: one letter (a worker still takes one). */
export interface LetterJobData {
  letterId: string;
}

/**
 * A batch job: the released letters it may send. Only where to look: the send claims each in
 * PostgreSQL (status, lease) before it sends it, so a letter in two jobs is sent by one.
 */
export interface LetterBatchJobData {
  letterIds: string[];
}

/**
 * Released letters cut into batch jobs of at most `size`. A job's id is made of its letters (and
 * `key`: a retry's attempt), so adding the same batch twice queues it once; a job is retried with
 * backoff when it fails as a whole (PostgreSQL or Redis away), and removed when done.
 */
export function letterBatchJobs(ids: readonly string[], size: number, env: Environment, options: { key?: string; delayMs?: number } = {}) {
  const jobs = [];
  for (let i = 0; i < ids.length; i += size) {
    const letterIds = ids.slice(i, i + size);
    const digest = createHash('sha256').update(letterIds.join(',')).digest('hex').slice(0, 32);
    jobs.push({
      name: JobName.LetterSendBatch,
      data: { letterIds } satisfies LetterBatchJobData,
      opts: {
        jobId: `batch-${digest}${options.key ? `-${options.key}` : ''}`,
        ...(options.delayMs ? { delay: Math.round(options.delayMs) } : {}),
        attempts: env.MAIL_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: env.MAIL_BACKOFF_MS, jitter: 0.5 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
  }
  return jobs;
}
