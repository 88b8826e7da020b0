import type { CampaignTranslations, Locale } from './campaign.entity';

/** The campaign's title in `locale` when it has a translation there, else in its own language. */
export function titleIn(c: { title: string; locale: Locale; translations: CampaignTranslations }, locale: Locale): string {
  return locale === c.locale ? c.title : (c.translations[locale]?.title ?? c.title);
}
