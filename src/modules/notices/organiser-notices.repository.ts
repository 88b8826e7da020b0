import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { OrganiserNoticeKind } from './organiser-notice.entity';

/** A notice just recorded, with what its emails say of its campaign. */
export interface RecordedNotice {
  campaignId: string;
  kind: OrganiserNoticeKind;
  campaign: {
    organisationId: string;
    slug: string;
    locale: Locale;
    title: string;
    translations: CampaignTranslations;
    goal: number | null;
    verified: number;
    endsAt: Date | null;
    timeZone: string | null;
  };
}

interface RecordedRow {
  campaign_id: string;
  kind: OrganiserNoticeKind;
  organisation_id: string;
  slug: string;
  locale: Locale;
  title: string;
  translations: CampaignTranslations;
  goal: number | null;
  verified: string | null;
  ends_at: Date | null;
  time_zone: string | null;
}

/** The only code that writes organiser_notices. */
@Injectable()
export class OrganiserNoticesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Records, in the caller's transaction, every notice now owed and not yet recorded, and returns
   * them: each milestone (25, 50, 75, 100 % of the goal) the folded count of a live campaign with
   * a goal has reached, and the deadline of a live urgent action ending within `deadlineHours`
   * (not yet ended). Insert-if-absent on (campaign, kind): a second worker running the same pass
   * waits for the first's commit and records nothing.
   */
  async recordDue(m: EntityManager, deadlineHours: number): Promise<RecordedNotice[]> {
    const rows: RecordedRow[] = await m.query(
      `WITH owed AS (
         SELECT c.id AS campaign_id, 'milestone_' || p.percent AS kind
           FROM campaigns c
           JOIN campaign_counters k ON k.campaign_id = c.id
          CROSS JOIN (VALUES (25), (50), (75), (100)) AS p (percent)
          WHERE c.status = 'live' AND c.goal IS NOT NULL AND c.goal > 0
            AND k.verified::bigint * 100 >= c.goal::bigint * p.percent
         UNION ALL
         SELECT c.id, 'deadline_24h'
           FROM campaigns c
          WHERE c.status = 'live' AND c.kind = 'urgent_action'
            AND c.ends_at > now() AND c.ends_at <= now() + make_interval(hours => $1)
       ), recorded AS (
         INSERT INTO organiser_notices (campaign_id, kind)
         SELECT o.campaign_id, o.kind FROM owed o
          WHERE NOT EXISTS (SELECT 1 FROM organiser_notices n WHERE n.campaign_id = o.campaign_id AND n.kind = o.kind)
         ON CONFLICT DO NOTHING
         RETURNING campaign_id, kind
       )
       SELECT r.campaign_id, r.kind, c.organisation_id, c.slug, c.locale, c.title, c.translations, c.goal,
              k.verified, c.ends_at, c.time_zone
         FROM recorded r
         JOIN campaigns c ON c.id = r.campaign_id
         LEFT JOIN campaign_counters k ON k.campaign_id = r.campaign_id
        ORDER BY r.campaign_id, r.kind`,
      [deadlineHours],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      kind: r.kind,
      campaign: {
        organisationId: r.organisation_id,
        slug: r.slug,
        locale: r.locale,
        title: r.title,
        translations: r.translations,
        goal: r.goal,
        verified: Number(r.verified ?? 0),
        endsAt: r.ends_at,
        timeZone: r.time_zone,
      },
    }));
  }

  /** How many emails a notice queued. */
  async setEmails(m: EntityManager, campaignId: string, kind: OrganiserNoticeKind, emails: number): Promise<void> {
    await m.query(`UPDATE organiser_notices SET emails = $3 WHERE campaign_id = $1 AND kind = $2`, [campaignId, kind, emails]);
  }
}
