import { IntSetting } from '../setting.decorators';

/** Case updates and the batch emails that carry them to supporters. */
export class UpdateSettings {
  /** Update emails sent per second, all workers together (BullMQ's rate limiter on the update-send queue). */
  @IntSetting({ min: 1, max: 10000 }) BROADCAST_RATE_PER_SECOND = 50;

  /** Update emails one worker sends at once. */
  @IntSetting({ min: 1, max: 200 }) BROADCAST_CONCURRENCY = 10;

  /** Notified updates (notify: true) one campaign may send in any 7 days. */
  @IntSetting({ min: 1, max: 100 }) UPDATE_EMAILS_PER_WEEK = 3;

  /** Recipients the fan-out writes per transaction (one delivery row each). */
  @IntSetting({ min: 10, max: 100000 }) UPDATE_FANOUT_CHUNK = 2000;

  /** How often the update dispatcher hands deliveries to the queue and looks for lost work, in milliseconds. */
  @IntSetting({ min: 50 }) UPDATE_DISPATCH_INTERVAL_MS = 500;

  /** Jobs the dispatcher keeps waiting in the send queue (more wait in PostgreSQL); 0: ten seconds' worth at BROADCAST_RATE_PER_SECOND, at most 2,000. */
  @IntSetting({ min: 0 }) UPDATE_QUEUE_WINDOW = 0;

  /** An unsent delivery (or an unfinished fan-out) whose job may have been lost (Redis flushed) is enqueued again after this many seconds. */
  @IntSetting({ min: 1 }) UPDATE_REQUEUE_AFTER_SECONDS = 60;
}
