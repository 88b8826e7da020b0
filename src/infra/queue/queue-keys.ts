/**
 * BullMQ's key prefix for one queue: `<REDIS_PREFIX>:bull:{<queue>}`, so the queue's keys are
 * `<REDIS_PREFIX>:bull:{<queue>}:<queue>:<suffix>`. The braces are a Redis Cluster hash tag: a
 * queue's keys all hash to the slot of its name, on one master, as BullMQ's scripts (which take
 * several of a queue's keys at once) require there. Each queue has its own tag, so the queues
 * spread over the masters; Nida has no flows (jobs with a parent in another queue), the only
 * BullMQ feature that would need every queue in one slot. The same names are used on one Redis.
 */
export function queuePrefix(redisPrefix: string, queue: string): string {
  return `${redisPrefix}:bull:{${queue}}`;
}
