import { formatNumber } from './plural';
import type { Locale } from './locale';

/** The placeholders a letter may hold. Nothing else is expanded: organisers get no template language. */
export const LETTER_PLACEHOLDERS = [
  'supporter.name',
  'supporter.city',
  'supporter.comment',
  'campaign.title',
  'target.name',
  'count',
] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];
export type LetterValues = Record<LetterPlaceholder, string | number | null>;

const KNOWN: ReadonlySet<string> = new Set(LETTER_PLACEHOLDERS);
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/g;

/** Placeholders in `template` that are not in LETTER_PLACEHOLDERS. */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(name)) unknown.add(name);
  }
  return [...unknown];
}

/** One validation problem per field that holds an unknown placeholder. */
export function placeholderProblems(
  prefix: string,
  fields: Record<string, string | null | undefined>,
): { field: string; problems: string[] }[] {
  return Object.entries(fields).flatMap(([name, value]) => {
    const unknown = value ? unknownPlaceholders(value) : [];
    return unknown.length
      ? [{
          field: `${prefix}.${name}`,
          problems: [`unknown placeholder(s) ${unknown.map((u) => `{{${u}}}`).join(', ')}; use ${LETTER_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`],
        }]
      : [];
  });
}

/**
 * Which letter text a target of language `wanted` gets: the translation when there is one (and
 * `wanted` is not the campaign's own language), else the campaign's own letter in its own language.
 */
export function chooseLetter(
  own: { subject: string; body: string } | null,
  ownLocale: Locale,
  wanted: Locale,
  translation: { subject: string; body: string } | null | undefined,
): { text: { subject: string; body: string } | null; locale: Locale } {
  return wanted !== ownLocale && translation ? { text: translation, locale: wanted } : { text: own, locale: ownLocale };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function valueOf(values: LetterValues, name: string, locale: Locale): string {
  if (!KNOWN.has(name)) return '';
  const raw = values[name as LetterPlaceholder];
  if (raw === null || raw === undefined) return '';
  // Arabic letters write numbers in Arabic-Indic digits (١٬٢٣٤), as Iraqi officials read them.
  if (typeof raw === 'number') return formatNumber(raw, locale);
  return raw.replace(CONTROL_EXCEPT_NEWLINE, '');
}

export interface RenderedLetter {
  subject: string;
  text: string;
  html: string;
}

/**
 * Fills a letter in. The subject is one line whatever the values hold (no value can add a header);
 * the text keeps values as they are, less control characters; the HTML escapes every value and the
 * organiser's own text, and makes paragraphs of blank-line-separated blocks.
 */
export function renderLetter(
  template: { subject: string; body: string },
  values: LetterValues,
  locale: Locale,
): RenderedLetter {
  const fill = (s: string, map: (v: string) => string) => s.replace(PLACEHOLDER, (_, name: string) => map(valueOf(values, name, locale)));
  const subject = fill(template.subject, (v) => v).replace(/\s+/g, ' ').trim();
  const text = fill(template.body, (v) => v);
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const paragraphs = template.body
    .split(/\n\s*\n/)
    .map((block) => `<p>${fill(escapeHtml(block), escapeHtml).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>\n<html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"></head><body dir="${dir}">\n${paragraphs}\n</body></html>\n`;
  return { subject, text, html };
}
