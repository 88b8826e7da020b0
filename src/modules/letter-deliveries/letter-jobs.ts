import type { Environment } from '../../config/environment';
import { batchSendJobs } from '../../infra/queue/producer-queue';
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

/** Released letters cut into batch jobs of at most `size` (see batchSendJobs: a batch added twice is queued once). */
export function letterBatchJobs(ids: readonly string[], size: number, env: Environment, options: { key?: string; delayMs?: number } = {}) {
  return batchSendJobs(JobName.LetterSendBatch, 'letterIds', ids, size, env, options);
}
