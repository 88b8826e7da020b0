import { BoolSetting, IntSetting } from '../setting.decorators';

/** Campaigns: deadlines and the sweep that closes them. */
export class CampaignSettings {
  /** Deadline given to an urgent action published without one, in days. */
  @IntSetting({ min: 1, max: 365 }) URGENT_ACTION_DEFAULT_DAYS = 30;

  /** How often the sweep that closes campaigns past their deadline runs, in seconds. */
  @IntSetting({ min: 1 }) CAMPAIGN_CLOSE_SWEEP_SECONDS = 60;

  /** An organiser's publish puts a draft `in_review` until an admin approves it (or sends it back). */
  @BoolSetting() PUBLISH_REQUIRES_REVIEW = false;
  /** How often workers look for organisers' notices owed (a milestone of the goal reached, an urgent action's deadline within 24 hours), in seconds. */
  @IntSetting({ min: 1, max: 3600 }) ORGANISER_NOTICE_INTERVAL_SECONDS = 60;
}
