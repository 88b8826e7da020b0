import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '../../common/locale';
import { CaseUpdate, type SendState, type UpdateTranslations } from './case-update.entity';
import type { OptOutScope } from './update-opt-out.entity';

export interface NewUpdate {
  campaignId: string;
  locale: Locale;
  title: string;
  body: string;
  translations: UpdateTranslations;
  caseStatus: string | null;
  notify: boolean;
  createdBy: string | null;
  /** The organisation that posts (and sends) it; absent or null: the campaign's lead. */
  organisationId?: string | null;
  /** The key its post carried (a repeat with the same key finds this update). */
  requestKey?: string | null;
}

export interface DeliveryCounts {
  recipients: number;
  sent: number;
  failed: number;
  pending: number;
  skipped: number;
  cancelled: number;
}

/** A win or a public reply that an automatic notice is owed for. */
export interface NoticeCandidate {
  campaignId: string;
  sourceId: string;
  locale: Locale;
  /** The outcome, or the reply's public text (in the organiser's words); may be null for a win. */
  text: string | null;
  /** The official who replied. */
  target: string | null;
}

/** What the unsubscribe page needs of a token's signature. */
export interface UnsubscribeSubject {
  signatureId: string;
  emailHash: string | null;
  locale: Locale;
  campaignId: string;
  organisationId: string;
  campaign: { slug: string; locale: Locale; title: string; translations: Partial<Record<Locale, { title: string }>> };
  organisation: string;
}

/** The SQL of case_updates and update_opt_outs (the updates module writes both). */
@Injectable()
export class UpdatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises the posts of one campaign's updates (the weekly cap is checked under it). */
  async lockCampaign(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('case_updates:' || $1, 0))`, [campaignId]);
  }

  /** Serialises the posts that carry one request key, and finds the update an earlier one posted. */
  async byRequestKey(m: EntityManager, campaignId: string, key: string): Promise<CaseUpdate | null> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('case_updates:key:' || $1 || ':' || $2, 0))`, [campaignId, key]);
    return m.findOneBy(CaseUpdate, { campaignId, requestKey: key });
  }

  /** The notified updates of a campaign in the last `days` days, oldest first (their times). */
  async notifiedSince(m: EntityManager | null, campaignId: string, days: number): Promise<Date[]> {
    const rows: { created_at: Date }[] = await (m ?? this.dataSource.manager).query(
      `SELECT created_at FROM case_updates
        WHERE campaign_id = $1 AND notify AND send_state IS DISTINCT FROM 'cancelled' AND created_at > now() - make_interval(days => $2)
        ORDER BY created_at`,
      [campaignId, days],
    );
    return rows.map((r) => r.created_at);
  }

  async insert(m: EntityManager, u: NewUpdate): Promise<CaseUpdate> {
    const row = m.create(CaseUpdate, {
      ...u,
      sendState: u.notify ? 'sending' : null,
      fanoutEnqueuedAt: u.notify ? new Date() : null,
    });
    return m.save(CaseUpdate, row);
  }

  findForCampaign(campaignId: string, updateId: string): Promise<CaseUpdate | null> {
    return this.dataSource.manager.findOneBy(CaseUpdate, { id: updateId, campaignId });
  }

  findById(updateId: string): Promise<CaseUpdate | null> {
    return this.dataSource.manager.findOneBy(CaseUpdate, { id: updateId });
  }

  /** A campaign's updates, newest first. */
  listForCampaign(campaignId: string, limit = 200): Promise<CaseUpdate[]> {
    return this.dataSource.manager.find(CaseUpdate, { where: { campaignId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Moves a send from one of `from` to `to` (in the caller's transaction when `m` is given); returns the row when it moved. */
  async moveSend(updateId: string, from: SendState[], to: SendState, m?: EntityManager): Promise<CaseUpdate | null> {
    const manager = m ?? this.dataSource.manager;
    const [rows]: [{ id: string }[], number] = await manager.query(
      `UPDATE case_updates SET send_state = $3, finished_at = CASE WHEN $3 IN ('cancelled', 'done') THEN now() ELSE finished_at END
        WHERE id = $1 AND send_state = ANY($2::text[]) RETURNING id`,
      [updateId, from, to],
    );
    return rows.length ? manager.findOneBy(CaseUpdate, { id: updateId }) : null;
  }

  /**
   * Counts of a notified update's delivery rows by status; once retention kept them on the update
   * (`final_counts`, written before its delivery rows are deleted), those.
   */
  async counts(updateId: string): Promise<DeliveryCounts> {
    const kept: { final_counts: DeliveryCounts | null }[] = await this.dataSource.query(`SELECT final_counts FROM case_updates WHERE id = $1`, [updateId]);
    if (kept[0]?.final_counts) return kept[0].final_counts;
    const rows: { status: string; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM update_deliveries WHERE update_id = $1 GROUP BY status`,
      [updateId],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
    const counts = { sent: by.sent ?? 0, failed: by.failed ?? 0, pending: by.pending ?? 0, skipped: by.skipped ?? 0, cancelled: by.cancelled ?? 0 };
    return { recipients: Object.values(counts).reduce((a, b) => a + b, 0), ...counts };
  }

  // ── automatic notices ─────────────────────────────────────────────────────

  /** Won campaigns with automatic notices (won in the last 7 days) that have no `won` update yet. */
  wonWithoutNotice(): Promise<NoticeCandidate[]> {
    return this.dataSource.query(
      `SELECT c.id AS "campaignId", c.id AS "sourceId", c.locale, c.outcome AS text, NULL AS target
         FROM campaigns c
        WHERE c.auto_notify AND c.status = 'won' AND c.won_at > now() - interval '7 days'
          AND NOT EXISTS (SELECT 1 FROM case_updates u WHERE u.campaign_id = c.id AND u.source = 'won' AND u.source_id = c.id)
        LIMIT 50`,
    );
  }

  /** Approved replies made public in the last 7 days (an official's answer: from when it was made public), on published campaigns with automatic notices, that have no `reply` update yet. */
  publicRepliesWithoutNotice(): Promise<NoticeCandidate[]> {
    return this.dataSource.query(
      `SELECT c.id AS "campaignId", r.id AS "sourceId", c.locale, r.public_text AS text, t.name AS target
         FROM target_replies r
         JOIN targets t ON t.id = r.target_id
         JOIN campaigns c ON c.id = t.campaign_id
        WHERE c.auto_notify AND c.status NOT IN ('draft', 'in_review') AND r.status = 'approved' AND r.public_text IS NOT NULL
          AND coalesce(r.public_at, r.created_at) > now() - interval '7 days'
          AND NOT EXISTS (SELECT 1 FROM case_updates u WHERE u.campaign_id = c.id AND u.source = 'reply' AND u.source_id = r.id)
        LIMIT 50`,
    );
  }

  /** Writes an automatic notice once (its source is unique per campaign); null when it was there already. */
  async insertNotice(m: EntityManager, u: NewUpdate & { source: 'won' | 'reply'; sourceId: string }): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO case_updates (campaign_id, locale, title, body, translations, notify, send_state, fanout_enqueued_at, source, source_id)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN 'sending' END, CASE WHEN $6 THEN now() END, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [u.campaignId, u.locale, u.title, u.body, JSON.stringify(u.translations), u.notify, u.source, u.sourceId],
    );
    return rows[0]?.id ?? null;
  }

  // ── opt-outs ──────────────────────────────────────────────────────────────

  /** Records an opt-out (again: nothing changes). */
  async optOut(emailHash: string, scope: OptOutScope, scopeId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO update_opt_outs (email_hash, scope, scope_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [emailHash, scope, scopeId, reason.slice(0, 100)],
    );
  }

  /** Whether an address gets no updates of this campaign (its own opt-out, its organisation's, or a suppression). */
  async isOptedOut(emailHash: string, campaignId: string, organisationId: string): Promise<boolean> {
    const rows: { x: number }[] = await this.dataSource.query(
      `SELECT 1 AS x FROM update_opt_outs
        WHERE email_hash = $1 AND ((scope = 'campaign' AND scope_id = $2) OR (scope = 'organisation' AND scope_id = $3) OR scope = 'suppressed')
        LIMIT 1`,
      [emailHash, campaignId, organisationId],
    );
    return rows.length > 0;
  }

  /**
   * How many supporters a notified update of this campaign would email now (the fan-out's
   * recipients: verified, consenting, with an address, not opted out for the campaign or its
   * organisation, not suppressed). A count over the campaign's signatures: for the console's form.
   */
  async countRecipients(campaignId: string, organisationId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM signatures s
        WHERE s.campaign_id = $1 AND s.status = 'verified' AND s.contact_consent AND s.email_hash IS NOT NULL AND s.email IS NOT NULL
          AND s.contact_organisation_ids @> ARRAY[$2::uuid]
          AND NOT EXISTS (SELECT 1 FROM update_opt_outs x
                           WHERE x.email_hash = s.email_hash
                             AND ((x.scope = 'campaign' AND x.scope_id = $1) OR (x.scope = 'organisation' AND x.scope_id = $2) OR x.scope = 'suppressed'))`,
      [campaignId, organisationId],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * "No more updates of this campaign" from the organisation that sent the email: its lead (scope
   * `campaign`) or one partner (`partnership`, by the partnership's id), never the others'. When
   * the sender is neither any more, the whole campaign's (the stricter reading of a stop).
   */
  async optOutOfCampaign(emailHash: string, campaignId: string, senderId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO update_opt_outs (email_hash, scope, scope_id, reason)
       SELECT $1, CASE WHEN p.id IS NULL THEN 'campaign' ELSE 'partnership' END, coalesce(p.id, c.id), $4
         FROM campaigns c LEFT JOIN campaign_partners p ON p.campaign_id = c.id AND p.organisation_id = $3 AND c.organisation_id <> $3
        WHERE c.id = $2
       ON CONFLICT DO NOTHING`,
      [emailHash, campaignId, senderId, reason.slice(0, 100)],
    );
  }

  /**
   * The signature an unsubscribe token names, with its campaign and the organisation that sent the
   * email (`senderId`, when the token names one that runs the campaign; else its lead); null when gone.
   */
  async unsubscribeSubject(signatureId: string, senderId: string | null = null): Promise<UnsubscribeSubject | null> {
    const rows: {
      id: string;
      email_hash: string | null;
      locale: Locale;
      campaign_id: string;
      organisation_id: string;
      slug: string;
      campaign_locale: Locale;
      title: string;
      translations: Partial<Record<Locale, { title: string }>>;
      organisation: string;
    }[] = await this.dataSource.query(
      `SELECT s.id, s.email_hash, s.locale, c.id AS campaign_id, o.id AS organisation_id, c.slug, c.locale AS campaign_locale, c.title,
              c.translations, o.name AS organisation
         FROM signatures s JOIN campaigns c ON c.id = s.campaign_id
         JOIN organisations o ON o.id = CASE
              WHEN EXISTS (SELECT 1 FROM campaign_partners p WHERE p.campaign_id = c.id AND p.organisation_id = $2::uuid) THEN $2::uuid
              ELSE c.organisation_id END
        WHERE s.id = $1`,
      [signatureId, senderId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      signatureId: r.id,
      emailHash: r.email_hash,
      locale: r.locale,
      campaignId: r.campaign_id,
      organisationId: r.organisation_id,
      campaign: { slug: r.slug, locale: r.campaign_locale, title: r.title, translations: r.translations },
      organisation: r.organisation,
    };
  }

  // ── retention and privacy (the retention and privacy modules call these through UpdatesService) ──

  /** Updates whose send finished (done or cancelled) more than `days` days ago and still have delivery rows. */
  async finishedWithDeliveries(days: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT u.id FROM case_updates u
        WHERE u.send_state IN ('done', 'cancelled') AND u.finished_at < now() - make_interval(days => $1)
          AND EXISTS (SELECT 1 FROM update_deliveries d WHERE d.update_id = u.id)
        ORDER BY u.finished_at, u.id LIMIT $2`,
      [days, limit],
    );
    return rows.map((r) => r.id);
  }

  /** How many delivery rows those updates hold (a dry run). */
  async countFinishedDeliveries(days: number): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM update_deliveries d JOIN case_updates u ON u.id = d.update_id
        WHERE u.send_state IN ('done', 'cancelled') AND u.finished_at < now() - make_interval(days => $1)`,
      [days],
    );
    return rows[0].n;
  }

  /**
   * Keeps the update's counts on its row (once: the first purge's), so its progress reads the same
   * without its delivery rows. The send is finished: its counts no longer change.
   */
  async keepFinalCounts(updateId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [locked]: { final_counts: DeliveryCounts | null }[] = await m.query(`SELECT final_counts FROM case_updates WHERE id = $1 FOR UPDATE`, [updateId]);
      if (!locked || locked.final_counts) return;
      const rows: { status: string; n: number }[] = await m.query(
        `SELECT status, count(*)::int AS n FROM update_deliveries WHERE update_id = $1 GROUP BY status`,
        [updateId],
      );
      const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
      const counts = { sent: by.sent ?? 0, failed: by.failed ?? 0, pending: by.pending ?? 0, skipped: by.skipped ?? 0, cancelled: by.cancelled ?? 0 };
      const kept: DeliveryCounts = { recipients: Object.values(counts).reduce((a, b) => a + b, 0), ...counts };
      await m.query(`UPDATE case_updates SET final_counts = $2 WHERE id = $1`, [updateId, JSON.stringify(kept)]);
    });
  }

  /** Deletes up to `limit` of a finished update's delivery rows (its counts kept first); returns how many. Marks it purged when none is left. */
  async deleteDeliveries(updateId: string, limit: number): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM update_deliveries WHERE id IN (
         SELECT d.id FROM update_deliveries d JOIN case_updates u ON u.id = d.update_id
          WHERE d.update_id = $1 AND u.final_counts IS NOT NULL LIMIT $2)
       RETURNING id`,
      [updateId, limit],
    );
    if (deleted < limit) await this.dataSource.query(`UPDATE case_updates SET deliveries_purged_at = now() WHERE id = $1`, [updateId]);
    return deleted;
  }

  /** Erasure: deletes every opt-out of an address, in the caller's (erasing) transaction. Returns how many. */
  async deleteOptOuts(m: EntityManager, emailHash: string): Promise<number> {
    const [, deleted]: [unknown[], number] = await m.query(`DELETE FROM update_opt_outs WHERE email_hash = $1 RETURNING scope`, [emailHash]);
    return deleted;
  }
}
