import { MailRenderer } from './mail-renderer';

describe('MailRenderer', () => {
  const renderer = new MailRenderer();
  const context = (ttlDays: number) => ({
    signer: { name: 'ليلى حسن' },
    campaign: { title: 'أين سليم راضي؟', organisation: 'شبكة المدافعين عن الأهوار' },
    campaignUrl: 'http://nida.test/c/x',
    confirmUrl: 'http://nida.test/confirm/abc123',
    ttlDays,
  });

  it.each([
    [1, 'لمدة يوم واحد.'],
    [2, 'لمدة يومين.'],
    [7, 'لمدة ٧ أيام.'],
    [11, 'لمدة ١١ يوماً.'],
    [100, 'لمدة ١٠٠ يوم.'],
  ])('says in Arabic how long a confirmation link works (%i days), in Arabic-Indic digits', (days, words) => {
    const mail = renderer.render('confirmation', 'ar', context(days));
    expect(mail.text).toContain(`يبقى الرابط صالحاً ${words}`);
    expect(mail.html).toContain(`يبقى الرابط صالحاً ${words}`);
    // No Latin digit outside the link.
    expect(mail.text.replace(/http:\/\/\S+/g, '')).not.toMatch(/[0-9]/);
  });

  it.each([
    [1, 'The link works for 1 day.'],
    [7, 'The link works for 7 days.'],
  ])('says it in English (%i)', (days, words) => {
    expect(renderer.render('confirmation', 'en', context(days)).text).toContain(words);
  });
});
