import { Injectable } from '@nestjs/common';
import { Keyring } from '../../infra/crypto/keyring';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_AT_SQL, KeysetCursor } from '../../common/keyset-cursor';

/** Which held signatures of a campaign: these ids (null: all), held for this reason (null: any). */
export interface HeldSelection {
  ids: string[] | null;
  reason: string | null;
}

/** A held signature as organisers list it (never the email: its domain). */
export interface HeldSignature {
  id: string;
  /** Null once anonymised (retention). */
  name: string | null;
  country: string;
  city: string | null;
  heldReason: string | null;
  createdAt: Date;
  emailDomain: string | null;
  /** Its position, for the next page's cursor. */
  cursor: KeysetCursor;
}

/** A held signature just made pending, and whether it may have one more email (under the cap). */
export interface ReleasedSignature {
  id: string;
  mail: boolean;
}

interface HeldRow {
  id: string;
  name: string | null;
  country: string;
  city: string | null;
  held_reason: string | null;
  created_at: Date;
  created_at_cursor: string;
  email_domain: string | null;
}

interface ReleasedRow {
  id: string;
  mail: boolean;
}

interface IdRow {
  id: string;
}

/**
 * The SQL of held signatures (table signatures, status held). Every change locks its rows in id
 * order (as invalidations do, so the two never deadlock) and re-checks `status = 'held'` on the
 * locked row: two releases of one signature release it once, and a release racing a discard
 * leaves it released or deleted, never both.
 */
@Injectable()
export class HeldSignaturesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /** A page of the campaign's held signatures, newest first (keyset on created_at, id; the partial index signatures_held_idx). */
  async list(campaignId: string, reason: string | null, after: KeysetCursor | null, limit: number): Promise<HeldSignature[]> {
    const rows: HeldRow[] = await this.dataSource.query(
      `SELECT id, name, country, city, held_reason, created_at, ${CURSOR_AT_SQL('created_at')} AS created_at_cursor, email_domain
         FROM signatures
        WHERE campaign_id = $1 AND status = 'held'
          AND ($2::text IS NULL OR held_reason = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [campaignId, reason, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      name: this.keyring.openOrNull('signature.name', r.name),
      country: r.country,
      city: this.keyring.openOrNull('signature.city', r.city),
      heldReason: r.held_reason,
      createdAt: r.created_at,
      emailDomain: r.email_domain,
      cursor: { at: r.created_at_cursor, id: r.id },
    }));
  }

  /**
   * In the caller's transaction: the selected held signatures become pending (their reason
   * cleared; an anonymised one stays held: it has no address left to confirm from), each counting one more email if it is under `maxEmails`. Returns them, saying which
   * may be mailed.
   */
  async release(m: EntityManager, campaignId: string, selection: HeldSelection, maxEmails: number): Promise<ReleasedSignature[]> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [ReleasedRow[], number] = await m.query(
      `WITH h AS (
         SELECT id, emails_queued < $4 AS mail FROM signatures
          WHERE campaign_id = $1 AND status = 'held' AND anonymised_at IS NULL
            AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
            AND ($3::text IS NULL OR held_reason = $3)
          ORDER BY id
          FOR UPDATE
       )
       UPDATE signatures s
          SET status = 'pending', held_reason = NULL, emails_queued = s.emails_queued + h.mail::int
         FROM h
        WHERE s.id = h.id AND s.status = 'held'
       RETURNING s.id, h.mail`,
      [campaignId, selection.ids, selection.reason, maxEmails],
    );
    return rows.map((r) => ({ id: r.id, mail: r.mail }));
  }

  /** In the caller's transaction: deletes the selected held signatures (nothing of them is kept). Returns how many. */
  async discard(m: EntityManager, campaignId: string, selection: HeldSelection): Promise<number> {
    // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, deleted]: [IdRow[], number] = await m.query(
      `DELETE FROM signatures
        WHERE id IN (
          SELECT id FROM signatures
           WHERE campaign_id = $1 AND status = 'held'
             AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
             AND ($3::text IS NULL OR held_reason = $3)
           ORDER BY id
           FOR UPDATE)
          AND status = 'held'
       RETURNING id`,
      [campaignId, selection.ids, selection.reason],
    );
    return deleted;
  }
}
