/** Slugs: lower-case letters of any script, digits and single hyphens; at most 80 characters. */
export const SLUG_MAX_LENGTH = 80;
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Nd}]+)*$/u;

const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function asciiDigit(ch: string): string {
  const code = ch.charCodeAt(0);
  return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
}

/**
 * A readable slug from a title in any script. Arabic keeps its letters, hamza and madda included
 * (browsers show them in the address bar); vowel marks, tatweel and Latin accents are dropped, Arabic-Indic digits become
 * ASCII, anything else between words becomes one hyphen. Never empty.
 */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    // Vowel marks and accents go; madda and hamza (U+0653–U+0655) stay, or أ ؤ ئ would change letter.
    .replace(/(?![\u0653-\u0655])\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(ARABIC_INDIC_DIGITS, asciiDigit)
    .split(/[^\p{Ll}\p{Lo}\p{Nd}]+/u)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if ([...next].length > SLUG_MAX_LENGTH) {
      if (!slug) slug = [...word].slice(0, SLUG_MAX_LENGTH).join('');
      break;
    }
    slug = next;
  }
  return slug || 'campaign';
}

/** The slug with a suffix that makes it unique, still within the length limit. */
export function withSuffix(slug: string, suffix: string): string {
  const room = SLUG_MAX_LENGTH - suffix.length - 1;
  const head = [...slug].slice(0, room).join('').replace(/-+$/, '');
  return `${head}-${suffix}`;
}
