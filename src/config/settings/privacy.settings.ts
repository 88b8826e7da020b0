import { registerDecorator } from 'class-validator';
import { parseDataKeys } from '../data-keys';
import { ChoiceSetting, CronSetting, IntSetting, Setting } from '../setting.decorators';

/** DATA_KEYS's syntax and key lengths (see parseDataKeys); the message names the entry, never a key. */
const isDataKeys: PropertyDecorator = (target, property) =>
  registerDecorator({
    name: 'isDataKeys',
    target: target.constructor,
    propertyName: String(property),
    options: {
      message: ({ value }) => {
        if (typeof value !== 'string') return 'DATA_KEYS is required in production';
        const parsed = parseDataKeys(value);
        return 'problem' in parsed ? parsed.problem : '';
      },
    },
    validator: { validate: (value: unknown) => typeof value === 'string' && 'keys' in parseDataKeys(value) },
  });

/** Supporters' data: the keys that encrypt it at rest, how long it is kept, and erasure and access on request. */
export class PrivacySettings {
  /**
   * Keys that encrypt supporters' email, name, city and comment (AES-256-GCM): `id:base64key`
   * entries separated by commas; the first encrypts, all decrypt. Required in production (a key
   * derived from APP_SECRET elsewhere). Lose them and that data is unreadable: back them up.
   */
  @Setting([isDataKeys], { optional: true, hidden: true }) DATA_KEYS?: string;

  /** `off` stores supporters' data unencrypted (marked `plain`), only to measure encryption's cost; refused in production. */
  @ChoiceSetting(['on', 'off']) DATA_ENCRYPTION: 'on' | 'off' = 'on';

  /** Never-confirmed signatures (pending or held) are deleted this many days after their last confirmation link expired (or, with none, after they were made). */
  @IntSetting({ min: 1, max: 3650 }) PENDING_RETENTION_DAYS = 30;

  /** Sent and failed emails (their outbox rows: payload and link to the recipient) are deleted this many days after they were sent (or queued). */
  @IntSetting({ min: 1, max: 3650 }) MAIL_RETENTION_DAYS = 30;

  /** An update's delivery rows (one per supporter emailed, naming their signature) are deleted this many days after its send finished (done or cancelled); its counts stay on the update. */
  @IntSetting({ min: 1, max: 3650 }) UPDATE_DELIVERY_RETENTION_DAYS = 30;

  /** A campaign's supporters are anonymised this many days after it closed or was won (counts and breakdowns kept). */
  @IntSetting({ min: 1, max: 3650 }) SIGNATURE_RETENTION_DAYS_AFTER_CLOSE = 180;

  /** When the retention job runs (cron, UTC). */
  @CronSetting('RETENTION_CRON must be a cron pattern (5 fields, e.g. 40 3 * * *)') RETENTION_CRON = '40 3 * * *';

  /** Rows the retention job deletes or anonymises per transaction (so a big campaign never holds many locks at once). */
  @IntSetting({ min: 1, max: 10000 }) RETENTION_BATCH_SIZE = 1000;
  /** Lifetime of an erasure link, in hours. */
  @IntSetting({ min: 1, max: 24 * 30 }) PRIVACY_LINK_TTL_HOURS = 72;

  /** Erasure or access requests one client address may make in an hour; more are answered alike and do nothing. */
  @IntSetting({ min: 1 }) PRIVACY_LIMIT_IP_HOUR = 20;

  /** Emails of each kind (erasure link, access report) one address may be sent in a day, however many ask; more are not sent. */
  @IntSetting({ min: 1, max: 100 }) PRIVACY_LIMIT_EMAIL_DAY = 3;
}
