import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '../../common/locale';
import { MailOutboxService } from '../mail/mail-outbox.service';
import type { PrivacyRequestKind } from './dto/privacy-request-kind.dto';

/** A request to record if its address has signed something. */
export interface NewPrivacyRequest {
  kind: PrivacyRequestKind;
  emailHash: string;
  /** Null: the language of the supporter's latest signature. */
  locale: Locale | null;
  /** Erasures: the link's token (its hash is stored, its seed goes in the email's outbox row). */
  token: { hash: Buffer; seed: Buffer } | null;
  expiresAt: Date;
  /** Requests of this kind for this address in the last day after which nothing more is stored or sent. */
  dailyCap: number;
}

/** An erasure request found by its token's hash. */
export interface ErasureRequest {
  id: string;
  tokenHash: Buffer;
  emailHash: string | null;
  locale: Locale;
  expiresAt: Date;
  usedAt: Date | null;
}

interface OutboxRow {
  outbox_id: string | null;
}

interface ErasureRow {
  id: string;
  token_hash: Buffer;
  email_hash: string | null;
  locale: Locale;
  expires_at: Date;
  used_at: Date | null;
}

interface IdRow {
  id: string;
}

/**
 * The request and its email, in one statement, only when the address has a signature (not
 * anonymised: an anonymised one has no index left) and has not had `dailyCap` requests of this
 * kind in the last day. Either way one statement, one round trip: the caller answers the same.
 * $1 kind, $2 email hash, $3 locale or null, $4 token hash or null, $5 expiry, $6 cap, $7 token seed or null.
 * The supporter's latest locale is read through the email's blind index alone (OFFSET 0 keeps the
 * planner from walking signatures by `created_at` instead, as it did for the mail claim).
 */
function insertSql(outbox: MailOutboxService, kind: PrivacyRequestKind): string {
  const mail = outbox.privacyRequestCte('o', 'r', kind === 'erasure' ? 'privacy.erasure-link' : 'privacy.access-report', '$7');
  return `WITH r AS (
         INSERT INTO privacy_requests (kind, email_hash, locale, token_hash, expires_at)
         SELECT $1::text, $2::text,
                coalesce($3::text, (SELECT x.locale FROM (SELECT locale, created_at FROM signatures WHERE email_hash = $2::text OFFSET 0) x
                                   ORDER BY x.created_at DESC LIMIT 1)),
                $4::bytea, $5::timestamptz
          WHERE EXISTS (SELECT 1 FROM signatures WHERE email_hash = $2::text)
            AND (SELECT count(*) FROM privacy_requests
                  WHERE email_hash = $2::text AND kind = $1::text AND created_at > now() - interval '1 day') < $6::int
         RETURNING id
       ), ${mail}
       SELECT (SELECT id FROM o) AS outbox_id`;
}

/** The only code that queries privacy_requests (the mail module reads them when it sends their email). */
@Injectable()
export class PrivacyRepository {
  /** Built once, at boot: the statement of each kind (see insertSql). */
  private readonly insertSql: Record<PrivacyRequestKind, string>;

  constructor(
    private readonly dataSource: DataSource,
    outbox: MailOutboxService,
  ) {
    this.insertSql = { erasure: insertSql(outbox, 'erasure'), access: insertSql(outbox, 'access') };
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Records the request and its email when the address has signed (and is under its daily cap); the email's outbox id, else null. */
  async insertIfSigned(r: NewPrivacyRequest): Promise<string | null> {
    const rows: OutboxRow[] = await this.dataSource.query(this.insertSql[r.kind], [
      r.kind,
      r.emailHash,
      r.locale,
      r.token?.hash ?? null,
      r.expiresAt,
      r.dailyCap,
      r.token?.seed ?? null,
    ]);
    return rows[0]?.outbox_id ?? null;
  }

  async findErasure(tokenHash: Buffer): Promise<ErasureRequest | null> {
    const rows: ErasureRow[] = await this.dataSource.query(
      `SELECT id, token_hash, email_hash, locale, expires_at, used_at FROM privacy_requests WHERE token_hash = $1 AND kind = 'erasure'`,
      [tokenHash],
    );
    return rows[0] ? erasureOf(rows[0]) : null;
  }

  /** The request again, locked, in the erasing transaction (two presses of the button erase once). */
  async lockErasure(m: EntityManager, id: string): Promise<ErasureRequest | null> {
    const rows: ErasureRow[] = await m.query(
      `SELECT id, token_hash, email_hash, locale, expires_at, used_at FROM privacy_requests WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? erasureOf(rows[0]) : null;
  }

  /** The erasure is done: stamped, and its address's index dropped (the request no longer says whose it was). */
  async markUsed(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE privacy_requests SET used_at = now(), email_hash = NULL WHERE id = $1`, [id]);
  }

  /**
   * Deletes the address's other requests (their emails with them, sent or not: the outbox rows
   * cascade): once it is erased there is nothing left to send it, and nothing should say it asked.
   */
  async deleteForEmailHash(m: EntityManager, emailHash: string): Promise<number> {
    // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, deleted]: [IdRow[], number] = await m.query(`DELETE FROM privacy_requests WHERE email_hash = $1 RETURNING id`, [emailHash]);
    return deleted;
  }

  /** Deletes requests a day past their expiry (by then they no longer count towards the daily cap, and their links are dead). */
  async purgeExpired(): Promise<number> {
    const [, deleted]: [IdRow[], number] = await this.dataSource.query(
      `DELETE FROM privacy_requests WHERE expires_at < now() - interval '1 day' RETURNING id`,
    );
    return deleted;
  }
}

function erasureOf(r: ErasureRow): ErasureRequest {
  return { id: r.id, tokenHash: r.token_hash, emailHash: r.email_hash, locale: r.locale, expiresAt: r.expires_at, usedAt: r.used_at };
}
