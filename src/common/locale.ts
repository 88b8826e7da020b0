/**
 * The languages Nida speaks, and a campaign's texts in them: shared vocabulary of every module that
 * shows or sends a campaign's words (pages, mail, letters).
 */
export const LOCALES = ['ar', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface CampaignText {
  title: string;
  summary: string;
  body: string;
}

/** Texts in the languages other than the campaign's own, kept with the campaign. */
export type CampaignTranslations = Partial<Record<Locale, CampaignText>>;

type Texts = CampaignText & { locale: Locale; translations: CampaignTranslations };

/** The language a reader of `locale` sees the campaign's text in: that one when the campaign has it, else its own. */
export function textLocale(c: { locale: Locale; translations: Partial<Record<Locale, unknown>> }, locale: Locale): Locale {
  return locale === c.locale || c.translations[locale] ? locale : c.locale;
}

/** The campaign's texts in `locale` when it has them there, else in its own language (and which one). */
export function textIn(c: Texts, locale: Locale): CampaignText & { locale: Locale } {
  const shown = textLocale(c, locale);
  const text = shown === c.locale ? c : c.translations[shown]!;
  return { locale: shown, title: text.title, summary: text.summary, body: text.body };
}

/** The campaign's title in `locale` when it has a translation there, else in its own language. */
export function titleIn(c: { title: string; locale: Locale; translations: CampaignTranslations }, locale: Locale): string {
  return locale === c.locale ? c.title : (c.translations[locale]?.title ?? c.title);
}
