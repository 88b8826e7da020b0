/**
 * Mail providers so large that a flood of signatures from their addresses says nothing about one
 * source: millions of unrelated people share them, so they are not limited per domain (the limits
 * per address and per email still apply). Our own short list, by design (not a package): the
 * providers most used by supporters in Iraq, the region and beyond. A domain not on it (a
 * company's, a university's, an unknown one) is limited by SIGN_LIMIT_DOMAIN_HOUR.
 */
export const LARGE_PROVIDERS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'mail.com',
  'web.de',
  'zoho.com',
  'qq.com',
  '163.com',
]);

/** Families with a domain per country: gmx.de, gmx.net …; yahoo.co.uk, yahoo.fr …; hotmail.fr, outlook.de … */
const LARGE_FAMILIES = /^(?:gmx|yahoo|hotmail|outlook|live)\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;

/** Whether a domain (lower case) is one of the large providers, which are not limited per domain. */
export function isLargeProvider(domain: string): boolean {
  return LARGE_PROVIDERS.has(domain) || LARGE_FAMILIES.test(domain);
}
