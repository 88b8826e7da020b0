import { Injectable, Logger } from '@nestjs/common';
import { HttpSettings, publicLink, TrendingSettings } from '../../config/environment';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { shareOf } from './trending.service';
import type { SourceCount } from './trending.repository';
import { TrendingRepository } from './trending.repository';
import { NewTrendingAlert, TrendingAlertsRepository } from './trending-alerts.repository';

/** An alert about to be recorded, with the counts its email tells. */
type Alert = NewTrendingAlert & { counted: SourceCount };

/**
 * Trending alerts: admins are emailed when one source (a client address's keyed hash, an email
 * domain, a country) brings one campaign more than TRENDING_ALERT_THRESHOLD new signatures in one
 * window, once per source, campaign and window. Windows are TRENDING_INTERVAL_MINUTES long and
 * start at multiples of it (UTC, from the epoch), so "once per window" means the same to every
 * worker. Each pass counts the window under way and the one before it (whose end the previous
 * pass may not have seen).
 *
 * Never twice: the alert rows (unique per campaign, source and window) and the admins' emails
 * are written in one transaction, under an advisory lock (one alerting worker at a time), and the
 * emails go through the mail outbox, whose sends are leased and idempotent. A crash after the
 * commit, or a Redis flush, leaves the rows to the outbox relay; running the pass again finds the
 * alerts recorded and writes nothing.
 */
@Injectable()
export class TrendingAlertService {
  private readonly logger = new Logger(TrendingAlertService.name);

  constructor(
    private readonly counts: TrendingRepository,
    private readonly alerts: TrendingAlertsRepository,
    private readonly organisations: OrganisationsService,
    private readonly mail: MailOutboxService,
    private readonly settings: TrendingSettings,
    private readonly http: HttpSettings,
  ) {}

  /** One pass at `now`; returns how many new alerts were recorded (each emailed to every admin). */
  async alertPass(now = new Date()): Promise<number> {
    const windowSeconds = this.settings.TRENDING_INTERVAL_MINUTES * 60;
    const windowMs = windowSeconds * 1000;
    const currentStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const { alerted, outboxIds } = await this.alerts.transaction(async (m) => {
      if (!(await this.alerts.tryLock(m))) return { alerted: 0, outboxIds: [] };
      const over = await this.counts.sourceCounts(
        {
          from: new Date(currentStart - windowMs),
          to: now,
          origin: new Date(0),
          windowSeconds,
          top: null,
          above: this.settings.TRENDING_ALERT_THRESHOLD,
        },
        m,
      );
      const candidates: Alert[] = over.map((counted) => ({
        campaignId: counted.campaignId,
        sourceType: counted.sourceType,
        source: counted.source,
        windowStart: counted.windowStart,
        windowEnd: new Date(counted.windowStart.getTime() + windowMs),
        newSignatures: counted.count,
        counted,
      }));
      const recorded = await this.alerts.recordNew(m, candidates);
      if (!recorded.length) return { alerted: 0, outboxIds: [] };
      const admins = await this.organisations.adminRecipients();
      const ids: string[] = [];
      for (const alert of recorded) {
        const payload = this.payload(alert, now);
        for (const admin of admins) {
          ids.push(
            await this.mail.addForOrganiser(m, {
              kind: 'admin.trending-alert',
              toOrganiserId: admin.id,
              locale: alert.counted.campaign.locale,
              payload,
            }),
          );
        }
      }
      return { alerted: recorded.length, outboxIds: ids };
    });
    await this.mail.enqueue(outboxIds);
    if (alerted) this.logger.warn({ alerts: alerted, emails: outboxIds.length }, 'Trending sources: admins alerted');
    return alerted;
  }

  /**
   * What the email says: the campaign, the source, its count and share of the campaign's new
   * signatures, the window (up to now while it runs) and the threshold. Counts, a hash, a domain
   * or a country: never a supporter's email or name.
   */
  private payload(alert: Alert, now: Date): Record<string, unknown> {
    const { counted } = alert;
    return {
      campaign: { title: counted.campaign.title },
      campaignUrl: publicLink(this.http, `/c/${encodeURIComponent(counted.campaign.slug)}`),
      source: {
        value: counted.source,
        isIp: counted.sourceType === 'ip',
        isDomain: counted.sourceType === 'domain',
        isCountry: counted.sourceType === 'country',
      },
      newSignatures: counted.count,
      total: counted.total,
      share: shareOf(counted.count, counted.total),
      window: {
        start: alert.windowStart.toISOString(),
        end: new Date(Math.min(alert.windowEnd.getTime(), now.getTime())).toISOString(),
      },
      threshold: this.settings.TRENDING_ALERT_THRESHOLD,
    };
  }
}
