import { IntSetting } from '../setting.decorators';

/** Case updates and the batch emails that carry them to supporters. */
export class UpdateSettings {
  /** Update emails sent per second, all workers together (BullMQ's rate limiter on the update-send queue, which counts batches of known size). */
  @IntSetting({ min: 1, max: 10000 }) BROADCAST_RATE_PER_SECOND = 50;

  /** Update emails one worker has in flight at once (handed to its SMTP pool of MAIL_CONCURRENCY connections). */
  @IntSetting({ min: 1, max: 200 }) BROADCAST_CONCURRENCY = 10;

  /** Notified updates (notify: true) one campaign may send in any 7 days. */
  @IntSetting({ min: 1, max: 100 }) UPDATE_EMAILS_PER_WEEK = 3;

  /** Recipients the fan-out writes per transaction (one delivery row each). */
  @IntSetting({ min: 10, max: 100000 }) UPDATE_FANOUT_CHUNK = 2000;

  /** How often the update dispatcher hands deliveries to the queue and looks for lost work, in milliseconds. */
  @IntSetting({ min: 50 }) UPDATE_DISPATCH_INTERVAL_MS = 500;

  /** Update emails the dispatcher keeps waiting in the send queue, as batch jobs (the rest wait in PostgreSQL); 0: ten seconds' worth at BROADCAST_RATE_PER_SECOND, at most 2,000. */
  @IntSetting({ min: 0 }) UPDATE_QUEUE_WINDOW = 0;

  /** An unfinished fan-out whose job may have been lost (Redis flushed, its worker dead) is enqueued again after this many seconds. */
  @IntSetting({ min: 1 }) UPDATE_REQUEUE_AFTER_SECONDS = 60;

  /** Most update emails one send job claims (one lease, one statement to claim, few to record them sent); smaller at low rates: a tenth of BROADCAST_RATE_PER_SECOND. */
  @IntSetting({ min: 1, max: 1000 }) UPDATE_SEND_BATCH = 200;
}
