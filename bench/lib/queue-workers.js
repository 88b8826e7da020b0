'use strict';
// Waiting for a Nida worker (or the baseline's) to take a queue's jobs before a scenario starts.
const { Queue } = require('bullmq');
const { waitUntil } = require('./util');

/**
 * Resolves once `min` BullMQ workers listen on `queue` under `prefix` (Nida's is
 * `<REDIS_PREFIX>:bull:{<queue>}`, queuePrefix in src/infra/queue/queue-keys.ts), or once `ready()`
 * says so (a child's ready line); fails if a child of `children` died meanwhile, or after 90 s.
 */
async function waitForQueueWorkers(children, { queue, prefix, min = 1, ready = () => false }) {
  const q = new Queue(queue, { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 }, prefix });
  q.on('error', () => undefined);
  try {
    await waitUntil(`${min} worker(s) to take ${queue} jobs (${prefix}:${queue})`, async () => {
      children.assertAlive();
      return ready() || (await q.getWorkersCount()) >= min;
    }, { timeoutMs: 90000, everyMs: 200 });
  } finally {
    await q.close().catch(() => undefined);
  }
}

/** Nida's BullMQ prefix of `queue` under REDIS_PREFIX `redisPrefix` (queuePrefix, src/infra/queue/queue-keys.ts). */
const nidaQueuePrefix = (redisPrefix, queue) => `${redisPrefix}:bull:{${queue}}`;

module.exports = { waitForQueueWorkers, nidaQueuePrefix };
