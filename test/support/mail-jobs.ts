import type { Job, Queue } from 'bullmq';

/**
 * The mail job that carries an outbox row, if one is queued: a batch job whose ids include it, or
 * a job of the retired kind (one row, job id = row id).
 */
export async function mailJobFor(queue: Queue, outboxId: string): Promise<Job | undefined> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return jobs.find((j) => j && (j.id === outboxId || (Array.isArray(j.data?.outboxIds) && j.data.outboxIds.includes(outboxId))));
}
