import { Injectable } from '@nestjs/common';
import { Keyring } from '../../infra/crypto/keyring';
import { DataSource } from 'typeorm';
import type { CampaignTranslations, Locale } from '../../common/locale';

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
  target: { id: string; name: string; email: string; locale: Locale; timeZone: string | null };
  /** A per_signature letter's supporter; null for a digest. */
  supporter: { name: string; email: string; city: string | null; comment: string | null; replyConsent: boolean } | null;
  /** A digest letter's period; null for a per_signature one. */
  digest: LetterDigest | null;
}

/** The period of a digest letter: whom it counts and names. */
export interface LetterDigest {
  id: string;
  campaignId: string;
  periodStart: Date;
  periodEnd: Date;
  supporters: number;
}

/** One row of the claim: the letter with its campaign, target and translation … */
interface ClaimBase {
  id: string;
  attempts: number;
  campaign_id: string;
  campaign_locale: Locale;
  title: string;
  translations: CampaignTranslations;
  letter_subject: string | null;
  letter_body: string | null;
  campaign_time_zone: string | null;
  /** campaign_counters.verified: a bigint, read as a string. */
  count: string;
  tr_subject: string | null;
  tr_body: string | null;
  target_id: string;
  target_name: string;
  target_email: string;
  target_locale: Locale;
  target_time_zone: string | null;
}

/** … and its source, exactly one of the two (CHECK letters_one_source): a signature … */
interface SignatureColumns {
  digest_id: null;
  period_start: null;
  period_end: null;
  supporters: null;
  /** Null once the supporter is anonymised or erased. */
  supporter_name: string | null;
  supporter_email: string | null;
  city: string | null;
  comment: string | null;
  reply_consent: boolean;
}

/** … or a digest. */
interface DigestColumns {
  digest_id: string;
  period_start: Date;
  period_end: Date;
  supporters: number;
  supporter_name: null;
  supporter_email: null;
  city: null;
  comment: null;
  reply_consent: null;
}

type ClaimRow = ClaimBase & (SignatureColumns | DigestColumns);

/** What a claim returns of each letter it took (from its CTE `l`): the letter with its campaign, target, signature, digest, counter and translation. */
const LETTER_COLUMNS = `SELECT l.id, l.attempts, l.campaign_id, d.period_start, d.period_end, d.supporters, l.digest_id,
              c.locale AS campaign_locale, c.title, c.translations, c.letter_subject, c.letter_body, c.time_zone AS campaign_time_zone,
              coalesce(k.verified, 0) AS count,
              lt.subject AS tr_subject, lt.body AS tr_body,
              t.id AS target_id, t.name AS target_name, t.email AS target_email, t.locale AS target_locale, t.time_zone AS target_time_zone,
              s.name AS supporter_name, s.email AS supporter_email, s.city, s.comment, s.reply_consent
         FROM l
         JOIN campaigns c ON c.id = l.campaign_id
         JOIN targets t ON t.id = l.target_id
         LEFT JOIN signatures s ON s.id = l.signature_id
         LEFT JOIN digests d ON d.id = l.digest_id
         LEFT JOIN campaign_counters k ON k.campaign_id = c.id
         LEFT JOIN campaign_letter_translations lt ON lt.campaign_id = c.id AND lt.locale = t.locale`;

/**
 * Claims the released letters among $1 (ids) whose lease is free, for $2 seconds, and reads what
 * their letters need, in one statement (see LetterSendRepository.claimBatch). A heap-only update:
 * no index holds what it changes. Exported for the test that checks so.
 */
export const CLAIM_LETTER_BATCH_SQL = `WITH picked AS (
     SELECT id FROM letters
      WHERE id = ANY($1::uuid[]) AND status = 'sending' AND (lease_until IS NULL OR lease_until < now())
      ORDER BY claimed_at, id
      FOR UPDATE SKIP LOCKED
   ), l AS (
     UPDATE letters SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
      WHERE id = ANY (ARRAY(SELECT id FROM picked))
     RETURNING id, attempts, campaign_id, target_id, signature_id, digest_id, claimed_at)
   ${LETTER_COLUMNS}
    ORDER BY l.claimed_at, l.id`;

/** The SQL of sending letters (table letters): their lease, their outcome. */
@Injectable()
export class LetterSendRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /**
   * Takes the lease on a released letter for `leaseSeconds`, counts an attempt and loads it; null
   * when it is no longer to be sent or another sender holds it: one holder at a time. Reads the
   * campaign, target, signature, digest, counter and translation in the same statement.
   */
  async claim(id: string, leaseSeconds: number): Promise<LetterToSend | null> {
    const rows: ClaimRow[] = await this.dataSource.query(
      `WITH l AS (
         UPDATE letters SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
          WHERE id = $1 AND status = 'sending' AND (lease_until IS NULL OR lease_until < now())
         RETURNING id, attempts, campaign_id, target_id, signature_id, digest_id)
       ${LETTER_COLUMNS}`,
      [id, leaseSeconds],
    );
    const r = rows[0];
    return r ? this.toLetter(r) : null;
  }

  /**
   * Claims the released letters among `ids` whose lease is free, in one statement: each is locked
   * (FOR UPDATE SKIP LOCKED: of two claims at once, each takes a row only if the other has not),
   * counted an attempt and leased for `leaseSeconds`. A letter already sent, failed, cancelled or
   * held by another sender is left out: the ids a job carries are only where to look. Returns the
   * letters taken, and the ids taken whose supporter was erased meanwhile (nothing to send).
   */
  async claimBatch(ids: string[], leaseSeconds: number): Promise<{ letters: LetterToSend[]; gone: string[] }> {
    if (!ids.length) return { letters: [], gone: [] };
    const rows: ClaimRow[] = await this.dataSource.query(CLAIM_LETTER_BATCH_SQL, [ids, leaseSeconds]);
    const letters: LetterToSend[] = [];
    const gone: string[] = [];
    for (const r of rows) {
      const letter = this.toLetter(r);
      if (letter) letters.push(letter);
      else gone.push(r.id);
    }
    return { letters, gone };
  }

  /** Extends the lease of letters of a batch still being sent (their sender is alive). */
  async renewBatch(ids: string[], leaseSeconds: number): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE letters SET lease_until = now() + make_interval(secs => $2) WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [ids, leaseSeconds],
    );
  }

  /** Records letters the SMTP server accepted, in one statement; each with Message-ID `<letter-<id>@domain>`. */
  async markSentBatch(ids: string[], domain: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE letters SET status = 'sent', sent_at = now(), message_id = '<letter-' || id || '@' || $2 || '>', last_error = NULL, lease_until = NULL
        WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [ids, domain],
    );
  }

  /**
   * Records a failed attempt of a batch's letter and gives its lease back: `failed` ends it;
   * otherwise its retry is due in `retryInMs` (a delayed job; enqueued_at set to then, so the
   * dispatcher takes it as lost only MAIL_REQUEUE_AFTER_SECONDS after that, when that job is lost).
   */
  async recordBatchError(id: string, error: string, failed: boolean, retryInMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE letters SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END, lease_until = NULL,
              enqueued_at = CASE WHEN $3 THEN enqueued_at ELSE now() + make_interval(secs => $4::float8 / 1000) END
        WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 500), failed, retryInMs],
    );
  }

  /** Letters whose retry job could not be added: the dispatcher's next pass takes them as never enqueued. */
  async markNotEnqueued(ids: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE letters SET enqueued_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`, [ids]);
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

  /** The letter, its supporter's details opened; null when the supporter was erased or anonymised meanwhile (the letter is cancelled with them). */
  private toLetter(r: ClaimRow): LetterToSend | null {
    const k = this.keyring;
    if (r.digest_id === null && (r.supporter_email === null || r.supporter_name === null)) return null;
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
    translation: r.tr_subject !== null && r.tr_body !== null ? { subject: r.tr_subject, body: r.tr_body } : null,
    target: { id: r.target_id, name: r.target_name, email: r.target_email, locale: r.target_locale, timeZone: r.target_time_zone },
    supporter:
      r.digest_id === null
        ? {
            name: k.open('signature.name', r.supporter_name ?? ''),
            email: k.open('signature.email', r.supporter_email ?? ''),
            city: k.openOrNull('signature.city', r.city),
            comment: k.openOrNull('signature.comment', r.comment),
            replyConsent: r.reply_consent,
          }
        : null,
    digest:
      r.digest_id !== null
        ? { id: r.digest_id, campaignId: r.campaign_id, periodStart: r.period_start, periodEnd: r.period_end, supporters: r.supporters }
        : null,
  };
}
}
