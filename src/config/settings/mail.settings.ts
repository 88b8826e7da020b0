import { IntSetting, PatternSetting, TextSetting } from '../setting.decorators';

/** Outgoing mail (emails to supporters and letters to targets): the relay, the sender, the outbox and its retries. */
export class MailSettings {
  /** SMTP URL for outgoing mail (smtp://user:pass@host:port). Required in production; elsewhere smtp://127.0.0.1:1025. */
  @PatternSetting(/^smtps?:\/\/\S+$/, 'SMTP_URL must be an smtp:// or smtps:// URL (required in production)', { optional: true, hidden: true }) SMTP_URL?: string;

  /** From address of the platform's own mail. */
  @TextSetting({ minLength: 3 }) MAIL_FROM = 'Nida <no-reply@nida.localhost>';

  /** How often the outbox relay looks for mail to (re-)enqueue, in milliseconds. */
  @IntSetting({ min: 50 }) MAIL_RELAY_INTERVAL_MS = 1000;

  /** An unsent email whose job may have been lost (Redis flushed) is enqueued again after this many seconds. */
  @IntSetting({ min: 1 }) MAIL_REQUEUE_AFTER_SECONDS = 60;

  /** How long a sender's hold on an email or letter lasts unless renewed (every third of it, while sending); a dead sender's work is taken over after this. */
  @IntSetting({ min: 3 }) SEND_LEASE_SECONDS = 30;

  /** Send attempts of one email before it is marked failed. */
  @IntSetting({ min: 1, max: 50 }) MAIL_MAX_ATTEMPTS = 8;

  /** First retry delay after a temporary SMTP failure, in milliseconds (doubles, with jitter). */
  @IntSetting({ min: 10 }) MAIL_BACKOFF_MS = 2000;

  /** Emails one worker sends at once (and SMTP connections in its pool). */
  @IntSetting({ min: 1, max: 100 }) MAIL_CONCURRENCY = 5;
}
