import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_AT_SQL, type KeysetCursor } from '../../common/keyset-cursor';
import { Keyring } from '../../infra/crypto/keyring';
import type { CommentStatus } from './dto/comment-query.dto';

/** Which comments the public page shows under a campaign's `comments` setting. */
export type PublicCommentRule = 'approved' | 'not_hidden';

export interface ModeratedComment {
  signatureId: string;
  text: string;
  name: string | null;
  city: string | null;
  country: string;
  showName: boolean;
  status: CommentStatus;
  verifiedAt: Date;
  moderatedAt: Date | null;
  cursor: KeysetCursor;
}

export interface PublicComment {
  text: string;
  /** Opened only for a supporter who chose to be shown. */
  name: string | null;
  city: string | null;
  date: string;
  cursor: KeysetCursor;
}

/** What a signature is, for telling why a moderation changed nothing. */
export interface CommentState {
  status: string;
  commentStatus: CommentStatus;
  hasComment: boolean;
}

interface CommentRow {
  id: string;
  comment: string;
  name: string | null;
  city: string | null;
  country: string;
  show_name: boolean;
  comment_status: CommentStatus;
  verified_at: Date;
  comment_moderated_at: Date | null;
  at: string;
}

interface PublicRow {
  id: string;
  comment: string;
  name: string | null;
  city: string | null;
  day: string;
  at: string;
}

/**
 * The SQL of supporters' comments (signatures the signatures module writes): the organisers'
 * moderation queue, their decisions, and the public wall. Every list reads only confirmed
 * signatures that still hold a comment — an invalidated one has another status, and anonymising
 * (retention, erasure) empties the comment — through signatures_comments_idx, newest first.
 */
@Injectable()
export class CommentsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Up to `limit` comments of one status after `after`, newest first. */
  async page(campaignId: string, status: CommentStatus, after: KeysetCursor | null, limit: number): Promise<ModeratedComment[]> {
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT id, comment, name, city, country, show_name, comment_status, verified_at, comment_moderated_at,
              ${CURSOR_AT_SQL('verified_at')} AS at
         FROM signatures
        WHERE campaign_id = $1 AND comment IS NOT NULL AND status = 'verified' AND comment_status = $2
          AND ($3::timestamptz IS NULL OR (verified_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY verified_at DESC, id DESC
        LIMIT $5`,
      [campaignId, status, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      signatureId: r.id,
      text: this.keyring.open('signature.comment', r.comment),
      name: this.keyring.openOrNull('signature.name', r.name),
      city: this.keyring.openOrNull('signature.city', r.city),
      country: r.country,
      showName: r.show_name,
      status: r.comment_status,
      verifiedAt: r.verified_at,
      moderatedAt: r.comment_moderated_at,
      cursor: { at: r.at, id: r.id },
    }));
  }

  /**
   * The public wall: up to `limit` comments after `after`, newest first, dated in `zone`. The name
   * and city are opened only for a supporter who chose to be shown (the one place besides the
   * recent signers where a public path opens sealed data).
   */
  async publicPage(campaignId: string, rule: PublicCommentRule, zone: string, after: KeysetCursor | null, limit: number): Promise<PublicComment[]> {
    const rows: PublicRow[] = await this.dataSource.query(
      `SELECT id, comment, CASE WHEN show_name THEN name END AS name, CASE WHEN show_name THEN city END AS city,
              to_char((verified_at AT TIME ZONE $3)::date, 'YYYY-MM-DD') AS day, ${CURSOR_AT_SQL('verified_at')} AS at
         FROM signatures
        WHERE campaign_id = $1 AND comment IS NOT NULL AND status = 'verified'
          AND (CASE WHEN $2 = 'approved' THEN comment_status = 'approved' ELSE comment_status <> 'hidden' END)
          AND ($4::timestamptz IS NULL OR (verified_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY verified_at DESC, id DESC
        LIMIT $6`,
      [campaignId, rule, zone, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      text: this.keyring.open('signature.comment', r.comment),
      name: this.keyring.openOrNull('signature.name', r.name),
      city: this.keyring.openOrNull('signature.city', r.city),
      date: r.day,
      cursor: { at: r.at, id: r.id },
    }));
  }

  /**
   * In the caller's transaction: sets the comments of these signatures to `to`, where that changes
   * something (an approval only of confirmed signatures); returns the ids changed and the status
   * each had. Row locks make two organisers pressing at once change (and audit) a comment once.
   */
  async setStatus(m: EntityManager, campaignId: string, ids: string[], to: CommentStatus): Promise<{ id: string; from: CommentStatus }[]> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [{ id: string; from: CommentStatus }[], number] = await m.query(
      `WITH target AS (
         SELECT id, comment_status FROM signatures
          WHERE campaign_id = $1 AND id = ANY($2::uuid[]) AND comment IS NOT NULL AND comment_status <> $3
            AND ($3 <> 'approved' OR status = 'verified')
          ORDER BY id FOR UPDATE)
       UPDATE signatures s SET comment_status = $3, comment_moderated_at = now()
         FROM target t
        WHERE s.id = t.id AND s.comment_status <> $3
       RETURNING s.id, t.comment_status AS "from"`,
      [campaignId, ids, to],
    );
    return rows;
  }

  /** One signature's state, for telling why a moderation changed nothing (null: not this campaign's). */
  async state(campaignId: string, id: string): Promise<CommentState | null> {
    const rows: { status: string; comment_status: CommentStatus; has_comment: boolean }[] = await this.dataSource.query(
      `SELECT status, comment_status, comment IS NOT NULL AS has_comment FROM signatures WHERE campaign_id = $1 AND id = $2`,
      [campaignId, id],
    );
    return rows[0] ? { status: rows[0].status, commentStatus: rows[0].comment_status, hasComment: rows[0].has_comment } : null;
  }

  /** In the caller's transaction: turns off showName; whether it was on (false: already off, or no such signature). */
  async hideName(m: EntityManager, campaignId: string, id: string): Promise<boolean> {
    const [, changed]: [unknown[], number] = await m.query(
      `UPDATE signatures SET show_name = false WHERE campaign_id = $1 AND id = $2 AND show_name RETURNING id`,
      [campaignId, id],
    );
    return changed > 0;
  }

  /** Whether the campaign has this signature. */
  async exists(campaignId: string, id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM signatures WHERE campaign_id = $1 AND id = $2`, [campaignId, id]);
    return rows.length > 0;
  }
}
