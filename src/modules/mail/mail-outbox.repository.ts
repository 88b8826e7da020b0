import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../../infra/database/prepared-statement';
import type { CampaignTranslations, Locale } from '../../common/locale';
import { Keyring } from '../../infra/crypto/keyring';
import type { NewMail } from './dto/new-mail.dto';
import type { NewOrganiserMail } from './dto/new-organiser-mail.dto';
import {
  ORGANISER_MAIL_KINDS,
  PRIVACY_MAIL_KINDS,
  type MailKind,
  type OrganiserMailKind,
  type PrivacyMailKind,
  type SignatureMailKind,
} from './mail-outbox.entity';

/** A signer's email about their signature, with what it needs. */
export interface SignatureMailToSend {
  id: string;
  kind: SignatureMailKind;
  /** Attempts so far, this one included. */
  attempts: number;
  tokenSeed: Buffer | null;
  signer: { email: string; name: string; locale: Locale };
  campaign: { slug: string; locale: Locale; title: string; translations: CampaignTranslations; organisation: string };
}

/** An organiser's email: to whom, in which language, and its template's data. */
export interface OrganiserMailToSend {
  id: string;
  kind: OrganiserMailKind;
  /** Attempts so far, this one included. */
  attempts: number;
  organiser: { email: string; name: string };
  locale: Locale;
  payload: Record<string, unknown>;
  /** A one-use link's seed (a password reset); null otherwise. */
  tokenSeed: Buffer | null;
}

/** A signature's status, as signatures.status holds it (named here: mail may not import the signatures module, which imports it). */
export type ReportedStatus = 'pending' | 'verified' | 'held' | 'invalidated';

/** One signature as a supporter's access report shows it: everything Nida holds on it, opened. */
export interface AccessReportSignature {
  status: ReportedStatus;
  signedAt: Date;
  confirmedAt: Date | null;
  name: string;
  country: string;
  city: string | null;
  comment: string | null;
  showName: boolean;
  contactConsent: boolean;
  replyConsent: boolean;
  campaign: { slug: string; locale: Locale; title: string; translations: CampaignTranslations; organisation: string };
}

/** One of an address's update opt-outs (update_opt_outs), as its access report shows it. */
export interface AccessReportOptOut {
  /** `campaign`: that campaign's updates; `organisation`: everything from it; `suppressed`: every update (the address bounced). */
  scope: 'campaign' | 'organisation' | 'suppressed';
  /** The campaign it names (scope `campaign`). */
  campaign: { locale: Locale; title: string; translations: CampaignTranslations } | null;
  /** The organisation it names (scope `organisation`). */
  organisation: string | null;
  at: Date;
}

/**
 * An email answering a supporter's erasure or access request, to the address they signed with
 * (their latest signature's), in the request's language; an access report with their signatures.
 */
export interface PrivacyMailToSend {
  id: string;
  kind: PrivacyMailKind;
  /** Attempts so far, this one included. */
  attempts: number;
  tokenSeed: Buffer | null;
  supporter: { email: string; name: string };
  locale: Locale;
  /** Access reports: every signature of the address, oldest first, read when the email is sent. */
  report: AccessReportSignature[];
  /** Access reports: the address's update opt-outs, oldest first, read when the email is sent. */
  optOuts: AccessReportOptOut[];
}

/** An outbox row with what its email needs. */
export type MailToSend = SignatureMailToSend | OrganiserMailToSend | PrivacyMailToSend;

interface IdRow {
  id: string;
}

/**
 * A claimed row joined with its signer, campaign and organisation, or with its organiser (read
 * only): the columns of the side the row is not about are null.
 */
interface ClaimRow {
  id: string;
  kind: MailKind;
  attempts: number;
  token_seed: Buffer | null;
  mail_locale: Locale | null;
  payload: Record<string, unknown> | null;
  email: string | null;
  name: string | null;
  signer_locale: Locale | null;
  slug: string | null;
  campaign_locale: Locale | null;
  title: string | null;
  translations: CampaignTranslations | null;
  organisation: string | null;
  organiser_email: string | null;
  organiser_name: string | null;
  request_locale: Locale | null;
  request_email_hash: string | null;
  supporter_email: string | null;
  supporter_name: string | null;
}

interface ReportRow {
  status: ReportedStatus;
  created_at: Date;
  verified_at: Date | null;
  name: string;
  country: string;
  city: string | null;
  comment: string | null;
  show_name: boolean;
  contact_consent: boolean;
  reply_consent: boolean;
  slug: string;
  campaign_locale: Locale;
  title: string;
  translations: CampaignTranslations;
  organisation: string;
}

const isOrganiserKind = (kind: MailKind): kind is OrganiserMailKind => (ORGANISER_MAIL_KINDS as readonly string[]).includes(kind);
const isPrivacyKind = (kind: MailKind): kind is PrivacyMailKind => (PRIVACY_MAIL_KINDS as readonly string[]).includes(kind);

/** A plain SQL name (a CTE's) or a positional parameter: what may be spliced into composed SQL. */
const SQL_NAME = /^[a-z_][a-z0-9_]*$/;
const SQL_PARAMETER = /^\$[1-9][0-9]*$/;

/**
 * Takes rows for the relay ($1 requeue-after seconds, $2 at most, $3 when the oldest job still
 * waiting in the queue was added, or null): never enqueued, or enqueued $1 seconds before the
 * earlier of now and $3 (the cut-off), with no live lease (a lapsed lease's row comes back through
 * the cut-off: no index holds lease_until, so that a claim is a heap-only update); two bounded
 * index reads, then one primary-key probe per row taken (= ANY(ARRAY(…)): a join here may hash
 * the whole table).
 * Exported for the plan test.
 */
export const RELAY_MAIL_SQL = `
  WITH fresh AS (
    SELECT id FROM mail_outbox
     WHERE status = 'pending' AND enqueued_at IS NULL AND (lease_until IS NULL OR lease_until < now())
     ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ), stale AS (
    SELECT id FROM mail_outbox
     WHERE status = 'pending' AND enqueued_at < least(now(), coalesce($3::timestamptz, now())) - make_interval(secs => $1)
       AND (lease_until IS NULL OR lease_until < now())
     ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ), due AS (
    SELECT id FROM fresh UNION SELECT id FROM stale LIMIT $2
  )
  UPDATE mail_outbox SET enqueued_at = now() WHERE id = ANY (ARRAY(SELECT id FROM due))
  RETURNING id`;

/**
 * What a claim reads for the rows of its CTE `m` (the claimed rows of mail_outbox): every join is a
 * primary-key probe; the supporter of a privacy request (the address they signed with last) is
 * looked up by the email's blind index only for such a row, and only through that index: a lookup
 * ordered by `created_at` alone walked the whole `signatures_recent_idx` for every confirmation email.
 */
const CLAIMED_MAIL_SELECT = `
   SELECT m.id, m.kind, m.attempts, m.token_seed, m.locale AS mail_locale, m.payload,
          s.email, s.name, s.locale AS signer_locale,
          c.slug, c.locale AS campaign_locale, c.title, c.translations, o.name AS organisation,
          g.email AS organiser_email, g.name AS organiser_name,
          p.locale AS request_locale, p.email_hash AS request_email_hash,
          ps.email AS supporter_email, ps.name AS supporter_name
     FROM m
     LEFT JOIN signatures s ON s.id = m.signature_id
     LEFT JOIN campaigns c ON c.id = s.campaign_id
     LEFT JOIN organisations o ON o.id = c.organisation_id
     LEFT JOIN organisers g ON g.id = m.to_organiser_id
     LEFT JOIN privacy_requests p ON p.id = m.privacy_request_id
     LEFT JOIN LATERAL (
       SELECT x.email, x.name FROM (
         SELECT email, name, created_at FROM signatures WHERE p.email_hash IS NOT NULL AND email_hash = p.email_hash OFFSET 0
       ) x ORDER BY x.created_at DESC LIMIT 1
     ) ps ON true`;

/** The columns a claim takes from mail_outbox. */
const CLAIMED_COLUMNS = 'id, kind, attempts, token_seed, signature_id, to_organiser_id, privacy_request_id, locale, payload, created_at';

/**
 * Claims one pending row ($1 its id, $2 the lease in seconds) and reads what its email needs, in one
 * statement (see MailOutboxRepository.claim). Exported for the plan test.
 */
export const CLAIM_MAIL_SQL = `WITH m AS (
     UPDATE mail_outbox SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
      WHERE id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until < now())
      RETURNING ${CLAIMED_COLUMNS})${CLAIMED_MAIL_SELECT}`;

/**
 * Claims the pending rows among $1 (ids) whose lease is free, for $2 seconds, and reads what their
 * emails need, in one statement (see MailOutboxRepository.claimBatch); oldest first. Exported for the plan test.
 */
export const CLAIM_MAIL_BATCH_SQL = `WITH picked AS (
     SELECT id FROM mail_outbox
      WHERE id = ANY($1::uuid[]) AND status = 'pending' AND (lease_until IS NULL OR lease_until < now())
      FOR UPDATE SKIP LOCKED
   ), m AS (
     UPDATE mail_outbox SET attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
      WHERE id = ANY (ARRAY(SELECT id FROM picked))
      RETURNING ${CLAIMED_COLUMNS})${CLAIMED_MAIL_SELECT}
    ORDER BY m.created_at, m.id`;
const CLAIM_MAIL = new PreparedStatement<ClaimRow>('mail.claim', CLAIM_MAIL_SQL);

const CLAIM_MAIL_BATCH = new PreparedStatement<ClaimRow>('mail.claim-batch', CLAIM_MAIL_BATCH_SQL);

/** Rows the SMTP server accepted ($1 ids), each with Message-ID `<id@$2>`: what MailOutboxService.messageIdOf gives. */
const MARK_SENT_BATCH = new PreparedStatement(
  'mail.mark-sent-batch',
  `UPDATE mail_outbox SET status = 'sent', sent_at = now(), message_id = '<' || id || '@' || $2 || '>', token_seed = NULL, last_error = NULL, lease_until = NULL
    WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
);

const MARK_SENT = new PreparedStatement(
  'mail.mark-sent',
  `UPDATE mail_outbox SET status = 'sent', sent_at = now(), message_id = $2, token_seed = NULL, last_error = NULL, lease_until = NULL
    WHERE id = $1 AND status = 'pending'`,
);

/** Emails done with (sent, or failed for good) more than $1 days ago: what MAIL_RETENTION_DAYS purges. */
const FINISHED_SQL = `status IN ('sent', 'failed') AND coalesce(sent_at, created_at) < now() - make_interval(hours => $1 * 24)`;

/** The only code that queries mail_outbox. */
@Injectable()
export class MailOutboxRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /** Adds an email to send, inside the caller's transaction; marked enqueued, since the caller enqueues it next. */
  async insert(manager: EntityManager, row: NewMail): Promise<string> {
    const rows: IdRow[] = await manager.query(
      `INSERT INTO mail_outbox (kind, signature_id, token_seed, enqueued_at) VALUES ($1, $2, $3, now()) RETURNING id`,
      [row.kind, row.signatureId, row.tokenSeed ?? null],
    );
    return rows[0].id;
  }

  /** Adds an email to an organiser, inside the caller's transaction; marked enqueued, since the caller enqueues it next. */
  async insertForOrganiser(manager: EntityManager, row: NewOrganiserMail): Promise<string> {
    const rows: IdRow[] = await manager.query(
      `INSERT INTO mail_outbox (kind, to_organiser_id, locale, payload, token_seed, enqueued_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
      [row.kind, row.toOrganiserId, row.locale, JSON.stringify(row.payload), row.tokenSeed ?? null],
    );
    return rows[0].id;
  }

  /**
   * The same insert as a CTE, for one statement another module composes (signing: signatures,
   * tokens and emails in one round trip): `<name> AS (…)` queues a confirmation, marked enqueued,
   * for each row of the CTE `signatures` (its `id` and `token_seed`), and returns the new rows'
   * `id` and `signature_id`. Names are checked, never user input.
   */
  confirmationCte(name: string, signatures: string): string {
    if (!SQL_NAME.test(name) || !SQL_NAME.test(signatures)) throw new Error(`Not a CTE name: ${name}, ${signatures}`);
    const kind: SignatureMailKind = 'signature.confirmation';
    return `${name} AS (
         INSERT INTO mail_outbox (kind, signature_id, token_seed, enqueued_at)
         SELECT '${kind}', ${signatures}.id, ${signatures}.token_seed, now() FROM ${signatures}
         RETURNING id, signature_id
       )`;
  }

  /**
   * In the caller's transaction: deletes the unsent emails (pending) about these signatures, so
   * none is sent once their data is gone (anonymised or erased). Returns how many. A sender that
   * claimed one already has what it needs; the row it would mark sent is gone, which is harmless.
   */
  async deleteUnsentForSignatures(m: EntityManager, signatureIds: string[]): Promise<number> {
    // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, deleted]: [IdRow[], number] = await m.query(
      `DELETE FROM mail_outbox WHERE signature_id = ANY($1::uuid[]) AND status = 'pending' RETURNING id`,
      [signatureIds],
    );
    return deleted;
  }

  /**
   * Retention's dry run: how many emails are done with — sent, or failed for good — since more
   * than `days` (sent_at; a failed one, which has none, from when it was queued).
   */
  async countFinished(days: number): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE ${FINISHED_SQL}`, [days]);
    return rows[0].n;
  }

  /**
   * Deletes up to `limit` of those emails (their data, their token seed if any was left, and the
   * link to whom they went), in one statement. Returns how many; fewer than `limit` means done.
   */
  async purgeFinished(days: number, limit: number): Promise<number> {
    // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, deleted]: [IdRow[], number] = await this.dataSource.query(
      `DELETE FROM mail_outbox WHERE id = ANY (ARRAY(SELECT id FROM mail_outbox WHERE ${FINISHED_SQL} LIMIT $2 FOR UPDATE SKIP LOCKED))
       RETURNING id`,
      [days, limit],
    );
    return deleted;
  }

  /**
   * The insert for a privacy request's email, as a CTE of the request's statement (one statement
   * that writes the request and its email only when the address has signed: no oracle, one round
   * trip): `<name> AS (…)` queues an email of `kind`, marked enqueued, for each row of the CTE
   * `requests` (its `id`), with the erasure token's seed in parameter `tokenSeed` (null for an
   * access report), and returns the new rows' `id`. Names and parameter are checked, never user input.
   */
  privacyRequestCte(name: string, requests: string, kind: PrivacyMailKind, tokenSeed: string): string {
    if (!SQL_NAME.test(name) || !SQL_NAME.test(requests) || !SQL_PARAMETER.test(tokenSeed) || !isPrivacyKind(kind)) {
      throw new Error(`Not a CTE name, a privacy mail kind or a parameter: ${name}, ${requests}, ${kind}, ${tokenSeed}`);
    }
    return `${name} AS (
         INSERT INTO mail_outbox (kind, privacy_request_id, token_seed, enqueued_at)
         SELECT '${kind}', ${requests}.id, ${tokenSeed}::bytea, now() FROM ${requests}
         RETURNING id
       )`;
  }

  /** Forgets that rows were enqueued (the enqueue failed), so the relay takes them at once. */
  async markNotEnqueued(ids: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE mail_outbox SET enqueued_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * Rows to hand (again) to the queue: pending, not held by a sender, and never enqueued or
   * enqueued so long ago that the job may have been lost with Redis (or its sender died mid-send
   * and its lease ran out): `requeueAfterSeconds` before now, and before `waitingSince` (when
   * the oldest job still waiting was added; rows enqueued after it are behind it in the queue).
   * Marked enqueued now; SKIP LOCKED lets several relays share. Two bounded index reads: a flood of
   * rows enqueued a moment ago costs nothing here.
   */
  async takeForRelay(requeueAfterSeconds: number, limit: number, waitingSince: Date | null = null): Promise<string[]> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [IdRow[], number] = await this.dataSource.query(RELAY_MAIL_SQL, [requeueAfterSeconds, limit, waitingSince]);
    return rows.map((r) => r.id);
  }

  /**
   * Takes the lease on a pending row for `leaseSeconds`, counts one more attempt and returns the
   * row with what its email needs, in one statement: a signer's email with its signer, campaign
   * and organisation, an organiser's with its organiser, a privacy request's with the address the
   * supporter signed with last (and, for an access report, a second read of their signatures).
   * Null when the row is gone, no longer pending (sent or failed: nothing to do), or held by
   * another sender whose lease has not run out (only one holder at a time, whatever the queue
   * does with the job). A row whose recipient is gone (an organiser deleted, a supporter
   * anonymised or erased) is marked failed and null returned, so no relay takes it again.
   */
  async claim(id: string, leaseSeconds: number): Promise<MailToSend | null> {
    const rows = await CLAIM_MAIL.rows(this.dataSource, [id, leaseSeconds]);
    const r = rows[0];
    if (!r) return null;
    const mail = await this.mailOf(r);
    if (!mail) await this.markRecipientGone(r.id);
    return mail;
  }

  /**
   * Claims the pending rows among `ids` whose lease is free, in one statement, as `claim` does one:
   * each is locked (FOR UPDATE SKIP LOCKED: of two claims at once, each takes a row only if the
   * other has not), counted an attempt, leased for `leaseSeconds` and read with what its email
   * needs; oldest first. A row sent, failed, gone or held by another sender is left out: the ids a
   * job carries are only where to look. A claimed row whose recipient is gone is marked failed.
   */
  async claimBatch(ids: string[], leaseSeconds: number): Promise<MailToSend[]> {
    if (!ids.length) return [];
    const rows = await CLAIM_MAIL_BATCH.rows(this.dataSource, [ids, leaseSeconds]);
    const mails: MailToSend[] = [];
    for (const r of rows) {
      const mail = await this.mailOf(r);
      if (mail) mails.push(mail);
      else await this.markRecipientGone(r.id);
    }
    return mails;
  }

  /** The claimed row as the email it is, or null when its recipient is gone. */
  private async mailOf(r: ClaimRow): Promise<MailToSend | null> {
    if (isOrganiserKind(r.kind)) {
      if (r.organiser_email === null || r.organiser_name === null || r.mail_locale === null || r.payload === null) return null;
      return {
        id: r.id,
        kind: r.kind,
        attempts: r.attempts,
        organiser: { email: r.organiser_email, name: r.organiser_name },
        locale: r.mail_locale,
        payload: r.payload,
        tokenSeed: r.token_seed,
      };
    }
    if (isPrivacyKind(r.kind)) {
      if (r.supporter_email === null || r.supporter_name === null || r.request_locale === null || r.request_email_hash === null) return null;
      return {
        id: r.id,
        kind: r.kind,
        attempts: r.attempts,
        tokenSeed: r.token_seed,
        supporter: {
          email: this.keyring.open('signature.email', r.supporter_email),
          name: this.keyring.open('signature.name', r.supporter_name),
        },
        locale: r.request_locale,
        report: r.kind === 'privacy.access-report' ? await this.accessReport(r.request_email_hash) : [],
        optOuts: r.kind === 'privacy.access-report' ? await this.accessReportOptOuts(r.request_email_hash) : [],
      };
    }
    if (r.email === null || r.name === null || r.signer_locale === null || r.slug === null || r.campaign_locale === null) return null;
    return {
      id: r.id,
      kind: r.kind,
      attempts: r.attempts,
      tokenSeed: r.token_seed,
      signer: { email: this.keyring.open('signature.email', r.email), name: this.keyring.open('signature.name', r.name), locale: r.signer_locale },
      campaign: {
        slug: r.slug,
        locale: r.campaign_locale,
        title: r.title ?? '',
        translations: r.translations ?? {},
        organisation: r.organisation ?? '',
      },
    };
  }

  /**
   * Every signature of one address (its blind index), on every campaign, oldest first, opened:
   * what an access report lists. Only rows with that index: never anyone else's, never an
   * anonymised row (it has no index left).
   */
  private async accessReport(emailHash: string): Promise<AccessReportSignature[]> {
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT s.status, s.created_at, s.verified_at, s.name, s.country, s.city, s.comment,
              s.show_name, s.contact_consent, s.reply_consent,
              c.slug, c.locale AS campaign_locale, c.title, c.translations, o.name AS organisation
         FROM signatures s
         JOIN campaigns c ON c.id = s.campaign_id
         JOIN organisations o ON o.id = c.organisation_id
        WHERE s.email_hash = $1
        ORDER BY s.created_at, s.id`,
      [emailHash],
    );
    const k = this.keyring;
    return rows.map((r) => ({
      status: r.status,
      signedAt: r.created_at,
      confirmedAt: r.verified_at,
      name: k.open('signature.name', r.name),
      country: r.country,
      city: k.openOrNull('signature.city', r.city),
      comment: k.openOrNull('signature.comment', r.comment),
      showName: r.show_name,
      contactConsent: r.contact_consent,
      replyConsent: r.reply_consent,
      campaign: { slug: r.slug, locale: r.campaign_locale, title: r.title, translations: r.translations, organisation: r.organisation },
    }));
  }

  /**
   * The update opt-outs of one address (its blind index: update_opt_outs is keyed by it, never by
   * the address), oldest first, with the campaign or organisation each names: what an access
   * report lists beside the signatures.
   */
  private async accessReportOptOuts(emailHash: string): Promise<AccessReportOptOut[]> {
    const rows: {
      scope: AccessReportOptOut['scope'];
      campaign_locale: Locale | null;
      title: string | null;
      translations: CampaignTranslations | null;
      organisation: string | null;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT x.scope, c.locale AS campaign_locale, c.title, c.translations, o.name AS organisation, x.created_at
         FROM update_opt_outs x
         LEFT JOIN campaigns c ON x.scope = 'campaign' AND c.id = x.scope_id
         LEFT JOIN organisations o ON x.scope = 'organisation' AND o.id = x.scope_id
        WHERE x.email_hash = $1
        ORDER BY x.created_at, x.scope`,
      [emailHash],
    );
    return rows.map((r) => ({
      scope: r.scope,
      campaign: r.campaign_locale && r.title !== null ? { locale: r.campaign_locale, title: r.title, translations: r.translations ?? {} } : null,
      organisation: r.organisation,
      at: r.created_at,
    }));
  }

  /** A claimed row whose recipient is gone: failed at once, its seed dropped, so it is never sent nor taken again. */
  private async markRecipientGone(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'failed', last_error = 'recipient gone', token_seed = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'pending'`,
      [id],
    );
  }

  /** Extends the lease of a row still pending (its sender is alive and still sending). */
  async renewLease(id: string, leaseSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'pending'`,
      [id, leaseSeconds],
    );
  }

  /** Extends the lease of a batch's rows still pending (their sender is alive and still sending). */
  async renewBatch(ids: string[], leaseSeconds: number): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE mail_outbox SET lease_until = now() + make_interval(secs => $2) WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids, leaseSeconds],
    );
  }

  /** Records rows the SMTP server accepted, in one statement; each with Message-ID `<id@domain>`. */
  async markSentBatch(ids: string[], domain: string): Promise<void> {
    if (!ids.length) return;
    await MARK_SENT_BATCH.rows(this.dataSource, [ids, domain]);
  }

  async markSent(id: string, messageId: string): Promise<void> {
    await MARK_SENT.rows(this.dataSource, [id, messageId]);
  }

  /**
   * Records a failed attempt and gives the lease back: `failed` ends it (its seed dropped).
   * Otherwise a single job's retry may take it; a batch's row gives `retryInMs`, when its retry (a
   * delayed job) is due: enqueued_at is set to then, so the relay takes it as lost only
   * MAIL_REQUEUE_AFTER_SECONDS after that, when that job is lost.
   */
  async recordError(id: string, error: string, failed: boolean, retryInMs: number | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END,
              token_seed = CASE WHEN $3 THEN NULL ELSE token_seed END, lease_until = NULL,
              enqueued_at = CASE WHEN $3 OR $4::float8 IS NULL THEN enqueued_at ELSE now() + make_interval(secs => $4::float8 / 1000) END
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), failed, retryInMs],
    );
  }
}
