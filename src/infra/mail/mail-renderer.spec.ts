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

  const alert = (type: 'ip' | 'domain' | 'country', value: string) => ({
    organiser: { name: 'Admin' },
    campaign: { title: 'أين سليم راضي؟' },
    campaignUrl: 'http://nida.test/c/x',
    source: { value, isIp: type === 'ip', isDomain: type === 'domain', isCountry: type === 'country' },
    newSignatures: 250,
    total: 400,
    share: 0.625,
    window: { start: '2026-03-01T10:00:00.000Z', end: '2026-03-01T11:00:00.000Z' },
    threshold: 200,
  });

  it('writes a trending alert in Arabic: counts, share and times in Arabic-Indic digits, the country by name', () => {
    const mail = renderer.render('trending-alert', 'ar', alert('country', 'IQ'));
    expect(mail.subject).toBe('مصدر نشِط على «أين سليم راضي؟»: ٢٥٠ توقيعاً جديداً من بلد واحد');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('٢٥٠ توقيعاً جديداً من');
      expect(part).toContain('العراق');
      expect(part).toContain('٦٢٫٥');
      expect(part).toContain('٤٠٠ توقيع جديد');
      expect(part).toContain('عتبة التنبيه: ٢٠٠');
      expect(part).toContain('١٠:٠٠');
    }
    // No Latin digit outside the links and the routes named.
    expect(mail.text.replace(/http:\/\/\S+|\/api\/v1\S*/g, '')).not.toMatch(/[0-9]/);
  });

  it('writes a trending alert in English, with an address only as its keyed hash', () => {
    const mail = renderer.render('trending-alert', 'en', alert('ip', 'c0ffee'));
    expect(mail.subject).toBe('Trending source on أين سليم راضي؟: 250 new signatures from one client address');
    expect(mail.text).toContain('One client address brought "أين سليم راضي؟" 250 new signatures between 1 March 2026 at 10:00 and 1 March 2026 at 11:00 (UTC): 62.5% of the campaign\'s 400 new signatures');
    expect(mail.text).toContain('keyed hash:\nc0ffee');
    expect(renderer.render('trending-alert', 'en', alert('domain', 'example.org')).html).toContain('One email domain, <strong>example.org</strong>,');
  });

  describe('prepare: rendered once, filled per recipient', () => {
    const context = (name: string, unsubscribeUrl: string) => ({
      supporter: { name },
      campaign: { title: 'احموا الأهوار <الآن>', organisation: 'Marsh & River Network' },
      update: { title: 'UNESCO replied', paragraphs: ['It "asks" for the water.', 'Thank you.'], date: '30 November 2026', status: null },
      campaignUrl: 'http://nida.test/en/c/marshes',
      unsubscribeUrl,
    });
    const recipients: [string, string][] = [
      ['Layla Hassan', 'http://nida.test/u/abc_DEF-123'],
      ['ليلى <b>حسن</b> & "Omar" \'O\'Neil`', 'http://nida.test/u/x?a=1&b=2'],
      ['  spaced\nname  ', 'http://nida.test/u/$1$&'],
    ];

    it.each(['en', 'ar'] as const)('gives exactly what render gives, values escaped in the HTML as Handlebars escapes them (%s)', (locale) => {
      const prepared = renderer.prepare<'name' | 'unsubscribeUrl'>('case-update', locale, (hole) => context(hole('name'), hole('unsubscribeUrl')));
      for (const [name, url] of recipients) {
        expect(prepared.fill({ name, unsubscribeUrl: url })).toEqual(renderer.render('case-update', locale, context(name, url)));
      }
    });

    it('folds a value that lands in the subject as render does', () => {
      const prepared = renderer.prepare<'title'>('case-update', 'en', (hole) => ({ ...context('A', 'u'), update: { ...context('A', 'u').update, title: hole('title') } }));
      const title = '  Two\n lines  ';
      expect(prepared.fill({ title }).subject).toBe(renderer.render('case-update', 'en', { ...context('A', 'u'), update: { ...context('A', 'u').update, title } }).subject);
      expect(prepared.fill({ title }).subject).not.toMatch(/\n/);
    });

    it('refuses to fill without every value', () => {
      const prepared = renderer.prepare<'name' | 'unsubscribeUrl'>('case-update', 'en', (hole) => context(hole('name'), hole('unsubscribeUrl')));
      expect(() => prepared.fill({ name: 'A' } as never)).toThrow(/unsubscribeUrl/);
    });
  });
});
