import { createHash } from 'node:crypto';
import type { Locale } from '../../common/locale';
import { plural, type PluralForms } from '../../common/plural';

/** A share card's size: what Facebook, WhatsApp, Telegram and X show large (1.91 : 1). */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** The count on a card, in words of the campaign's language («١٢ توقيعاً», "12 signatures"). */
const COUNT_FORMS: Record<Locale, PluralForms> = {
  en: { one: '{n} signature', other: '{n} signatures' },
  ar: { zero: 'لا توقيعات بعد', one: 'توقيع واحد', two: 'توقيعان', few: '{n} توقيعات', many: '{n} توقيعاً', other: '{n} توقيع' },
};

export interface CardContent {
  locale: Locale;
  title: string;
  organisation: string;
  count: number;
  imageHash: string | null;
}

/**
 * The count milestone a card is drawn at: the largest of 1, 2, 5, 10, 20, 50, 100… not above the
 * count (0 for none). A card shows the count when it was drawn and is drawn again when the count
 * reaches the next milestone, not at every signature.
 */
export function countMilestone(count: number): number {
  if (count < 1) return 0;
  const power = 10 ** Math.floor(Math.log10(count));
  const lead = count / power;
  return (lead >= 5 ? 5 : lead >= 2 ? 2 : 1) * power;
}

/** What a card shows, hashed: a card whose fingerprint differs is out of date. */
export function cardFingerprint(c: CardContent): string {
  const parts = [c.locale, c.title, c.organisation, c.imageHash ?? '', countMilestone(c.count)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The card as a page for Chromium to print: the photo (cut to fill its half) beside the title in
 * the campaign's language and direction, the organisation and the count in the language's digits.
 * Without a photo the text takes the whole card on the brand colour. Fonts are the system's
 * (Debian's DejaVu Sans covers Arabic; Chromium shapes it and lays it out right to left).
 */
export function cardHtml(c: CardContent, photoDataUri: string | null): string {
  const dir = c.locale === 'ar' ? 'rtl' : 'ltr';
  const count = plural(c.count, c.locale, COUNT_FORMS[c.locale]);
  const titleSize = c.title.length > 90 ? 44 : c.title.length > 50 ? 54 : 64;
  const photo = photoDataUri ? `<div class="photo"><img src="${photoDataUri}" alt=""></div>` : '';
  return `<!doctype html><html lang="${c.locale}" dir="${dir}"><head><meta charset="utf-8"><style>
*{box-sizing:border-box;margin:0}
html,body{width:${CARD_WIDTH}px;height:${CARD_HEIGHT}px;overflow:hidden}
body{display:flex;font-family:"DejaVu Sans","Noto Sans Arabic","Noto Sans",sans-serif;background:#0b3d3a;color:#fff}
.photo{flex:0 0 ${photoDataUri ? 540 : 0}px;height:100%;background:#123}
.photo img{width:100%;height:100%;object-fit:cover;display:block}
.text{flex:1;display:flex;flex-direction:column;justify-content:space-between;padding:56px 60px 48px}
h1{font-size:${titleSize}px;line-height:1.25;font-weight:700;display:-webkit-box;-webkit-line-clamp:5;-webkit-box-orient:vertical;overflow:hidden}
.org{font-size:30px;opacity:.9;margin-top:24px}
.count{font-size:40px;font-weight:700;color:#ffd166}
.brand{font-size:26px;opacity:.75;margin-top:10px}
</style></head><body>${photo}<div class="text"><div><h1>${escapeHtml(c.title)}</h1><p class="org"><bdi>${escapeHtml(c.organisation)}</bdi></p></div>
<div><p class="count">${escapeHtml(count)}</p><p class="brand">Nida · نداء</p></div></div></body></html>`;
}

/** The card's alternative text: its title and organisation (its count is the one when it was drawn). */
export function cardAlt(c: Pick<CardContent, 'title' | 'organisation'>): string {
  return `${c.title} — ${c.organisation}`;
}
