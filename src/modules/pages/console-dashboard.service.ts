import { Injectable } from '@nestjs/common';
import type { Locale } from '../../common/locale';
import { titleIn } from '../../common/locale';
import { formatNumber, plural } from '../../common/plural';
import type { Principal } from '../../common/principal';
import { dayIn } from '../../common/zoned-date';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PartnersService } from '../campaigns/partners.service';
import { CONSOLE_PARTNERS_STRINGS } from './console-partners-strings';
import { LetterDeliveriesService } from '../letter-deliveries/letter-deliveries.service';
import { SignaturesService } from '../signatures/signatures.service';
import { CONSOLE_STRINGS } from './console-strings';
import { consolePath } from './console-kit';

export const SPARK_DAYS = 14;
const DAY_MS = 86_400_000;
/** The dashboard shows at most this many campaigns (newest first). */
const MAX_CAMPAIGNS = 200;

export interface DashboardCampaign {
  title: string;
  url: string;
  /** The campaign's own page in the console (overview and edit form). */
  consoleUrl: string;
  /** The campaign's Share page in the console. */
  shareUrl: string;
  statusLabel: string;
  kindLabel: string;
  verified: string;
  today: string;
  deadline: string;
  spark: { points: string; label: string; width: number; height: number };
}

export interface AttentionItem {
  text: string;
  campaign: string;
  url: string;
}

/**
 * The console's landing page: the organiser's organisation's campaigns (an admin's: their own
 * organisation's too) with their counts, and what needs attention. One query per concern for all
 * the campaigns: the list with verified counts, verified signatures per local day, held
 * signatures, failed and bounced letters.
 */
@Injectable()
export class ConsoleDashboardService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly signatures: SignaturesService,
    private readonly letters: LetterDeliveriesService,
    private readonly partners: PartnersService,
  ) {}

  /**
   * The organisation's invitations (to accept or decline) and the campaigns it runs as a partner
   * (its organisers open them with the tabs their role allows: an editor the campaign, a viewer its statistics).
   */
  async partnerships(principal: Principal, locale: Locale) {
    const s = CONSOLE_PARTNERS_STRINGS[locale];
    return (await this.partners.mine(principal)).map((p) => {
      const role = s.role[p.role];
      const invited = p.status === 'invited';
      return {
        title: p.campaign.title,
        text: (invited ? s.invitedBy : s.partnerOf).replace('{lead}', p.lead.name).replace('{role}', role),
        invited,
        acceptAction: `/${locale}/console/partnerships/${p.campaign.id}/accept`,
        declineAction: `/${locale}/console/partnerships/${p.campaign.id}/decline`,
        openUrl: invited ? '' : p.role === 'editor' ? consolePath.campaignPage(locale, p.campaign.id, 'targets') : consolePath.campaignPage(locale, p.campaign.id, 'stats'),
      };
    });
  }

  async dashboard(principal: Principal, locale: Locale, now = new Date()): Promise<{ campaigns: DashboardCampaign[]; attention: AttentionItem[] }> {
    const c = CONSOLE_STRINGS[locale];
    const n = (x: number) => formatNumber(x, locale);
    const { items } = await this.campaigns.listForOrganisation(principal, principal.organisationId, 1, MAX_CAMPAIGNS);
    const zoned = items.map((i) => ({ id: i.id, timeZone: this.campaigns.timeZoneOf(i) }));
    // A day more than the sparkline: the oldest local day starts up to 14 hours before its UTC one.
    const since = new Date(now.getTime() - (SPARK_DAYS + 1) * DAY_MS);
    const [{ byDay, held }, undelivered] = await Promise.all([
      this.signatures.dashboardCounts(zoned, since),
      this.letters.undeliveredByCampaign(items.map((i) => i.id)),
    ]);
    const campaigns: DashboardCampaign[] = [];
    const attention: AttentionItem[] = [];
    for (const [index, item] of items.entries()) {
      const zone = zoned[index].timeZone;
      const days = Array.from({ length: SPARK_DAYS }, (_, k) => dayIn(zone, new Date(now.getTime() - (SPARK_DAYS - 1 - k) * DAY_MS)));
      const perDay = new Map(byDay.filter((r) => r.campaignId === item.id).map((r) => [r.day, r.verified]));
      const counts = days.map((d) => perDay.get(d) ?? 0);
      const title = titleIn(item, locale);
      const url = item.status === 'draft' || item.status === 'in_review' ? '' : `/${locale}/c/${encodeURIComponent(item.slug)}`;
      const endsAt = item.endsAt ? new Date(item.endsAt) : null;
      const urgent = item.kind === 'urgent_action';
      campaigns.push({
        title,
        url,
        consoleUrl: consolePath.campaign(locale, item.id),
        shareUrl: consolePath.share(locale, item.id),
        statusLabel: c.status[item.status],
        kindLabel: c.kind[item.kind],
        verified: n(item.signatureCount),
        today: n(counts[SPARK_DAYS - 1]),
        deadline: urgent && endsAt ? formatDeadline(endsAt, zone, locale) : '',
        spark: sparkline(counts, c.sparkLabel.replace('{list}', counts.map(n).join(locale === 'ar' ? '، ' : ', '))),
      });
      const heldCount = held[item.id] ?? 0;
      // Each concern links to the console page that handles it.
      const heldUrl = `${consolePath.campaignPage(locale, item.id, 'supporters')}?status=held`;
      if (heldCount) attention.push({ text: plural(heldCount, locale, c.attentionHeld), campaign: title, url: heldUrl });
      const bad = undelivered[item.id];
      if (bad && bad.failed + bad.bounced) {
        const letters = `${consolePath.campaignPage(locale, item.id, 'letters')}?status=${bad.failed ? 'failed' : 'bounced'}`;
        attention.push({ text: c.attentionLetters.replace('{failed}', n(bad.failed)).replace('{bounced}', n(bad.bounced)), campaign: title, url: letters });
      }
      const left = endsAt ? endsAt.getTime() - now.getTime() : -1;
      if (item.status === 'live' && endsAt && left > 0 && left <= DAY_MS) {
        attention.push({ text: c.attentionDeadline.replace('{when}', formatDeadline(endsAt, zone, locale)), campaign: title, url: consolePath.campaign(locale, item.id) });
      }
    }
    return { campaigns, attention };
  }
}

/** A date and time in the campaign's zone, in the page's language and digits, with the zone named. */
function formatDeadline(at: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ar' ? 'ar-u-nu-arab' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at) + ` (${timeZone})`;
}

/** A 14-point line, oldest day first, scaled to the highest day (a flat line at zero when none). */
export function sparkline(counts: number[], label: string) {
  const width = 112;
  const height = 24;
  const max = Math.max(1, ...counts);
  const step = width / (counts.length - 1);
  const points = counts.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  return { points, label, width, height };
}
