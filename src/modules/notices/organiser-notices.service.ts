import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { titleIn, type Locale } from '../../common/locale';
import { FORMAT_LOCALE } from '../../common/plural';
import { HttpSettings, PageSettings, publicLink } from '../../config/environment';
import { MailOutboxService } from '../mail/mail-outbox.service';
import { OrganisationsService } from '../organisations/organisations.service';
import type { OrganiserNoticeKind } from './organiser-notice.entity';
import { OrganiserNoticesRepository, RecordedNotice } from './organiser-notices.repository';

/** An urgent action's organisers are told this many hours before its deadline. */
export const DEADLINE_NOTICE_HOURS = 24;
const HOUR_MS = 3_600_000;

/** The percent of a milestone kind (`milestone_75` → 75); null for another kind. */
function milestonePercent(kind: OrganiserNoticeKind): number | null {
  return kind.startsWith('milestone_') ? Number(kind.slice('milestone_'.length)) : null;
}

/** What one pass did. */
export interface NoticePass {
  /** Notices recorded (a campaign jumping past several milestones records each). */
  recorded: number;
  /** Emails queued (one per organiser not disabled, per notice emailed). */
  emails: number;
}

/**
 * Emails a campaign's organisers (every one of its organisation not disabled, in the campaign's
 * language: organisers have no language of their own) when its verified count reaches 25, 50, 75
 * and 100 % of its goal, and 24 hours before a live urgent action's deadline: each once per
 * campaign. A campaign without a goal gets no milestone email.
 *
 * A sweep, not a hook in the tally's fold: it reads the folded count against the goal, so it
 * needs nothing but PostgreSQL (a flushed Redis, a crash between the fold and an email lose
 * nothing), and it also sees a goal lowered below the count. Each notice row is written
 * insert-if-absent (unique per campaign and kind) in the same transaction as its emails' outbox
 * rows: a crash leaves both or neither, two workers racing write it once, and the outbox sends
 * each email once. A campaign that passed several milestones since the last pass (10 % → 80 %)
 * records each of them but is emailed once, for the highest (75 %): the lower ones are never
 * sent later.
 */
@Injectable()
export class OrganiserNoticesService {
  private readonly logger = new Logger(OrganiserNoticesService.name);

  constructor(
    private readonly notices: OrganiserNoticesRepository,
    private readonly organisations: OrganisationsService,
    private readonly mail: MailOutboxService,
    private readonly http: HttpSettings,
    private readonly pages: PageSettings,
  ) {}

  /** One pass: records the notices owed now and queues their emails (sent after commit). */
  async sweep(now = new Date()): Promise<NoticePass> {
    const { recorded, outboxIds } = await this.notices.transaction(async (m) => {
      const due = await this.notices.recordDue(m, DEADLINE_NOTICE_HOURS);
      const ids: string[] = [];
      for (const notice of this.emailed(due)) {
        const recipients = await this.organisations.campaignRecipients(m, notice.campaign.organisationId);
        for (const organiser of recipients) ids.push(await this.queue(m, notice, organiser.id, now));
        await this.notices.setEmails(m, notice.campaignId, notice.kind, recipients.length);
      }
      return { recorded: due.length, outboxIds: ids };
    });
    await this.mail.enqueue(outboxIds);
    if (recorded) this.logger.log({ notices: recorded, emails: outboxIds.length }, 'Organiser notices queued');
    return { recorded, emails: outboxIds.length };
  }

  /** The notices to email: every deadline, and per campaign only its highest milestone just recorded. */
  private emailed(due: RecordedNotice[]): RecordedNotice[] {
    const highest = new Map<string, RecordedNotice>();
    const out: RecordedNotice[] = [];
    for (const notice of due) {
      const percent = milestonePercent(notice.kind);
      if (percent === null) {
        out.push(notice);
        continue;
      }
      const kept = highest.get(notice.campaignId);
      if (!kept || percent > milestonePercent(kept.kind)!) highest.set(notice.campaignId, notice);
    }
    return [...out, ...highest.values()];
  }

  private queue(m: EntityManager, notice: RecordedNotice, organiserId: string, now: Date): Promise<string> {
    const c = notice.campaign;
    const locale = c.locale;
    const common = {
      campaign: { title: titleIn(c, locale) },
      consoleUrl: publicLink(this.http, `/${locale}/console/campaigns/${notice.campaignId}`),
      campaignUrl: publicLink(this.http, `/${locale}/c/${encodeURIComponent(c.slug)}`),
      verified: c.verified,
    };
    const percent = milestonePercent(notice.kind);
    if (percent !== null) {
      return this.mail.addForOrganiser(m, {
        kind: 'organiser.milestone',
        toOrganiserId: organiserId,
        locale,
        payload: { ...common, share: percent / 100, goal: c.goal, reachedGoal: percent === 100 },
      });
    }
    const endsAt = c.endsAt ?? now;
    return this.mail.addForOrganiser(m, {
      kind: 'organiser.deadline-soon',
      toOrganiserId: organiserId,
      locale,
      payload: {
        ...common,
        hoursLeft: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / HOUR_MS)),
        endsAt: endsAt.toISOString(),
        endsAtText: this.deadlineText(endsAt, locale, c.timeZone ?? this.pages.PAGE_TIME_ZONE),
        goal: c.goal,
      },
    });
  }

  /** The deadline as the campaign's pages say it: date and time in its zone, with the zone's name. */
  private deadlineText(at: Date, locale: Locale, timeZone: string): string {
    return new Intl.DateTimeFormat(FORMAT_LOCALE[locale], {
      dateStyle: 'full',
      timeStyle: 'short',
      hourCycle: 'h23',
      timeZone,
    }).format(at) + ` (${timeZone})`;
  }
}
