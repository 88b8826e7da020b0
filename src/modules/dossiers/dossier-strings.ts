import type { Locale } from '../../common/locale';
import type { PluralForms } from '../../common/plural';

/** The words of a dossier (the PDF and its email), in the target's language. */
const EN = {
  preparedFor: 'Prepared for {target}',
  countLine: { one: '{n} verified supporter', other: '{n} verified supporters' } as PluralForms,
  asOf: 'As of {date}',
  letterHeading: 'The letter',
  campaignHeading: 'The campaign',
  countriesHeading: 'Supporters by country',
  colCountry: 'Country',
  colSupporters: 'Verified supporters',
  namesHeading: 'Supporters who agreed to be named',
  namesIntro: { zero: 'No supporter has agreed to be named yet.', one: '{n} supporter agreed to be named here.', other: '{n} supporters agreed to be named here.' } as PluralForms,
  none: 'None yet.',
  otherCountry: 'Other',
  eachSupporterName: '(each supporter’s name)',
  eachSupporterCity: '(their city)',
  eachSupporterComment: '(their comment)',
  fileName: 'dossier',
  mailSubject: 'The petition “{campaign}”: {n}',
  mailText: 'Dear {target},\n\nAttached is the petition “{campaign}” as a PDF: the letter, the campaign text, the number of verified supporters and the names of those who agreed to be named.\n',
};

const AR: typeof EN = {
  preparedFor: 'أُعدّ لـ{target}',
  countLine: { zero: 'لا مؤيّدين مؤكَّدين', one: 'مؤيّد واحد مؤكَّد', two: 'مؤيّدان مؤكَّدان', few: '{n} مؤيّدين مؤكَّدين', many: '{n} مؤيّداً مؤكَّداً', other: '{n} مؤيّد مؤكَّد' },
  asOf: 'حتى {date}',
  letterHeading: 'الرسالة',
  campaignHeading: 'الحملة',
  countriesHeading: 'المؤيّدون حسب البلد',
  colCountry: 'البلد',
  colSupporters: 'المؤيّدون المؤكَّدون',
  namesHeading: 'المؤيّدون الذين قبلوا ذكر أسمائهم',
  namesIntro: { zero: 'لم يقبل أيّ مؤيّد ذكر اسمه بعد.', one: 'قبل مؤيّد واحد ذكر اسمه هنا.', two: 'قبل مؤيّدان ذكر اسميهما هنا.', few: 'قبل {n} مؤيّدين ذكر أسمائهم هنا.', many: 'قبل {n} مؤيّداً ذكر أسمائهم هنا.', other: 'قبل {n} مؤيّد ذكر أسمائهم هنا.' },
  none: 'لا شيء بعد.',
  otherCountry: 'أخرى',
  eachSupporterName: '(اسم كل مؤيّد)',
  eachSupporterCity: '(مدينته)',
  eachSupporterComment: '(تعليقه)',
  fileName: 'dossier',
  mailSubject: 'عريضة «{campaign}»: {n}',
  mailText: 'حضرة {target}،\n\nمرفق بهذه الرسالة عريضة «{campaign}» في ملف جاهز للطباعة: الرسالة ونصّ الحملة وعدد المؤيّدين المؤكَّدين وأسماء من قبلوا ذكر أسمائهم.\n',
};

export type DossierStrings = typeof EN;
export const DOSSIER_STRINGS: Record<Locale, DossierStrings> = { en: EN, ar: AR };
