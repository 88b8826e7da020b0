import { ChoiceSetting, IntSetting } from '../setting.decorators';

/** Abuse defence at signing: the Redis rate limits, disposable addresses, the page form's bot checks. */
export class AbuseSettings {
  /** `off` turns every signing rate limit off (load tests from one address); the block and allow lists still apply. */
  @ChoiceSetting(['on', 'off']) SIGN_LIMITS = 'on';

  /** Signatures one client address may make in a minute before further ones are held. */
  @IntSetting({ min: 1 }) SIGN_LIMIT_IP_BURST = 10;

  /** Signatures one client address may make in an hour before further ones are held. */
  @IntSetting({ min: 1 }) SIGN_LIMIT_IP_HOUR = 100;

  /** Signatures with addresses at one email domain (not a large mail provider) in an hour before further ones are held. */
  @IntSetting({ min: 1 }) SIGN_LIMIT_DOMAIN_HOUR = 300;

  /** Signatures one normalised email may make in an hour, across all campaigns, before further ones are held. */
  @IntSetting({ min: 1 }) SIGN_LIMIT_EMAIL_HOUR = 20;

  /** `off` accepts addresses at disposable email services (refused with 400 EMAIL_DISPOSABLE when `on`). */
  @ChoiceSetting(['on', 'off']) SIGN_DISPOSABLE_CHECK = 'on';

  /** A page form sent sooner than this after the page was rendered is held, in seconds (0: no time check). */
  @IntSetting({ min: 0, max: 600 }) SIGN_MIN_FORM_SECONDS = 3;
}
