import type { Principal } from '../../common/principal';
import { LettersService } from './letters.service';

/** Letter templates: which language a letter is written in, and what may be saved. */
describe('LettersService', () => {
  const principal: Principal = { id: 'o1', organisationId: 'org1', role: 'organiser' };
  const campaign = {
    id: 'c1',
    locale: 'ar' as const,
    title: 'أنقذوا الأهوار',
    translations: { en: { title: 'Save the marshes', summary: 's', body: 'b' } },
    letterMode: 'per_signature' as const,
    letterSubject: 'من {{supporter.name}}',
    letterBody: 'حضرة {{target.name}}، نحن {{count}}.',
  };

  function service(translations: Record<string, { subject: string; body: string }> = {}, addressee: unknown = null) {
    const letters = {
      translations: jest.fn(async () => translations),
      upsertTranslation: jest.fn(async () => undefined),
      deleteTranslation: jest.fn(async () => false),
    };
    const campaigns = { owned: jest.fn(async () => campaign), signatureCount: jest.fn(async () => 1234) };
    const targets = { addressee: jest.fn(async () => addressee) };
    return { svc: new LettersService(letters as never, campaigns as never, targets as never), letters, targets };
  }

  it('refuses a translation in the campaign\'s own language, or with an unknown placeholder, and saves nothing', async () => {
    const { svc, letters } = service();
    await expect(svc.putTranslation(principal, 'c1', 'ar', { subject: 's', body: 'b' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const bad = await svc.putTranslation(principal, 'c1', 'en', { subject: 'From {{supporter.email}}', body: 'b' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'letter.subject' })] });
    expect(letters.upsertTranslation).not.toHaveBeenCalled();
  });

  it('previews in the target\'s language when the letter has it, with the target\'s name and the count', async () => {
    const { svc, targets } = service(
      { en: { subject: 'From {{supporter.name}}', body: 'Dear {{target.name}}, {{count}} of us on {{campaign.title}}.' } },
      { id: 't1', name: 'The Minister', locale: 'en' },
    );
    const preview = await svc.preview(principal, 'c1', undefined, 't1');
    expect(targets.addressee).toHaveBeenCalledWith('c1', 't1');
    expect(preview).toMatchObject({ locale: 'en', requestedLocale: 'en', fellBack: false, subject: 'From Layla Hassan' });
    expect(preview.text).toBe('Dear The Minister, 1,234 of us on Save the marshes.');
  });

  it('falls back to the campaign\'s own letter, in its own language and digits, when there is no translation', async () => {
    const { svc } = service();
    const preview = await svc.preview(principal, 'c1', 'en');
    expect(preview).toMatchObject({ locale: 'ar', requestedLocale: 'en', fellBack: true, subject: 'من ليلى حسن' });
    expect(preview.text).toBe('حضرة حضرة المسؤول، نحن ١٬٢٣٤.');
  });

  it('says which field is wrong for a target of another campaign', async () => {
    const { svc } = service({}, null);
    await expect(svc.preview(principal, 'c1', undefined, 't9')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'targetId', problems: ['no such target in this campaign'] }],
    });
  });

  it('says so when a translation to delete does not exist', async () => {
    const { svc } = service();
    await expect(svc.deleteTranslation(principal, 'c1', 'en')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
