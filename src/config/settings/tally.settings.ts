import { CronSetting, IntSetting } from '../setting.decorators';

/** The public counts: folding confirmations into counters, reconciling them, reading them. */
export class TallySettings {
  /** How often confirmations are folded into the public counters, in milliseconds. */
  @IntSetting({ min: 50 }) TALLY_INTERVAL_MS = 500;

  /** Tally events folded per batch. */
  @IntSetting({ min: 1 }) TALLY_BATCH_SIZE = 10000;

  /** When the reconciliation of counters with signatures runs (cron, UTC). */
  @CronSetting('TALLY_RECONCILE_CRON must be a cron pattern (5 fields, e.g. 17 3 * * *)') TALLY_RECONCILE_CRON = '17 3 * * *';

  /** How long each process may reuse a public count it read, in milliseconds (0: never). */
  @IntSetting({ min: 0, max: 5000 }) COUNT_CACHE_MS = 500;
}
