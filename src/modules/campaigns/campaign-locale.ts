import type { CampaignText, CampaignTranslations, Locale } from './campaign.entity';

type Texts = CampaignText & { locale: Locale; translations: CampaignTranslations };

/** The campaign's texts in `locale` when it has them there, else in its own language (and which one). */
export function textIn(c: Texts, locale: Locale): CampaignText & { locale: Locale } {
  const translated = locale === c.locale ? undefined : c.translations[locale];
  if (translated) return { locale, title: translated.title, summary: translated.summary, body: translated.body };
  return { locale: c.locale, title: c.title, summary: c.summary, body: c.body };
}

/** The campaign's title in `locale` when it has a translation there, else in its own language. */
export function titleIn(c: { title: string; locale: Locale; translations: CampaignTranslations }, locale: Locale): string {
  return locale === c.locale ? c.title : (c.translations[locale]?.title ?? c.title);
}
