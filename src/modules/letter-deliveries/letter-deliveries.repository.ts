import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_AT_SQL, type KeysetCursor } from '../../common/keyset-cursor';
import type { TargetLetterTotals } from './dto/target-letter-totals.dto';
import type { LetterStatus } from './letter.entity';

/** A letter as its campaign's organisers list it. */
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

interface IdRow {
  id: string;
}

interface TotalRow {
  total: number;
}

interface ListRow {
  id: string;
  target_id: string;
  target_name: string;
  signature_id: string | null;
  status: LetterStatus;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** A letter with its position in a keyset-paged list. */
export interface LetterPageRow extends LetterRow {
  cursor: KeysetCursor;
}

/** A letter with every column its history is told from. */
export interface LetterDetailRow extends LetterRow {
  digestId: string | null;
  claimedAt: Date | null;
  enqueuedAt: Date | null;
}

interface TargetStatusRow {
  target_id: string;
  name: string;
  /** null: a target without letters (the LEFT JOIN found none). */
  status: LetterStatus | null;
  n: number;
}

/** The SQL of the letters themselves (table letters): creation with a signature, listing and totals. */
@Injectable()
export class LetterDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Failed and bounced letters per campaign, for these campaigns (organisers' dashboard); campaigns with none are absent. */
  async undeliveredByCampaign(campaignIds: string[]): Promise<Record<string, { failed: number; bounced: number }>> {
    if (!campaignIds.length) return {};
    const rows: { campaign_id: string; failed: number; bounced: number }[] = await this.dataSource.query(
      `SELECT campaign_id, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'bounced')::int AS bounced
         FROM letters WHERE campaign_id = ANY($1::uuid[]) AND status IN ('failed', 'bounced') GROUP BY campaign_id`,
      [campaignIds],
    );
    return Object.fromEntries(rows.map((r) => [r.campaign_id, { failed: r.failed, bounced: r.bounced }]));
  }

  /**
   * In the confirming transaction: one letter per target of a per_signature campaign (suppressed
   * targets excepted). Returns how many were queued.
   */
  async createForSignature(m: EntityManager, campaignId: string, signatureId: string): Promise<number> {
    const rows: IdRow[] = await m.query(
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
   * In the caller's transaction: the letters of these signatures that have not left yet become
   * cancelled, with the reason. Not left: queued, or released but held by no sender (its send job
   * then finds it no longer sending and skips it). A letter a sender holds right now is on the wire
   * and is left to finish. Returns how many were cancelled.
   */
  async cancelForSignatures(m: EntityManager, signatureIds: string[], reason: string): Promise<number> {
    // An UPDATE answers [rows, rowCount] through TypeORM's PostgreSQL driver (no rows: nothing returned).
    const [, cancelled]: [unknown[], number] = await m.query(
      `UPDATE letters SET status = 'cancelled', last_error = $2
        WHERE signature_id = ANY($1::uuid[])
          AND (status = 'queued' OR (status = 'sending' AND (lease_until IS NULL OR lease_until < now())))`,
      [signatureIds, reason],
    );
    return cancelled;
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
    const [{ total }]: TotalRow[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM letters l WHERE ${where.join(' AND ')}`, params);
    const rows: ListRow[] = await this.dataSource.query(
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
      rows: rows.map((r) => ({
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

  /**
   * A page of the campaign's letters, newest first, after `after` (keyset: created_at, id), with
   * this status (null: any). Reads `limit` rows; the caller asks one more to know if a page follows.
   */
  async page(campaignId: string, status: LetterStatus | null, after: KeysetCursor | null, limit: number): Promise<LetterPageRow[]> {
    const rows: (ListRow & { created_at_cursor: string })[] = await this.dataSource.query(
      `SELECT l.id, l.target_id, t.name AS target_name, l.signature_id, l.status, l.attempts, l.last_error,
              l.message_id, l.created_at, ${CURSOR_AT_SQL('l.created_at')} AS created_at_cursor, l.sent_at
         FROM letters l JOIN targets t ON t.id = l.target_id
        WHERE l.campaign_id = $1
          AND ($2::text IS NULL OR l.status = $2)
          AND ($3::timestamptz IS NULL OR (l.created_at, l.id) < ($3::timestamptz, $4::uuid))
        ORDER BY l.created_at DESC, l.id DESC
        LIMIT $5`,
      [campaignId, status, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({ ...toLetterRow(r), cursor: { at: r.created_at_cursor, id: r.id } }));
  }

  /** One of the campaign's letters with its history's columns, or null. */
  async findOne(campaignId: string, letterId: string): Promise<LetterDetailRow | null> {
    const rows: (ListRow & { digest_id: string | null; claimed_at: Date | null; enqueued_at: Date | null })[] = await this.dataSource.query(
      `SELECT l.id, l.target_id, t.name AS target_name, l.signature_id, l.digest_id, l.status, l.attempts, l.last_error,
              l.message_id, l.created_at, l.claimed_at, l.enqueued_at, l.sent_at
         FROM letters l JOIN targets t ON t.id = l.target_id
        WHERE l.campaign_id = $1 AND l.id = $2`,
      [campaignId, letterId],
    );
    const r = rows[0];
    return r ? { ...toLetterRow(r), digestId: r.digest_id, claimedAt: r.claimed_at, enqueuedAt: r.enqueued_at } : null;
  }

  /** Bounced letters per target of the campaign (targets without bounces are absent). */
  async bounceCounts(campaignId: string): Promise<Record<string, number>> {
    const rows: { target_id: string; n: number }[] = await this.dataSource.query(
      `SELECT target_id, count(*)::int AS n FROM letters WHERE campaign_id = $1 AND status = 'bounced' GROUP BY target_id`,
      [campaignId],
    );
    return Object.fromEntries(rows.map((r) => [r.target_id, r.n]));
  }

  /** The target's bounced letters, the latest sent first (at most `limit`). */
  async bounced(campaignId: string, targetId: string, limit: number): Promise<{ id: string; sentAt: Date | null; lastError: string | null }[]> {
    const rows: { id: string; sent_at: Date | null; last_error: string | null }[] = await this.dataSource.query(
      `SELECT id, sent_at, last_error FROM letters
        WHERE campaign_id = $1 AND target_id = $2 AND status = 'bounced'
        ORDER BY sent_at DESC NULLS LAST, id DESC LIMIT $3`,
      [campaignId, targetId, limit],
    );
    return rows.map((r) => ({ id: r.id, sentAt: r.sent_at, lastError: r.last_error }));
  }

  /** Letters per target and status, for the campaign's stats (targets without letters too). */
  async totalsByTarget(campaignId: string): Promise<TargetLetterTotals[]> {
    const rows: TargetStatusRow[] = await this.dataSource.query(
      `SELECT t.id AS target_id, t.name, l.status, count(l.id)::int AS n
         FROM targets t LEFT JOIN letters l ON l.target_id = t.id
        WHERE t.campaign_id = $1
        GROUP BY t.id, t.name, t.created_at, l.status
        ORDER BY t.created_at, t.id`,
      [campaignId],
    );
    const byTarget = new Map<string, TargetLetterTotals>();
    for (const r of rows) {
      const entry = byTarget.get(r.target_id) ?? {
        targetId: r.target_id,
        name: r.name,
        totals: { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, cancelled: 0 },
      };
      if (r.status) entry.totals[r.status] = r.n;
      byTarget.set(r.target_id, entry);
    }
    return [...byTarget.values()];
  }
}

function toLetterRow(r: ListRow): LetterRow {
  return {
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
  };
}
