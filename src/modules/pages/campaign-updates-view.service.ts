import { Injectable } from '@nestjs/common';
import type { Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import { ShortCache } from '../../common/short-cache';
import { Environment } from '../../config/environment';
import { UpdatesService } from '../updates/updates.service';
import { dirOf } from './page-renderer';
import type { PublicCampaign } from './public-pages.service';
import { renderRichText } from './rich-text';
import { UPDATES_STRINGS } from './updates-strings';

/**
 * What the campaign page shows of its case updates (partials _case-status.hbs and _updates.hbs):
 * an urgent action's case status at the top, and the updates as a dated timeline, newest first, in
 * the page's language where an update has it; dates in the campaign's zone, in the page's digits.
 */
@Injectable()
export class CampaignUpdatesView {
  private readonly lists: ShortCache<Awaited<ReturnType<UpdatesService['listPublic']>>>;
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly updates: UpdatesService,
    private readonly env: Environment,
  ) {
    this.lists = new ShortCache(env.COUNT_CACHE_MS);
  }

  private date(iso: string, locale: Locale, zone: string): string {
    const key = `${locale}|${zone}`;
    let format = this.dates.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(FORMAT_LOCALE[locale], { dateStyle: 'long', timeZone: zone });
      if (this.dates.size < 1000) this.dates.set(key, format);
    }
    return format.format(new Date(iso));
  }

  async view(c: PublicCampaign, locale: Locale) {
    const u = UPDATES_STRINGS[locale];
    const zone = c.timeZone ?? this.env.PAGE_TIME_ZONE;
    const list = await this.lists.get(`${c.id}|${locale}`, () => this.updates.listPublic(c.id, locale));
    const status = c.kind === 'urgent_action' ? this.updates.caseStatusLabel(c.caseStatus, locale) : null;
    return {
      u,
      caseStatus: status ? { code: c.caseStatus, label: status } : null,
      items: list.map((item) => {
        const label = this.updates.caseStatusLabel(item.caseStatus, locale);
        return {
          id: item.id,
          title: item.title,
          bodyHtml: renderRichText(item.body),
          textLocale: item.locale,
          textDir: dirOf(item.locale),
          iso: item.createdAt,
          date: this.date(item.createdAt, locale, zone),
          status: label ? u.statusSetTo.replace('{status}', label) : null,
        };
      }),
    };
  }
}
