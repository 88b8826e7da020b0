import type { Locale } from './locale';

/**
 * How numbers and dates are written for people, in pages, emails and letters alike. Arabic uses
 * Arabic-Indic digits (٠١٢٣), as Arabic is written in Iraq and the Mashriq; CLDR's plain `ar` now
 * defaults to Latin digits, hence `-u-nu-arab`.
 */
export const FORMAT_LOCALE: Record<Locale, string> = { en: 'en-GB', ar: 'ar-u-nu-arab' };

/**
 * The words for a count, one per CLDR plural category the language uses; `{n}` stands for the
 * number in the language's digits. English uses `one` and `other`; Arabic six forms:
 * zero (0), one (1), two (2), few (3–10, 103–110…), many (11–99, 111–199…), other (100, 101, 102…),
 * e.g. «توقيع واحد», «توقيعان», «٣ توقيعات», «١١ توقيعاً», «١٠٠ توقيع».
 */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

const RULES: Record<Locale, Intl.PluralRules> = { ar: new Intl.PluralRules('ar'), en: new Intl.PluralRules('en') };
const NUMBERS: Record<Locale, Intl.NumberFormat> = {
  ar: new Intl.NumberFormat(FORMAT_LOCALE.ar),
  en: new Intl.NumberFormat(FORMAT_LOCALE.en),
};

/** A number in the language's digits and grouping: `1,234` in English, `١٬٢٣٤` in Arabic. */
export function formatNumber(n: number, locale: Locale): string {
  return NUMBERS[locale].format(n);
}

/** The form of `forms` that `n` takes in `locale` (falling back to `other`), with `{n}` written out. */
export function plural(n: number, locale: Locale, forms: PluralForms): string {
  const form = forms[RULES[locale].select(n)] ?? forms.other;
  return form.replace(/\{n\}/g, formatNumber(n, locale));
}

/** Forms for a language, as the page script needs them: every category the language has, filled. */
export function allForms(locale: Locale, forms: PluralForms): Partial<Record<Intl.LDMLPluralRule, string>> {
  const categories = RULES[locale].resolvedOptions().pluralCategories;
  return Object.fromEntries(categories.map((c) => [c, forms[c] ?? forms.other]));
}
