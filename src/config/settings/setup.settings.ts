import { BoolSetting, EmailSetting, TextSetting } from '../setting.decorators';

/** What the first start creates: the first admin and, outside production, the demo. */
export class SetupSettings {
  /** Email of the first admin, created at boot when no organiser exists. */
  @EmailSetting('ADMIN_EMAIL must be an email address', { optional: true }) ADMIN_EMAIL?: string;

  /** Password of the first admin (12 characters or more); required with ADMIN_EMAIL. */
  @TextSetting({ minLength: 12, maxLength: 256, messages: { missing: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set', tooShort: 'ADMIN_PASSWORD must be at least 12 characters' }, optional: true, hidden: true }) ADMIN_PASSWORD?: string;

  /** Name of the organisation the first admin belongs to. */
  @TextSetting({ minLength: 2 }) ADMIN_ORGANISATION = 'Nida';

  /** Seed the demo organisation and campaign on the first start with an empty database (never in production). */
  @BoolSetting() DEMO_DATA = true;
}
