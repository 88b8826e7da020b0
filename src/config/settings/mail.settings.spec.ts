import { EnvironmentError } from '../environment-error';
import { validateSettings } from '../setting.decorators';
import { MailSettings } from './mail.settings';

const problemsOf = (raw: Record<string, string>, demand: string[] = []) => {
  try {
    validateSettings(MailSettings, raw, { demand });
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as EnvironmentError).problems;
  }
  return [];
};

/** One concern validated on its own, without the rest of the environment or its rules. */
describe('MailSettings on its own', () => {
  it('has its defaults, and no development relay (that default is a rule of the whole environment)', () => {
    const mail = validateSettings(MailSettings, {});
    expect(mail).toBeInstanceOf(MailSettings);
    expect({ ...mail }).toEqual({
      SMTP_URL: undefined,
      MAIL_FROM: 'Nida <no-reply@nida.localhost>',
      MAIL_RELAY_INTERVAL_MS: 1000,
      MAIL_REQUEUE_AFTER_SECONDS: 60,
      SEND_LEASE_SECONDS: 30,
      MAIL_MAX_ATTEMPTS: 8,
      MAIL_BACKOFF_MS: 2000,
      MAIL_CONCURRENCY: 5,
    });
  });

  it('reads its variables and ignores every other', () => {
    const mail = validateSettings(MailSettings, { MAIL_CONCURRENCY: '12', SMTP_URL: 'smtps://u:p@mail.example.org', PORT: 'eighty' });
    expect(mail.MAIL_CONCURRENCY).toBe(12);
    expect(mail.SMTP_URL).toBe('smtps://u:p@mail.example.org');
    expect(mail).not.toHaveProperty('PORT');
  });

  it('names each of its bad variables, hiding the relay URL', () => {
    expect(problemsOf({ MAIL_CONCURRENCY: '0', SMTP_URL: 'http://user:password@relay', SEND_LEASE_SECONDS: 'soon' })).toEqual([
      'SMTP_URL=(hidden): SMTP_URL must be an smtp:// or smtps:// URL (required in production)',
      'SEND_LEASE_SECONDS="soon": SEND_LEASE_SECONDS must not be less than 3; SEND_LEASE_SECONDS must be an integer number',
      'MAIL_CONCURRENCY=0: MAIL_CONCURRENCY must not be less than 1',
    ]);
  });

  it('requires SMTP_URL only when demanded (production does)', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({}, ['SMTP_URL'])).toEqual(['SMTP_URL=(hidden): SMTP_URL must be an smtp:// or smtps:// URL (required in production)']);
  });
});
