import { IntSetting } from '../setting.decorators';

/** Signing: confirmation links, the emails one signature may cause, confirming after the close. */
export class SignatureSettings {
  /** Lifetime of a signature's confirmation link, in hours. */
  @IntSetting({ min: 1, max: 24 * 90 }) SIGNATURE_TOKEN_TTL_HOURS = 168;

  /** Emails one signature may cause (confirmations and "already signed" notes); then silence. */
  @IntSetting({ min: 1, max: 50 }) SIGNATURE_MAX_EMAILS = 5;

  /** Confirmations still accepted this long after a campaign closes, in hours. */
  @IntSetting({ min: 0 }) CONFIRM_GRACE_HOURS = 24;
}
