import { CONSOLE_UPDATES_STRINGS } from './console-updates-strings';
import { blankUpdateForm, readUpdateForm, validateUpdateForm } from './console-updates-form';

const s = CONSOLE_UPDATES_STRINGS.en;

describe('the console update form', () => {
  it('reads the campaign’s language as title and body, the other (both filled) as its translation', async () => {
    const values = readUpdateForm({ title_ar: 'أُطلق سراح سالم', body_ar: 'خرج اليوم.', title_en: ' Salim is free ', body_en: 'Out today.', notify: 'on', caseStatus: 'released' });
    const { dto, errors } = await validateUpdateForm(values, 'ar', s);
    expect(errors).toEqual({});
    expect(dto).toMatchObject({ title: 'أُطلق سراح سالم', body: 'خرج اليوم.', notify: true, caseStatus: 'released', translations: { en: { title: 'Salim is free', body: 'Out today.' } } });
  });

  it('leaves out an empty other language and an unchanged case status; notify only when ticked', async () => {
    const { dto } = await validateUpdateForm(readUpdateForm({ title_en: 'News today', body_en: 'Text', notify: 'yes' }), 'en', s);
    expect(dto).toMatchObject({ title: 'News today', notify: false });
    expect(dto!.translations).toBeUndefined();
    expect(dto!.caseStatus).toBeUndefined();
  });

  it('puts each problem beside its field: a half-filled translation, a short title, an unknown status', async () => {
    const values = { ...blankUpdateForm(), title: { ar: 'x', en: 'Only a title' }, body: { ar: '', en: '' }, caseStatus: 'asleep' };
    const { dto, errors } = await validateUpdateForm(values, 'ar', s);
    expect(dto).toBeNull();
    expect(errors).toEqual({ title_ar: s.errTitle, body_ar: s.errBody, body_en: s.errPair, caseStatus: s.errCaseStatus });
  });

  it('cuts what it echoes and ignores fields that are not text', () => {
    const values = readUpdateForm({ title_ar: 'x'.repeat(5000), body_ar: ['a', 'b'], notify: ['on'] });
    expect(values.title.ar).toHaveLength(1000);
    expect(values.body.ar).toBe('');
    expect(values.notify).toBe(false);
  });
});
