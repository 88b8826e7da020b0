import type { CampaignText, CampaignTranslations, Locale } from './campaign.entity';

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
