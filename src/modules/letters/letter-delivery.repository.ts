import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../infra/database/query-rows';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { LetterStatus } from './letter.entity';

/** A letter with everything its email needs. */
export interface LetterToSend {
  id: string;
  attempts: number;
  campaign: {
    locale: Locale;
    title: string;
    translations: CampaignTranslations;
    subject: string | null;
    body: string | null;
    count: number;
    /** The zone its organisers chose; null: PAGE_TIME_ZONE. */
    timeZone: string | null;
  };
  translation: { subject: string; body: string } | null;
  /** timeZone: its sending window's zone, null without one. */
  target: { name: string; email: string; locale: Locale; timeZone: string | null };
  /** A per_signature letter's supporter; null for a digest. */
  supporter: { name: string; email: string; city: string | null; comment: string | null; replyConsent: boolean } | null;
  /** A digest letter's period; null for a per_signature one. */
  digest: { campaignId: string; periodStart: Date; periodEnd: Date; supporters: number } | null;
}

/** A supporter a digest names: one who agreed to be shown. */
export interface DigestSupporter {
  name: string;
  city: string | null;
  country: string;
}

export interface LetterRow {
  id: string;
  targetId: string;
  targetName: string;
  signatureId: string | null;
  status: LetterStatus;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * Releases queued letters ($1 pace per hour, $2 at most in all, $3 one target or null for all):
 * per waiting target, its room in the last hour, then its oldest letters through its own index
 * range (LATERAL … LIMIT), round-robin across targets. Exported for the plan test.
 */
export const RELEASE_LETTERS_SQL = `WITH waiting AS (
   SELECT t.id AS target_id,
          $1 - (SELECT count(*) FROM letters c
                 WHERE c.target_id = t.id AND c.claimed_at > now() - interval '1 hour') AS room
     FROM targets t
     -- LIMIT 1 keeps this a probe per target: as EXISTS it may become a scan of every queued letter.
     CROSS JOIN LATERAL (SELECT 1 FROM letters q WHERE q.target_id = t.id AND q.status = 'queued' LIMIT 1) q
    WHERE t.suppressed_at IS NULL AND ($3::uuid IS NULL OR t.id = $3)
      AND (t.time_zone IS NULL OR (
            nida_zone_now(t.time_zone)::time >= t.window_start
        AND nida_zone_now(t.time_zone)::time < t.window_end
        AND extract(isodow FROM nida_zone_now(t.time_zone))::smallint = ANY (t.window_days)))
 ), picked AS (
   SELECT p.id, p.n
     FROM waiting w
     CROSS JOIN LATERAL (
       SELECT l.id, row_number() OVER (ORDER BY l.created_at, l.id) AS n
         FROM letters l
        WHERE l.target_id = w.target_id AND l.status = 'queued'
        ORDER BY l.created_at, l.id
        LIMIT LEAST(w.room, $2)) p
    WHERE w.room > 0
    ORDER BY p.n
    LIMIT $2
 )
 -- = ANY(ARRAY(…)): one primary-key probe per picked letter; a join here may hash the whole table.
 UPDATE letters SET status = 'sending', claimed_at = now(), enqueued_at = now()
  WHERE id = ANY (ARRAY(SELECT id FROM picked))
 RETURNING id`;

/** One lock for all dispatchers, so that two cannot both spend one target's hourly budget. */
const DISPATCH_LOCK = 4_260_004;
const DIGEST_LOCK = 4_260_005;

/** The only code that queries the letters table. */
@Injectable()
export class LetterDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * In the confirming transaction: one letter per target of a per_signature campaign (suppressed
   * targets excepted). Returns how many were queued.
   */
  async createForSignature(m: EntityManager, campaignId: string, signatureId: string): Promise<number> {
    const rows = await m.query(
      `INSERT INTO letters (campaign_id, target_id, signature_id)
       SELECT c.id, t.id, $2 FROM campaigns c JOIN targets t ON t.campaign_id = c.id
        WHERE c.id = $1 AND c.letter_mode = 'per_signature' AND t.suppressed_at IS NULL
       ON CONFLICT (signature_id, target_id) DO NOTHING
       RETURNING id`,
      [campaignId, signatureId],
    );
    return rows.length;
  }

  /**
   * Releases the oldest queued letters of each target, as many as its pace leaves room for in the
   * last hour (claimed_at counts a letter from the moment it is released), oldest first, for
   * targets not suppressed and inside their sending window (if they have one); at most `limit` in
   * all, taken round-robin across targets. Returns the ids, to enqueue. Runs under a
   * transaction-scoped advisory lock: one dispatcher at a time.
   *
   * Each target's letters are read through its own index range (LATERAL … LIMIT room), so a pass
   * touches the letters it releases and the last hour's, never the whole queue. A target whose
   * window cannot be evaluated (a time zone PostgreSQL does not know) waits and says why on the
   * target; if the pass fails for any other reason, each target is tried alone, so one bad row
   * never stops every campaign's letters. `failed` lists the targets that could not be dispatched.
   */
  async dispatch(pacePerHour: number, limit: number): Promise<{ ids: string[]; failed: { targetId: string; error: unknown }[] }> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DISPATCH_LOCK]);
      if (!locked) return { ids: [], failed: [] };
      await m.query(
        `UPDATE targets SET dispatch_error = CASE WHEN nida_zone_now(time_zone) IS NULL
                                                  THEN 'unknown time zone: ' || time_zone END
          WHERE (dispatch_error IS NOT NULL OR time_zone IS NOT NULL)
            AND dispatch_error IS DISTINCT FROM CASE WHEN nida_zone_now(time_zone) IS NULL
                                                     THEN 'unknown time zone: ' || time_zone END`,
      );
      try {
        await m.query('SAVEPOINT dispatch_all');
        const ids = await this.release(m, pacePerHour, limit, null);
        await m.query('RELEASE SAVEPOINT dispatch_all');
        return { ids, failed: [] };
      } catch {
        await m.query('ROLLBACK TO SAVEPOINT dispatch_all');
      }
      const waiting = rowsOf<{ id: string }>(
        await m.query(
          `SELECT t.id FROM targets t
            WHERE t.suppressed_at IS NULL
              AND EXISTS (SELECT 1 FROM letters l WHERE l.target_id = t.id AND l.status = 'queued')`,
        ),
      );
      const ids: string[] = [];
      const failed: { targetId: string; error: unknown }[] = [];
      for (const { id: targetId } of waiting) {
        if (ids.length >= limit) break;
        try {
          await m.query('SAVEPOINT dispatch_one');
          ids.push(...(await this.release(m, pacePerHour, limit - ids.length, targetId)));
          await m.query('RELEASE SAVEPOINT dispatch_one');
        } catch (error) {
          await m.query('ROLLBACK TO SAVEPOINT dispatch_one');
          failed.push({ targetId, error });
          await m.query(`UPDATE targets SET dispatch_error = $2 WHERE id = $1`, [
            targetId,
            `dispatch failed (${(error as { code?: string }).code ?? (error as Error).name})`,
          ]);
        }
      }
      return { ids, failed };
    });
  }

  /** One release statement, over every waiting target or only `targetId`. */
  private async release(m: EntityManager, pacePerHour: number, limit: number, targetId: string | null): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await m.query(
        RELEASE_LETTERS_SQL,
        [pacePerHour, limit, targetId],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Released letters still unsent, not held by a sender, whose job was never enqueued (Redis was
   * away) or may be lost, or whose sender's lease ran out (it died mid-send): enqueue again. Three
   * bounded index reads.
   */
  async takeLost(requeueAfterSeconds: number, limit: number): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.dataSource.query(
        `WITH fresh AS (
           SELECT id FROM letters
            WHERE status = 'sending' AND enqueued_at IS NULL AND (lease_until IS NULL OR lease_until < now())
            ORDER BY claimed_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ), stale AS (
           SELECT id FROM letters
            WHERE status = 'sending' AND enqueued_at < now() - make_interval(secs => $1)
              AND (lease_until IS NULL OR lease_until < now())
            ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ), orphaned AS (
           SELECT id FROM letters
            WHERE status = 'sending' AND lease_until < now()
            ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED
         ), lost AS (
           SELECT id FROM fresh UNION SELECT id FROM stale UNION SELECT id FROM orphaned LIMIT $2
         )
         UPDATE letters SET enqueued_at = now() WHERE id = ANY (ARRAY(SELECT id FROM lost))
         RETURNING id`,
        [requeueAfterSeconds, limit],
      ),
    );
    return rows.map((r) => r.id);
  }

  async markNotEnqueued(ids: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE letters SET enqueued_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`, [ids]);
  }

  /**
   * Takes the lease on a released letter for `leaseSeconds`, counts an attempt and loads it; null
   * when it is no longer to be sent or another sender holds it: one holder at a time.
   */
  async claim(id: string, leaseSeconds: number): Promise<LetterToSend | null> {
    const rows = await this.dataSource.query(
      `WITH l AS (
         UPDATE letters SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
          WHERE id = $1 AND status = 'sending' AND (lease_until IS NULL OR lease_until < now())
         RETURNING id, attempts, campaign_id, target_id, signature_id, digest_id)
       SELECT l.id, l.attempts, l.campaign_id, d.period_start, d.period_end, d.supporters, l.digest_id,
              c.locale AS campaign_locale, c.title, c.translations, c.letter_subject, c.letter_body, c.time_zone AS campaign_time_zone,
              coalesce(k.verified, 0) AS count,
              lt.subject AS tr_subject, lt.body AS tr_body,
              t.name AS target_name, t.email AS target_email, t.locale AS target_locale, t.time_zone AS target_time_zone,
              s.name AS supporter_name, s.email AS supporter_email, s.city, s.comment, s.reply_consent
         FROM l
         JOIN campaigns c ON c.id = l.campaign_id
         JOIN targets t ON t.id = l.target_id
         LEFT JOIN signatures s ON s.id = l.signature_id
         LEFT JOIN digests d ON d.id = l.digest_id
         LEFT JOIN campaign_counters k ON k.campaign_id = c.id
         LEFT JOIN campaign_letter_translations lt ON lt.campaign_id = c.id AND lt.locale = t.locale`,
      [id, leaseSeconds],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      attempts: r.attempts,
      campaign: {
        locale: r.campaign_locale,
        title: r.title,
        translations: r.translations,
        subject: r.letter_subject,
        body: r.letter_body,
        count: Number(r.count),
        timeZone: r.campaign_time_zone,
      },
      translation: r.tr_subject ? { subject: r.tr_subject, body: r.tr_body } : null,
      target: { name: r.target_name, email: r.target_email, locale: r.target_locale, timeZone: r.target_time_zone },
      supporter: r.digest_id
        ? null
        : { name: r.supporter_name, email: r.supporter_email, city: r.city, comment: r.comment, replyConsent: r.reply_consent },
      digest: r.digest_id
        ? { campaignId: r.campaign_id, periodStart: r.period_start, periodEnd: r.period_end, supporters: r.supporters }
        : null,
    };
  }

  /** Extends the lease of a letter still being sent (its sender is alive). */
  async renewLease(id: string, leaseSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE letters SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'sending'`,
      [id, leaseSeconds],
    );
  }

  async markSent(id: string, messageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE letters SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'sending'`,
      [id, messageId],
    );
  }

  /** Records a failed attempt and gives the lease back, so the job's retry may take it. */
  async recordError(id: string, error: string, failed: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE letters SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END, lease_until = NULL
        WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 500), failed],
    );
  }

  /**
   * Cuts the digests that are due: for each digest campaign whose last digest (or publication) is
   * at least `intervalHours` old and that has new verified supporters, one digest row and one
   * letter per target that is not suppressed. The period ends 30 s in the past, so a confirmation
   * committing right now (its verified_at a moment earlier) falls in the next period, not between
   * two. Returns how many letters were queued.
   */
  async cutDigests(intervalHours: number): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DIGEST_LOCK]);
      if (!locked) return 0;
      const rows = await m.query(
        `WITH due AS (
           SELECT c.id AS campaign_id, coalesce(max(d.period_end), c.published_at) AS period_start
             FROM campaigns c LEFT JOIN digests d ON d.campaign_id = c.id
            WHERE c.letter_mode = 'digest' AND c.published_at IS NOT NULL
            GROUP BY c.id
           HAVING now() - interval '30 seconds' - coalesce(max(d.period_end), c.published_at) >= make_interval(hours => $1)
         ), counted AS (
           SELECT due.campaign_id, due.period_start, count(*) AS n
             FROM due JOIN signatures s ON s.campaign_id = due.campaign_id
            WHERE s.status = 'verified' AND s.verified_at > due.period_start AND s.verified_at <= now() - interval '30 seconds'
            GROUP BY due.campaign_id, due.period_start
         ), cut AS (
           INSERT INTO digests (campaign_id, period_start, period_end, supporters)
           SELECT campaign_id, period_start, now() - interval '30 seconds', n FROM counted
           RETURNING id, campaign_id
         )
         INSERT INTO letters (campaign_id, target_id, digest_id)
         SELECT cut.campaign_id, t.id, cut.id FROM cut JOIN targets t ON t.campaign_id = cut.campaign_id AND t.suppressed_at IS NULL
         RETURNING id`,
        [intervalHours],
      );
      return rows.length;
    });
  }

  /**
   * The supporters a digest letter may name: verified within its period and agreed to be shown,
   * in order, a page at a time (keyset on verified_at, id), so a digest of any size is read in
   * bounded steps. Those who did not agree are counted (`supporters` on the digest), never listed.
   */
  async *digestSupporters(campaignId: string, periodStart: Date, periodEnd: Date, pageSize = 1000): AsyncGenerator<DigestSupporter[]> {
    let after: { verifiedAt: Date; id: string } | null = null;
    for (;;) {
      const rows: { id: string; name: string; city: string | null; country: string; verified_at: Date }[] = await this.dataSource.query(
        `SELECT id, name, city, country, verified_at FROM signatures
          WHERE campaign_id = $1 AND status = 'verified' AND show_name
            AND verified_at > $2 AND verified_at <= $3
            AND ($4::timestamptz IS NULL OR (verified_at, id) > ($4, $5::uuid))
          ORDER BY verified_at, id
          LIMIT $6`,
        [campaignId, periodStart, periodEnd, after?.verifiedAt ?? null, after?.id ?? null, pageSize],
      );
      if (rows.length) yield rows.map((r) => ({ name: r.name, city: r.city, country: r.country }));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { verifiedAt: last.verified_at, id: last.id };
    }
  }

  /**
   * Marks a sent letter bounced (a permanent failure reported back), and suppresses its target once
   * it has `suppressAfter` hard bounces: its waiting letters are failed and no more are created.
   */
  async recordBounce(letterId: string, status: string, suppressAfter: number): Promise<{ bounced: boolean; suppressed: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const bounced = rowsOf<{ target_id: string }>(
        await m.query(
          `UPDATE letters SET status = 'bounced', last_error = $2 WHERE id = $1 AND status IN ('sent', 'sending') RETURNING target_id`,
          [letterId, `bounced: ${status}`],
        ),
      );
      if (!bounced.length) return { bounced: false, suppressed: false };
      const targetId = bounced[0].target_id;
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM letters WHERE target_id = $1 AND status = 'bounced'`, [targetId]);
      if (n < suppressAfter) return { bounced: true, suppressed: false };
      const suppressed = rowsOf(
        await m.query(`UPDATE targets SET suppressed_at = now() WHERE id = $1 AND suppressed_at IS NULL RETURNING id`, [targetId]),
      );
      if (suppressed.length) {
        await m.query(
          `UPDATE letters SET status = 'failed', last_error = 'target suppressed after repeated hard bounces'
            WHERE target_id = $1 AND status = 'queued'`,
          [targetId],
        );
      }
      return { bounced: true, suppressed: suppressed.length > 0 };
    });
  }

  async list(
    campaignId: string,
    filter: { status?: LetterStatus; targetId?: string },
    page: number,
    pageSize: number,
  ): Promise<{ rows: LetterRow[]; total: number }> {
    const where = ['l.campaign_id = $1'];
    const params: unknown[] = [campaignId];
    if (filter.status) where.push(`l.status = $${params.push(filter.status)}`);
    if (filter.targetId) where.push(`l.target_id = $${params.push(filter.targetId)}`);
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM letters l WHERE ${where.join(' AND ')}`, params);
    const rows = await this.dataSource.query(
      `SELECT l.id, l.target_id, t.name AS target_name, l.signature_id, l.status, l.attempts, l.last_error,
              l.message_id, l.created_at, l.sent_at
         FROM letters l JOIN targets t ON t.id = l.target_id
        WHERE ${where.join(' AND ')}
        ORDER BY l.created_at DESC, l.id DESC
        LIMIT $${params.push(pageSize)} OFFSET $${params.push((page - 1) * pageSize)}`,
      params,
    );
    return {
      total,
      rows: rows.map((r: Record<string, never>) => ({
        id: r.id,
        targetId: r.target_id,
        targetName: r.target_name,
        signatureId: r.signature_id,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        messageId: r.message_id,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      })),
    };
  }

  /** Letters per target and status, for the campaign's stats. */
  async totalsByTarget(campaignId: string): Promise<{ targetId: string; name: string; totals: Record<LetterStatus, number> }[]> {
    const rows: { target_id: string; name: string; status: LetterStatus | null; n: number }[] = await this.dataSource.query(
      `SELECT t.id AS target_id, t.name, l.status, count(l.id)::int AS n
         FROM targets t LEFT JOIN letters l ON l.target_id = t.id
        WHERE t.campaign_id = $1
        GROUP BY t.id, t.name, t.created_at, l.status
        ORDER BY t.created_at, t.id`,
      [campaignId],
    );
    const byTarget = new Map<string, { targetId: string; name: string; totals: Record<LetterStatus, number> }>();
    for (const r of rows) {
      const entry = byTarget.get(r.target_id) ?? {
        targetId: r.target_id,
        name: r.name,
        totals: { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0 },
      };
      if (r.status) entry.totals[r.status] = r.n;
      byTarget.set(r.target_id, entry);
    }
    return [...byTarget.values()];
  }
}
