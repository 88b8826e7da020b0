import * as countries from 'i18n-iso-countries';
import ar from 'i18n-iso-countries/langs/ar.json';
import en from 'i18n-iso-countries/langs/en.json';
import type { Locale } from './locale';

// The two languages Nida writes in, registered once per process (this module is loaded once).
countries.registerLocale(ar);
countries.registerLocale(en);

/**
 * A country's name in `locale`, from the maintained i18n-iso-countries package (CLDR-based names,
 * "العراق", "Iraq"), or null for a code it does not know.
 */
export function countryName(code: string, locale: Locale): string | null {
  if (!/^[A-Z]{2}$/.test(code)) return null;
  return countries.getName(code, locale) ?? null;
}
