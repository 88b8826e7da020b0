import { FORMAT_LOCALE, formatNumber, plural, type PluralForms } from '../../common/plural';
import type { Locale } from '../../common/locale';

/** "N new supporters joined", in the form N takes: «انضم مؤيد جديد واحد», «انضم ٣ مؤيدين جدد», «انضم ١١ مؤيداً جديداً». */
const JOINED: Record<Locale, PluralForms> = {
  ar: {
    zero: 'لم ينضم أي مؤيد جديد',
    one: 'انضم مؤيد جديد واحد',
    two: 'انضم مؤيدان جديدان',
    few: 'انضم {n} مؤيدين جدد',
    many: 'انضم {n} مؤيداً جديداً',
    other: 'انضم {n} مؤيد جديد',
  },
  en: { one: '{n} new supporter', other: '{n} new supporters' },
};

/** A day as the reader's language writes it («٢٩ نوفمبر ٢٠٢٦», "29 November 2026"), in their time zone. */
function dayIn(locale: Locale, date: Date, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone });
  } catch {
    // A zone this Node does not know (stored before a downgrade): the date in UTC rather than no letter.
    format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' });
  }
  return format.format(date);
}

/**
 * The paragraph a digest adds to the letter: how many joined since `since` (a day in `timeZone`, the
 * target's), the total, and the names of those who agreed to be named. Names are values, escaped
 * when the letter is rendered in HTML.
 */
export function digestSummary(locale: Locale, added: number, total: number, since: Date, named: string[], timeZone: string): string {
  const date = dayIn(locale, since, timeZone);
  const joined = plural(added, locale, JOINED[locale]);
  if (locale === 'ar') {
    return [
      `${joined} منذ ${date}، فصار عدد الموقّعين ${formatNumber(total, locale)}.`,
      named.length ? `ومن بينهم من وافق على ذكر اسمه: ${named.join('، ')}.` : '',
      'يتضمن الملف المرفق أسماء المؤيدين الجدد ومدنهم وبلدانهم.',
    ].filter(Boolean).join('\n\n');
  }
  return [
    `${joined} since ${date}; ${formatNumber(total, locale)} in all.`,
    named.length ? `Among them, those who agreed to be named: ${named.join(', ')}.` : '',
    'The attached file lists the new supporters with their city and country.',
  ].filter(Boolean).join('\n\n');
}
