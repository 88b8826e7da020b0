import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { ReplyStatus } from './target-reply.entity';

/** What an answer link opens onto: its target and the campaign it answers. */
export interface AnswerLinkRow {
  targetId: string;
  targetName: string;
  targetLocale: Locale;
  campaign: { id: string; slug: string; locale: Locale; title: string; translations: CampaignTranslations; timeZone: string | null };
}

/** A reply as its organisers see it, with who recorded it and where it stands. */
export interface ReplyDetailRow {
  id: string;
  target_id: string;
  target_name: string;
  received_on: string;
  summary: string;
  public_text: string | null;
  source: 'organiser' | 'official';
  status: ReplyStatus;
  answered_by_name: string | null;
  answered_by_position: string | null;
  decided_at: Date | null;
  created_at: Date;
}

const REPLY_COLUMNS = `r.id, r.target_id, t.name AS target_name, to_char(r.received_on, 'YYYY-MM-DD') AS received_on, r.summary, r.public_text,
  r.source, r.status, r.answered_by_name, r.answered_by_position, r.decided_at, r.created_at`;

/** The SQL of officials' answers: the targets' link seeds and the answers in target_replies. */
@Injectable()
export class TargetAnswersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Gives the target its link seed and hash unless it has one; answers the seed and hash it has (null: no such target). */
  async ensureSeed(targetId: string, seed: Buffer, hash: Buffer): Promise<{ seed: Buffer; hash: Buffer | null } | null> {
    await this.dataSource.query(`UPDATE targets SET answer_seed = $2, answer_token_hash = $3 WHERE id = $1 AND answer_seed IS NULL`, [targetId, seed, hash]);
    const rows: { answer_seed: Buffer; answer_token_hash: Buffer | null }[] = await this.dataSource.query(
      `SELECT answer_seed, answer_token_hash FROM targets WHERE id = $1`,
      [targetId],
    );
    return rows[0] ? { seed: rows[0].answer_seed, hash: rows[0].answer_token_hash } : null;
  }

  /** After APP_SECRET changed: the hash of the token the seed now makes. */
  async setHash(targetId: string, hash: Buffer): Promise<void> {
    await this.dataSource.query(`UPDATE targets SET answer_token_hash = $2 WHERE id = $1`, [targetId, hash]);
  }

  /**
   * The target whose link hashes to `hash`, while the link works: its campaign is published, and
   * live, or closed (or won) less than `daysAfterClose` days ago. Null otherwise, whatever the reason.
   */
  async openLink(hash: Buffer, daysAfterClose: number): Promise<AnswerLinkRow | null> {
    const rows: {
      target_id: string;
      target_name: string;
      target_locale: Locale;
      campaign_id: string;
      slug: string;
      locale: Locale;
      title: string;
      translations: CampaignTranslations;
      time_zone: string | null;
    }[] = await this.dataSource.query(
      `SELECT t.id AS target_id, t.name AS target_name, t.locale AS target_locale,
              c.id AS campaign_id, c.slug, c.locale, c.title, c.translations, c.time_zone
         FROM targets t JOIN campaigns c ON c.id = t.campaign_id
        WHERE t.answer_token_hash = $1
          AND (c.status = 'live'
               OR (c.status IN ('closed', 'won')
                   AND coalesce(greatest(c.closed_at, c.won_at), now()) > now() - make_interval(days => $2)))`,
      [hash, daysAfterClose],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      targetId: r.target_id,
      targetName: r.target_name,
      targetLocale: r.target_locale,
      campaign: { id: r.campaign_id, slug: r.slug, locale: r.locale, title: r.title, translations: r.translations ?? {}, timeZone: r.time_zone },
    };
  }

  /**
   * Stores an official's answer, pending approval, unless the target's link already sent `perDay`
   * answers in the last 24 hours: the target's row is locked, so racing posts count each other.
   * Answers the new reply's id, or null when over the limit.
   */
  async insertAnswer(
    targetId: string,
    a: { receivedOn: string; text: string; name: string | null; position: string | null },
    perDay: number,
  ): Promise<string | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT 1 FROM targets WHERE id = $1 FOR UPDATE`, [targetId]);
      const [{ n }]: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM target_replies WHERE target_id = $1 AND source = 'official' AND created_at > now() - interval '1 day'`,
        [targetId],
      );
      if (n >= perDay) return null;
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO target_replies (target_id, received_on, summary, source, status, answered_by_name, answered_by_position)
         VALUES ($1, $2, $3, 'official', 'pending_approval', $4, $5) RETURNING id`,
        [targetId, a.receivedOn, a.text, a.name, a.position],
      );
      return row.id;
    });
  }

  /** The campaign's replies (all targets, or one), latest day first (then latest recorded); `status` narrows them. */
  async list(campaignId: string, filter: { targetId?: string; status?: ReplyStatus }): Promise<ReplyDetailRow[]> {
    return this.dataSource.query(
      `SELECT ${REPLY_COLUMNS}
         FROM target_replies r JOIN targets t ON t.id = r.target_id
        WHERE t.campaign_id = $1 AND ($2::uuid IS NULL OR r.target_id = $2) AND ($3::text IS NULL OR r.status = $3)
        ORDER BY r.received_on DESC, r.created_at DESC, r.id DESC
        LIMIT 500`,
      [campaignId, filter.targetId ?? null, filter.status ?? null],
    );
  }

  async find(campaignId: string, targetId: string, replyId: string): Promise<ReplyDetailRow | null> {
    const rows: ReplyDetailRow[] = await this.dataSource.query(
      `SELECT ${REPLY_COLUMNS} FROM target_replies r JOIN targets t ON t.id = r.target_id
        WHERE t.campaign_id = $1 AND r.target_id = $2 AND r.id = $3`,
      [campaignId, targetId, replyId],
    );
    return rows[0] ?? null;
  }

  /**
   * Approves (with its text public or not) or rejects a pending answer, once: null when it was no
   * longer pending (another organiser decided first).
   */
  async decide(replyId: string, to: 'approved' | 'rejected', makePublic: boolean): Promise<string | null> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE target_replies
          SET status = $2, decided_at = now(),
              public_text = CASE WHEN $3 THEN summary END, public_at = CASE WHEN $3 THEN now() END
        WHERE id = $1 AND status = 'pending_approval' AND source = 'official' RETURNING id`,
      [replyId, to, to === 'approved' && makePublic],
    );
    return rows[0]?.id ?? null;
  }

  /** Shows an approved answer's text on the campaign page, or stops showing it. False when it is not an approved answer. */
  async setPublic(replyId: string, makePublic: boolean): Promise<boolean> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE target_replies
          SET public_text = CASE WHEN $2 THEN summary END,
              public_at = CASE WHEN $2 THEN coalesce(public_at, now()) END
        WHERE id = $1 AND status = 'approved' AND source = 'official' RETURNING id`,
      [replyId, makePublic],
    );
    return rows.length > 0;
  }
}
