import { AbuseSettings, AppSettings, validateSettings } from '../../config/environment';
import { FormBotCheck } from './form-bot-check';

/** The page form's bot checks: the honeypot, and a render time that can be neither forged, moved nor skipped. */
describe('FormBotCheck', () => {
  const app = validateSettings(AppSettings, { APP_SECRET: 's'.repeat(40) });
  const check = (min = '3') => new FormBotCheck(validateSettings(AbuseSettings, { SIGN_MIN_FORM_SECONDS: min }), app);
  const t0 = Date.UTC(2026, 0, 1);

  it('passes a form sent back after the minimum time, with its honeypot empty', () => {
    const c = check();
    const renderedAt = c.stamp('marshes', t0);
    expect(c.check('marshes', { renderedAt, website: '' }, t0 + 3000)).toBeNull();
    expect(c.check('marshes', { renderedAt }, t0 + 60_000)).toBeNull();
  });

  it('holds a filled honeypot, whatever the time', () => {
    const c = check();
    const renderedAt = c.stamp('marshes', t0);
    expect(c.check('marshes', { renderedAt, website: 'http://spam.example' }, t0 + 60_000)).toBe('honeypot');
    expect(c.check('marshes', { renderedAt, website: ['', 'x'] }, t0 + 60_000)).toBe('honeypot');
    expect(check('0').check('marshes', { website: 'x' })).toBe('honeypot');
  });

  it('holds a form sent too soon, or with a missing, forged, altered or other campaign’s time', () => {
    const c = check();
    const renderedAt = c.stamp('marshes', t0);
    const [ms, mac] = renderedAt.split('.');
    const later = t0 + 60_000;
    expect(c.check('marshes', { renderedAt }, t0 + 2999)).toBe('too_fast');
    expect(c.check('marshes', {}, later)).toBe('too_fast');
    expect(c.check('marshes', { renderedAt: String(t0) }, later)).toBe('too_fast');
    expect(c.check('marshes', { renderedAt: `${Number(ms) - 60_000}.${mac}` }, later)).toBe('too_fast');
    expect(c.check('other-campaign', { renderedAt }, later)).toBe('too_fast');
    expect(c.check('marshes', { renderedAt: [renderedAt] }, later)).toBe('too_fast');
    const otherSecret = new FormBotCheck(validateSettings(AbuseSettings, {}), validateSettings(AppSettings, { APP_SECRET: 'o'.repeat(40) }));
    expect(c.check('marshes', { renderedAt: otherSecret.stamp('marshes', t0) }, later)).toBe('too_fast');
  });

  it('with SIGN_MIN_FORM_SECONDS=0 checks no time', () => {
    expect(check('0').check('marshes', {})).toBeNull();
  });
});
