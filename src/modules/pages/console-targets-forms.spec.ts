import { CONSOLE_TARGETS_STRINGS } from './console-targets-strings';
import { blankTargetForm, readLetterForm, readTargetForm, validateLetterForm, validateTargetForm } from './console-targets-forms';
import type { CreateTargetDto } from '../targets/dto/create-target.dto';
import type { UpdateTargetDto } from '../targets/dto/update-target.dto';

const s = CONSOLE_TARGETS_STRINGS.en;

describe('console target and letter forms', () => {
  const target = (over: Record<string, unknown> = {}) =>
    readTargetForm({ name: 'Minister', email: 'm@example.org', locale: 'ar', windowOn: 'on', timeZone: 'Asia/Baghdad', start: '08:00', end: '15:00', days: ['7', '1'], ...over });

  it('reads a target as the API takes it: ISO weekdays as numbers, HH:MM, absent optional fields', () => {
    const { dto, errors } = validateTargetForm<CreateTargetDto>(target(), 'create', s);
    expect(errors).toEqual({});
    expect({ ...dto }).toEqual({ name: 'Minister', email: 'm@example.org', locale: 'ar', emailPublic: false, sendingWindow: { timeZone: 'Asia/Baghdad', start: '08:00', end: '15:00', days: [7, 1] } });
  });

  it('clears empty optional fields and the window on an update (null), as a PATCH does', () => {
    const { dto } = validateTargetForm<UpdateTargetDto>(target({ windowOn: undefined, title: '  ' }), 'update', s);
    expect(dto).toMatchObject({ title: null, organisation: null, country: null, sendingWindow: null });
  });

  it('words each broken rule beside its field, a single day or a checkbox array alike', () => {
    const { dto, errors } = validateTargetForm(target({ email: 'nope', timeZone: 'Not a zone', start: '8', days: ['9', 'x'], locale: ['ar', 'en'] }), 'create', s);
    expect(dto).toBeNull();
    expect(errors).toEqual({ email: s.errTargetEmail, timeZone: s.errTimeZone, start: s.errStart, days: s.errDays, locale: s.errLocale });
    expect(validateTargetForm(target({ days: '3' }), 'create', s).errors).toEqual({});
    expect(validateTargetForm(target({ start: '15:00', end: '08:00' }), 'create', s).errors).toEqual({ end: s.errEndBefore });
    expect(validateTargetForm(target({ name: 'a\u0000b' }), 'create', s).errors).toEqual({ name: s.errNul });
  });

  it('wants a whole translation or none, known placeholders only, and a text unless there are no letters', () => {
    const letter = (over: Record<string, unknown>) => readLetterForm({ mode: 'per_signature', subject_ar: 'موضوع', body_ar: 'نص', subject_en: '', body_en: '', ...over });
    const ok = validateLetterForm(letter({}), 'ar', s);
    expect(ok).toMatchObject({ mode: 'per_signature', translations: { en: null } });
    expect(validateLetterForm(letter({ subject_en: 'Subject' }), 'ar', s)).toEqual({ errors: { 'body.en': s.errBodyPair } });
    expect(validateLetterForm(letter({ body_ar: 'حضرة {{target.nam}}' }), 'ar', s)).toEqual({ errors: { 'body.ar': s.errPlaceholder.replace('{list}', '{{target.nam}}') } });
    expect(validateLetterForm(letter({ subject_ar: '', body_ar: '' }), 'ar', s)).toEqual({ errors: { 'subject.ar': s.errSubject, 'body.ar': s.errBody } });
    expect(validateLetterForm(letter({ mode: 'none', subject_ar: '', body_ar: '' }), 'ar', s)).toMatchObject({ mode: 'none' });
    expect(validateLetterForm(letter({ mode: 'everything' }), 'ar', s)).toEqual({ errors: { mode: s.errMode } });
  });

  it('starts the add form in the campaign\'s language', () => {
    expect(blankTargetForm('ar').locale).toBe('ar');
  });
});
