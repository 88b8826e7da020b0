import { PAGE_STRINGS } from '../modules/pages/page-strings';
import { allForms, formatNumber, plural, type PluralForms } from './plural';

describe('plural', () => {
  const ar = PAGE_STRINGS.ar.signatureCount;
  const en = PAGE_STRINGS.en.signatureCount;

  it.each([
    [0, 'لا توقيعات بعد'],
    [1, 'توقيع واحد'],
    [2, 'توقيعان'],
    [3, '٣ توقيعات'],
    [10, '١٠ توقيعات'],
    [11, '١١ توقيعاً'],
    [99, '٩٩ توقيعاً'],
    [100, '١٠٠ توقيع'],
    [102, '١٠٢ توقيع'],
    [103, '١٠٣ توقيعات'],
    [111, '١١١ توقيعاً'],
    [1000, '١٬٠٠٠ توقيع'],
  ])('writes %i signatures in Arabic as «%s»', (n, words) => {
    expect(plural(n, 'ar', ar)).toBe(words);
  });

  it.each([
    [0, '0 signatures'],
    [1, '1 signature'],
    [2, '2 signatures'],
    [1234, '1,234 signatures'],
  ])('writes %i signatures in English as "%s"', (n, words) => {
    expect(plural(n, 'en', en)).toBe(words);
  });

  it('falls back to the other form for a category a language leaves out', () => {
    const forms: PluralForms = { one: 'one {n}', other: 'other {n}' };
    expect(plural(2, 'ar', forms)).toBe('other ٢');
    expect(plural(1, 'ar', forms)).toBe('one ١');
  });

  it('writes Arabic numbers in Arabic-Indic digits and English ones in Latin digits', () => {
    expect(formatNumber(1234567, 'ar')).toBe('١٬٢٣٤٬٥٦٧');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(0, 'ar')).toBe('٠');
  });

  it('gives the page script every form the language has', () => {
    expect(Object.keys(allForms('ar', ar)).sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(allForms('en', en)).toEqual({ one: '{n} signature', other: '{n} signatures' });
  });
});
