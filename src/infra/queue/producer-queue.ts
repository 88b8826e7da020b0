import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Environment } from '../../config/environment';
import { bullConnection, closeBullConnection } from '../redis/redis-connection';
import { queuePrefix } from './queue-keys';

/**
 * A queue to add jobs from a request or a loop. It fails fast while Redis is away (no offline
 * queue), so callers can leave the work to their relay rather than hold a request open.
 */
export function createProducerQueue<T>(name: string, env: Environment): Queue<T> {
  const connection = bullConnection(env, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: `nida-producer-${name}` });
  const queue = new Queue<T>(name, { connection, prefix: queuePrefix(env.REDIS_PREFIX, name) });
  queue.on('error', () => undefined);
  // On a cluster the queue was handed a client (bullConnection), which closing the queue leaves open.
  const close = queue.close.bind(queue);
  queue.close = async () => {
    try {
      await close();
    } finally {
      await closeBullConnection(connection);
    }
  };
  return queue;
}

/**
 * When the oldest job still waiting in `queue` was added, or null when none waits or
 * Redis does not answer within `timeoutMs` (a queue waits for its connection: a relay must not hang
 * on it). A relay takes a row as lost only if it was enqueued well before that: a row enqueued later
 * is, as far as it can tell, still behind that job in the queue. Without this, a backlog deeper than
 * the requeue delay (a crowd's confirmations behind a slow SMTP server) had every waiting row
 * enqueued again, 500 a second, in jobs that found them claimed or sent.
 */
export async function oldestWaitingJobAt(queue: Queue, timeoutMs = 1000): Promise<Date | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    // BullMQ 6 keeps a paused queue's jobs in `wait` too.
    const oldest = queue.getJobs(['wait'], 0, 0, true).then(([job]) => (job ? new Date(job.timestamp) : null));
    return await Promise.race([oldest.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The domain of MAIL_FROM, for Message-IDs and bounce addresses. */
export function mailDomain(env: Environment): string {
  return /@([^>\s]+)>?\s*$/.exec(env.MAIL_FROM)?.[1] ?? 'nida.localhost';
}

/** The address of MAIL_FROM without its display name. */
export function mailAddress(env: Environment): string {
  return /<([^>]+)>/.exec(env.MAIL_FROM)?.[1] ?? env.MAIL_FROM.trim();
}

/**
 * Workers that send mail: a job's lock lasts 10 s and is renewed while it runs, and stalled jobs
 * are looked for every 5 s, so the jobs of a worker that died go back to the queue in seconds,
 * not the minute BullMQ's defaults take (a killed worker's letters were held ~62 s).
 */
export const SEND_WORKER_OPTIONS = { lockDuration: 10_000, stalledInterval: 5_000 };

/** A row of a batch send whose attempt failed for now: retried after `backoffMs`. */
export interface SendRetry {
  id: string;
  attempts: number;
  backoffMs: number;
}

/** The wait before the next attempt after `attempts`: MAIL_BACKOFF_MS doubled each attempt, with jitter (at most an hour). */
export function sendBackoffMs(env: Environment, attempts: number): number {
  return Math.min(env.MAIL_BACKOFF_MS * 2 ** Math.min(attempts - 1, 20) * (0.5 + Math.random() / 2), 3_600_000);
}

/**
 * The ids of a batch's rows to try again and the options of their one delayed job (batchSendJobs):
 * after the longest of their backoffs, keyed by the highest attempt (a retry of a retry is a new job).
 */
export function retryBatch(retries: readonly SendRetry[]): { ids: string[]; options: { key: string; delayMs: number } } {
  return {
    ids: retries.map((r) => r.id),
    options: { key: `retry${Math.max(...retries.map((r) => r.attempts))}`, delayMs: Math.max(...retries.map((r) => r.backoffMs)) },
  };
}

/**
 * Rows cut into batch send jobs of at most `size`, each carrying its rows' ids as `data[field]`.
 * A job's id is made of its ids (and `key`: a retry's attempt), so adding the same batch twice
 * queues it once; a job is retried with backoff when it fails as a whole (PostgreSQL or Redis
 * away), and removed when done so that a relay may add its rows again later. The ids are only
 * where to look: the sender claims each row in PostgreSQL (status, lease) before sending it.
 */
export function batchSendJobs<F extends string>(
  name: string,
  field: F,
  ids: readonly string[],
  size: number,
  env: Environment,
  options: { key?: string; delayMs?: number } = {},
) {
  const jobs = [];
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size);
    const digest = createHash('sha256').update(batch.join(',')).digest('hex').slice(0, 32);
    jobs.push({
      name,
      data: { [field]: batch } as Record<F, string[]>,
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
