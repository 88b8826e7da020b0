import { LOOPBACK_HOST } from '../environment.rules';
import { IntSetting, TextSetting } from '../setting.decorators';

/** Letters to targets: pacing, digests, and the listener for their delivery reports. */
export class LetterSettings {
  /** Letters one target may receive in any hour; more wait their turn, in order. */
  @IntSetting({ min: 1, max: 100000 }) LETTER_PACE_PER_HOUR = 60;

  /** How often the letter dispatcher hands paced letters to the queue, in milliseconds. */
  @IntSetting({ min: 50 }) LETTER_DISPATCH_INTERVAL_MS = 1000;

  /** Most letters one send job claims (one lease statement, a few statements to record them sent); released letters are cut into jobs of this many. */
  @IntSetting({ min: 1, max: 1000 }) LETTER_SEND_BATCH = 50;

  /** How often a digest campaign writes to its targets, in hours. */
  @IntSetting({ min: 1, max: 24 * 31 }) LETTER_DIGEST_INTERVAL_HOURS = 24;

  /** Port of the inbound SMTP listener for delivery reports (bounce+<letter id>@…); 0: off. Runs in workers. */
  @IntSetting({ min: 0, max: 65535 }) BOUNCE_SMTP_PORT = 0;

  /** Interface the bounce listener binds to; unset: 127.0.0.1 outside production, 0.0.0.0 in production. */
  @TextSetting() BOUNCE_SMTP_HOST = LOOPBACK_HOST;

  /** Hard bounces after which a target's address is suppressed (no more letters go to it). */
  @IntSetting({ min: 1 }) BOUNCE_SUPPRESS_AFTER = 3;

  /** Days an official's answer link keeps working after its campaign was closed or won. */
  @IntSetting({ min: 0, max: 3650 }) ANSWER_LINK_DAYS_AFTER_CLOSE = 30;

  /** Answers one target's link may send in any 24 hours; more are refused (429) until the oldest is a day old. */
  @IntSetting({ min: 1, max: 1000 }) ANSWERS_PER_TARGET_PER_DAY = 10;
}
