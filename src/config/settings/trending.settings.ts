import { IntSetting } from '../setting.decorators';

/** Trending sources: the alert loop in workers and the window it counts in. */
export class TrendingSettings {
  /** How often workers check for a trending source, and the length of the (UTC-aligned) window counted, in minutes. */
  @IntSetting({ min: 1, max: 1440 }) TRENDING_INTERVAL_MINUTES = 60;

  /** Admins are emailed when one address, domain or country brings a campaign more new signatures than this in a window. */
  @IntSetting({ min: 1 }) TRENDING_ALERT_THRESHOLD = 200;
}
