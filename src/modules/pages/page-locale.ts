import { LOCALES, type Locale } from '../../common/locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The page language an Accept-Language header prefers among ours (`ar-IQ;q=0.9` counts as `ar`),
 * or `fallback` when it names neither. Ties keep the header's order.
 */
export function negotiateLocale(header: string | string[] | undefined, fallback: Locale): Locale {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { locale: Locale; q: number } | null = null;
  for (const part of value.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (!isLocale(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: primary, q };
  }
  return best?.locale ?? fallback;
}
