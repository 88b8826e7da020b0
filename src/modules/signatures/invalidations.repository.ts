import { Injectable } from '@nestjs/common';
import { Keyring } from '../../infra/crypto/keyring';
import { DataSource, EntityManager } from 'typeorm';
import type { InvalidationStatus } from './dto/create-invalidation.dto';
import { emailPatternRegExp } from './email-pattern';
import { CURSOR_AT_SQL, KeysetCursor } from '../../common/keyset-cursor';
import type { SignatureStatus } from './signature.entity';

/** What an invalidation matches, ready for SQL: every field given must hold. */
export interface InvalidationMatch {
  ipHash?: string;
  /** Lower case. */
  domain?: string;
  /** A glob (see email-pattern.ts) the whole email must match: emails are sealed, so it is matched here once opened. */
  emailPattern?: string;
  /** created_at >= from. */
  from?: Date;
  /** created_at < to. */
  to?: Date;
  statuses: readonly InvalidationStatus[];
}

/** A recorded invalidation, as stored. */
export interface InvalidationRecord {
  id: string;
  campaignId: string;
  criteria: Record<string, unknown>;
  reason: string;
  matched: number;
  createdBy: string | null;
  createdAt: Date;
  cursor: KeysetCursor;
}

/** A verified signature just invalidated: what the tally knew it by. */
export interface InvalidatedSignature {
  id: string;
  country: string;
  /** The UTC day it was counted on (`YYYY-MM-DD`). */
  day: string;
}

/** A matching signature, locked. */
export interface LockedSignature {
  id: string;
  status: SignatureStatus;
}

interface CountRow {
  status: SignatureStatus;
  n: number;
}

interface InvalidationRow {
  id: string;
  campaign_id: string;
  criteria: Record<string, unknown>;
  reason: string;
  matched: number;
  created_by: string | null;
  created_at: Date;
  created_at_cursor: string;
}

interface LockedRow {
  id: string;
  status: SignatureStatus;
  /** Sealed; null once anonymised. */
  email: string | null;
}

interface InvalidatedRow {
  id: string;
  country: string;
  day: string;
}

interface IdRow {
  id: string;
}

const RECORD_COLUMNS = `id, campaign_id, criteria, reason, matched, created_by, created_at, ${CURSOR_AT_SQL('created_at')} AS created_at_cursor`;

/** The SQL of bulk invalidations: the table invalidations, and the status changes they make to signatures. */
@Injectable()
export class InvalidationsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** How many of the campaign's signatures match, by status (a dry run). */
  async countMatching(campaignId: string, match: InvalidationMatch): Promise<Map<SignatureStatus, number>> {
    const { where, params } = matchSql(campaignId, match);
    if (match.emailPattern !== undefined) {
      const rows: LockedRow[] = await this.dataSource.query(`SELECT id, status, email FROM signatures WHERE ${where}`, params);
      const counts = new Map<SignatureStatus, number>();
      for (const r of this.byEmail(rows, match.emailPattern)) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      return counts;
    }
    const rows: CountRow[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM signatures WHERE ${where} GROUP BY status`,
      params,
    );
    return new Map(rows.map((r) => [r.status, r.n]));
  }

  /**
   * The rows whose email matches the pattern. Emails are sealed, so PostgreSQL narrows by the
   * other criteria and the rest is matched here, opened one at a time and never kept.
   */
  private byEmail(rows: LockedRow[], pattern: string | undefined): LockedRow[] {
    if (pattern === undefined) return rows;
    const matcher = emailPatternRegExp(pattern);
    return rows.filter((r) => r.email !== null && matcher.test(this.keyring.open('signature.email', r.email)));
  }

  /**
   * In the caller's transaction: locks the matching signatures (FOR UPDATE, in id order) and
   * returns them. A signature being confirmed right now is waited for and then taken as verified;
   * one confirmed after this waits for the invalidation and finds it no longer pending.
   */
  async lockMatching(m: EntityManager, campaignId: string, match: InvalidationMatch): Promise<LockedSignature[]> {
    const { where, params } = matchSql(campaignId, match);
    const rows: LockedRow[] = await m.query(`SELECT id, status, email FROM signatures WHERE ${where} ORDER BY id FOR UPDATE`, params);
    return this.byEmail(rows, match.emailPattern).map((r) => ({ id: r.id, status: r.status }));
  }

  /** Records an invalidation (its count set once known, by setMatched) in the caller's transaction. */
  async insert(
    m: EntityManager,
    row: { campaignId: string; criteria: Record<string, unknown>; reason: string; createdBy: string },
  ): Promise<string> {
    const rows: IdRow[] = await m.query(
      `INSERT INTO invalidations (campaign_id, criteria, reason, matched, created_by) VALUES ($1, $2, $3, 0, $4) RETURNING id`,
      [row.campaignId, JSON.stringify(row.criteria), row.reason, row.createdBy],
    );
    return rows[0].id;
  }

  async setMatched(m: EntityManager, id: string, matched: number): Promise<InvalidationRecord> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [InvalidationRow[], number] = await m.query(
      `UPDATE invalidations SET matched = $2 WHERE id = $1 RETURNING ${RECORD_COLUMNS}`,
      [id, matched],
    );
    return toRecord(rows[0]);
  }

  /** Verified signatures (of those locked) become invalidated, marked with the invalidation. */
  async invalidate(m: EntityManager, ids: string[], invalidationId: string): Promise<InvalidatedSignature[]> {
    if (!ids.length) return [];
    const [rows]: [InvalidatedRow[], number] = await m.query(
      `UPDATE signatures SET status = 'invalidated', invalidation_id = $2
        WHERE id = ANY($1::uuid[]) AND status = 'verified'
       RETURNING id, country, to_char((verified_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day`,
      [ids, invalidationId],
    );
    return rows.map((r) => ({ id: r.id, country: r.country, day: r.day }));
  }

  /**
   * Pending and held signatures (of those locked) are deleted: they were never counted, and
   * nothing of them is kept (their tokens and unsent emails go with them).
   */
  async deleteUnconfirmed(m: EntityManager, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const [, deleted]: [IdRow[], number] = await m.query(
      `DELETE FROM signatures WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'held') RETURNING id`,
      [ids],
    );
    return deleted;
  }

  /** A page of the campaign's invalidations, newest first. */
  async list(campaignId: string, after: KeysetCursor | null, limit: number): Promise<InvalidationRecord[]> {
    const rows: InvalidationRow[] = await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS} FROM invalidations
        WHERE campaign_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [campaignId, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map(toRecord);
  }
}

/** The WHERE clause and its parameters for a match; every value is a parameter. */
function matchSql(campaignId: string, match: InvalidationMatch): { where: string; params: unknown[] } {
  const params: unknown[] = [campaignId, [...match.statuses]];
  const where = ['campaign_id = $1', 'status = ANY($2::text[])'];
  if (match.ipHash !== undefined) where.push(`ip_hash = $${params.push(match.ipHash)}`);
  if (match.domain !== undefined) where.push(`email_domain = $${params.push(match.domain)}`);
  if (match.from !== undefined) where.push(`created_at >= $${params.push(match.from)}`);
  if (match.to !== undefined) where.push(`created_at < $${params.push(match.to)}`);
  return { where: where.join(' AND '), params };
}

function toRecord(r: InvalidationRow): InvalidationRecord {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    criteria: r.criteria,
    reason: r.reason,
    matched: r.matched,
    createdBy: r.created_by,
    createdAt: r.created_at,
    cursor: { at: r.created_at_cursor, id: r.id },
  };
}
