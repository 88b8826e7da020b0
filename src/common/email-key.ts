/** Providers that deliver `name+tag@` to `name@`, so a +tag does not make another person. */
const PLUS_IGNORING = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'fastmail.com',
  'fastmail.fm',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
]);

/**
 * The key that tells whether two addresses are one signer: lower-cased and trimmed; for Gmail
 * (either domain) dots and +tags dropped and the domain made gmail.com; +tags dropped for the
 * other large providers that ignore them. Mail is still sent to the address as typed.
 */
export function emailKey(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return trimmed;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1).replace(/\.$/, '');
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_IGNORING.has(domain)) local = local.split('+')[0];
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return `${local}@${domain}`;
}

/** The domain of an email key (after its last @), as the key holds it: lower case, googlemail.com as gmail.com. */
export function keyDomain(key: string): string {
  return key.slice(key.lastIndexOf('@') + 1);
}
