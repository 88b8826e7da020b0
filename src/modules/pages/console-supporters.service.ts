import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from '../../common/app-error';
import { COUNTRY_CODES } from '../../common/countries';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { CampaignsService } from '../campaigns/campaigns.service';

/** What the Supporters pages show of the campaign: its title in the page's language and its zone. */
export interface SupportersCampaign {
  id: string;
  title: string;
  timeZone: string;
}

/** A calendar day as a date input sends it. */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The console Supporters pages' data shaping: the campaign (null when malformed, unknown or another
 * organisation's: one 404), days in the campaign's zone turned into the instants the signature
 * services filter on, and dates and countries written for the page's language. The signatures
 * themselves come from the signature services, as the API's do.
 */
@Injectable()
export class ConsoleSupportersService {
  private readonly countryOptions = new Map<Locale, { code: string; name: string }[]>();

  constructor(private readonly campaigns: CampaignsService) {}

  async campaign(principal: Principal, id: string, locale: Locale): Promise<SupportersCampaign | null> {
    if (!isUUID(id)) return null;
    try {
      const campaign = await this.campaigns.owned(principal, id, 'view');
      return { id: campaign.id, title: titleIn(campaign, locale), timeZone: this.campaigns.timeZoneOf(campaign) };
    } catch (error) {
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    }
  }

  /** Every country, by its name in the page's language, for the filter's list. */
  countries(locale: Locale): { code: string; name: string }[] {
    let options = this.countryOptions.get(locale);
    if (!options) {
      const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
      const collator = new Intl.Collator(locale);
      options = [...COUNTRY_CODES].map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
      this.countryOptions.set(locale, options);
    }
    return options;
  }
}

/** A country's name in the page's language (the code itself when unknown). */
export function countryName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Whether `value` is a real calendar day written YYYY-MM-DD (years 1970–9999). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1970) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a day begins in `timeZone` (`after`: the day after it begins, for an inclusive last
 * day), as ISO 8601: what the services' `from`/`to` take. `day` must pass isDay.
 */
export function dayStart(day: string, timeZone: string, after = false): string {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d + (after ? 1 : 0));
  // Twice: the offset at the guess may differ from the one at the answer (a DST change that day).
  let at = wall - offsetMs(timeZone, wall);
  at = wall - offsetMs(timeZone, at);
  return new Date(at).toISOString();
}

/** An instant as people there read it: date and time in the campaign's zone, in the page's digits. */
export function formatInstant(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
