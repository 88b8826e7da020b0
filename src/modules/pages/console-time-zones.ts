import type { Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';

/**
 * The time zones the campaign form offers: the ones Nida's coalitions mostly work in first, then
 * every zone the runtime knows (Intl.supportedValuesOf), each named in the page's language with its
 * current offset and its IANA name (the API's value). The API still asks PostgreSQL about the one
 * chosen. Lists are rebuilt hourly (offsets change with daylight saving).
 */
const COMMON = [
  'UTC',
  'Asia/Baghdad',
  'Asia/Damascus',
  'Asia/Beirut',
  'Asia/Amman',
  'Asia/Gaza',
  'Asia/Riyadh',
  'Asia/Kuwait',
  'Asia/Bahrain',
  'Asia/Qatar',
  'Asia/Dubai',
  'Asia/Muscat',
  'Asia/Aden',
  'Asia/Tehran',
  'Europe/Istanbul',
  'Africa/Cairo',
  'Africa/Khartoum',
  'Africa/Tripoli',
  'Africa/Tunis',
  'Africa/Algiers',
  'Africa/Casablanca',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Zurich',
  'America/New_York',
];

export interface ZoneOption {
  value: string;
  label: string;
  selected: boolean;
}

const HOUR_MS = 3_600_000;
const built = new Map<Locale, { at: number; common: Omit<ZoneOption, 'selected'>[]; all: Omit<ZoneOption, 'selected'>[] }>();

function label(zone: string, locale: Locale, now: Date): string {
  const part = (style: 'longGeneric' | 'shortOffset') =>
    new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { timeZone: zone, timeZoneName: style }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const generic = zone === 'UTC' ? '' : part('longGeneric');
  const offset = part('shortOffset');
  return [generic, offset ? `(${offset})` : '', '—', zone.replace(/_/g, ' ')].filter(Boolean).join(' ');
}

function lists(locale: Locale, now = new Date()) {
  const cached = built.get(locale);
  if (cached && now.getTime() - cached.at < HOUR_MS) return cached;
  const known = new Set(Intl.supportedValuesOf('timeZone'));
  const common = COMMON.filter((z) => z === 'UTC' || known.has(z)).map((z) => ({ value: z, label: label(z, locale, now) }));
  const all = [...known].filter((z) => !COMMON.includes(z)).map((z) => ({ value: z, label: label(z, locale, now) }));
  const fresh = { at: now.getTime(), common, all };
  built.set(locale, fresh);
  return fresh;
}

/** The form's zone options, `selected` marked; a zone not in the lists (set through the API, or typed) comes first. */
export function timeZoneOptions(locale: Locale, selected: string): { common: ZoneOption[]; all: ZoneOption[]; other: ZoneOption[] } {
  const { common, all } = lists(locale);
  const mark = (o: Omit<ZoneOption, 'selected'>) => ({ ...o, selected: o.value === selected });
  const listed = selected === '' || common.some((o) => o.value === selected) || all.some((o) => o.value === selected);
  return { common: common.map(mark), all: all.map(mark), other: listed ? [] : [{ value: selected, label: selected, selected: true }] };
}
