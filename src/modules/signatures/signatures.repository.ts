import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../../infra/database/prepared-statement';
import { TurnBatches } from '../../common/turn-batches';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { CampaignStatus } from '../campaigns/dto/campaign-state.dto';
import { Keyring } from '../../infra/crypto/keyring';
import { MailOutboxService } from '../mail/mail-outbox.service';
import type { RetentionBatch } from './dto/retention-batch.dto';
import type { TokenLookup } from './dto/token-lookup.dto';
import type { SignatureStatus } from './signature.entity';

/** A signer as typed; the repository seals the email, name, city and comment before they are written. */
export interface NewSignature {
  email: string;
  /** The email's blind index (BlindIndex.email). */
  emailHash: string;
  name: string;
  country: string;
  city: string | null;
  comment: string | null;
  showName: boolean;
  /** Who may contact the signer: every organisation running the campaign when it signs, or these (checked in the statement). */
  contactOrganisations: 'all' | string[];
  replyConsent: boolean;
  /** Null: the campaign's own language. */
  locale: Locale | null;
  ipHash: string | null;
}

/** Of both signing statements, for the campaign `k`: whether it takes signatures now. */
const TAKES_SIGNATURES = `k.status = 'live' AND (k.ends_at IS NULL OR k.ends_at > now())`;

/** Of both signing statements, for the campaign `k`: every organisation running it now, the lead, then its accepted partners. */
const RUNNING_ORGANISATIONS = `ARRAY[k.organisation_id] || ARRAY(SELECT p.organisation_id FROM campaign_partners p
                                                   WHERE p.campaign_id = k.id AND p.status = 'accepted' ORDER BY p.organisation_id)`;

/**
 * The held signing statement's first step (the batch statement does the same for each signer):
 * the campaign, if it takes signatures, with the consent to write (every organisation running it
 * for $9, else the list $15) and whether that list names only those organisations.
 */
const SIGNING_CAMPAIGN = `c AS (
         SELECT x.id, x.locale, CASE WHEN $9::boolean THEN x.orgs ELSE $15::uuid[] END AS consent, ($9::boolean OR $15::uuid[] <@ x.orgs) AS consent_ok
           FROM (SELECT k.id, k.locale, ${RUNNING_ORGANISATIONS} AS orgs
                   FROM campaigns k
                  WHERE k.slug = $1 AND ${TAKES_SIGNATURES}) x
       )`;

/** The email's domain, lower case, as the limits, the trending report and invalidations read it. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export interface NewToken {
  hash: Buffer;
  seed: Buffer;
  expiresAt: Date;
}

/**
 * What the signing statement found: a campaign that takes no signatures, a consent naming an
 * organisation that does not run it (nothing written), or the new signer's email (null for a duplicate).
 */
export type InsertResult = { open: false } | { open: true; consentOk: false } | { open: true; consentOk: true; campaignId: string; outboxId: string | null };

/** An existing signature that may have one more email. */
export interface ExistingSignature {
  id: string;
  status: SignatureStatus;
}

/** A signature just verified: what the tally and the letters need. */
export interface VerifiedSignature {
  campaignId: string;
  country: string;
}

/** A signer waiting for the next signing statement: $1 … $15 (signerParams) and its token. */
interface SignerRow {
  params: unknown[];
  token: NewToken;
}

type InsertOutcome = { result: InsertResult } | { error: unknown };

/**
 * Signing statements: at most 64 signers each (18 arrays of 64), at most 4 in flight per process
 * (of DATABASE_POOL_SIZE connections, 10 by default: the rest stay free for confirmations, the
 * sender's claims and the pages). Under a crowd the signers of a turn wait for a statement to end
 * and go together in the next.
 */
const NEW_SIGNER_BATCHES = { maxBatch: 64, maxCalls: 4 };

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows as PostgreSQL answers them. */
interface InsertRow {
  outbox_id: string | null;
  campaign_id: string | null;
  consent_ok: boolean | null;
}

interface HeldInsertRow {
  campaign_id: string | null;
  consent_ok: boolean | null;
}

interface TokenRow {
  token_hash: Buffer;
  expires_at: Date;
  signature_id: string;
  signature_status: SignatureStatus;
  signer_locale: Locale;
  campaign_id: string;
  slug: string;
  title: string;
  locale: Locale;
  translations: CampaignTranslations;
  status: CampaignStatus;
  ends_at: Date | null;
  closed_at: Date | null;
}

interface ExistingRow {
  id: string;
  status: SignatureStatus;
}

interface VerifiedRow {
  campaign_id: string;
  country: string;
}

interface StatusCountRow {
  status: SignatureStatus;
  n: number;
}

/** A campaign's signatures outside the public count, by status (organisers' stats). */
export interface UncountedSignatures {
  pending: number;
  held: number;
  invalidated: number;
}

interface IdRow {
  id: string;
}

interface PublicSignerRow {
  name: string;
  city: string | null;
}

/**
 * Never-confirmed signatures (pending or held, on table `s`) past PENDING_RETENTION_DAYS (in the
 * parameter named): their last confirmation link expired — or, with none (held ones, or those past
 * the email cap), they were made — more than that long ago.
 */
const staleUnconfirmedSql = (days: string) =>
  `s.status IN ('pending', 'held')
   AND coalesce((SELECT max(t.expires_at) FROM signature_tokens t WHERE t.signature_id = s.id), s.created_at)
       < now() - make_interval(hours => ${days} * 24)`;

/**
 * The only code that queries signatures and their tokens. Signing writes the confirmation email's
 * outbox row in the same statement, with SQL the mail module gives (it owns mail_outbox).
 */
@Injectable()
export class SignaturesRepository {
  /** Built once: see insertNew. */
  private readonly insertNewStatement: PreparedStatement<InsertRow>;

  /** insertNew's statement for a held signature: no token, no outbox row, no email counted. */
  private readonly insertHeldStatement = new PreparedStatement<HeldInsertRow>('signatures.insert-held', `WITH ${SIGNING_CAMPAIGN}, s AS (
         INSERT INTO signatures (campaign_id, email, email_hash, name, country, city, comment, show_name, contact_consent,
                                 locale, ip_hash, email_domain, data_key, reply_consent, contact_organisation_ids, emails_queued, status, held_reason)
         SELECT c.id, $2, $3, $4, $5, $6, $7, $8, cardinality(c.consent) > 0, coalesce($10, c.locale), $11, $12, $13, $14, c.consent, 0, 'held', $16
           FROM c WHERE c.consent_ok
         ON CONFLICT (campaign_id, email_hash) DO NOTHING
       )
       SELECT (SELECT id FROM c) AS campaign_id, (SELECT consent_ok FROM c) AS consent_ok`);

  /** Signatures of one turn of the event loop, inserted by one statement (see insertNew). */
  private readonly newSigners = new TurnBatches<SignerRow, InsertOutcome>((batch) => this.insertBatch(batch), NEW_SIGNER_BATCHES);

  constructor(
    private readonly dataSource: DataSource,
    outbox: MailOutboxService,
    private readonly keyring: Keyring,
  ) {
    // One row per signer, the parameters ($1 … $18) an array each: unnest gives them back as rows
    // numbered n. The campaigns are read once per slug; a signer with a consent naming an
    // organisation that does not run the campaign is not inserted; two signers of one batch with
    // one email key are one insert (the first), the other a duplicate. Rows are inserted in
    // (campaign_id, email_hash) order, as every batch does, so that two batches holding the same
    // two keys cannot each wait for the other's uncommitted row. The answer is one row per signer,
    // in order: its campaign (null: it takes no signatures), whether the consent holds, and the new
    // outbox id (null for a duplicate).
    this.insertNewStatement = new PreparedStatement<InsertRow>('signatures.insert-new-batch', `WITH i AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[],
                              $9::boolean[], $10::text[], $11::text[], $12::text[], $13::text[], $14::boolean[], $15::text[],
                              $16::bytea[], $17::timestamptz[], $18::bytea[])
           WITH ORDINALITY AS i(slug, email, email_hash, name, country, city, comment, show_name, all_orgs, locale, ip_hash,
                                email_domain, data_key, reply_consent, orgs, token_hash, expires_at, token_seed, n)
       ), k AS (
         SELECT k.id, k.slug, k.locale, ${RUNNING_ORGANISATIONS} AS orgs
           FROM campaigns k
          WHERE k.slug = ANY($1::text[]) AND ${TAKES_SIGNATURES}
       ), c AS (
         SELECT i.*, k.id AS campaign_id, coalesce(i.locale, k.locale) AS signer_locale,
                CASE WHEN i.all_orgs THEN k.orgs ELSE i.orgs::uuid[] END AS consent,
                (i.all_orgs OR i.orgs::uuid[] <@ k.orgs) AS consent_ok
           FROM i JOIN k ON k.slug = i.slug
       ), f AS (
         SELECT DISTINCT ON (campaign_id, email_hash) * FROM c WHERE consent_ok ORDER BY campaign_id, email_hash, n
       ), s AS (
         INSERT INTO signatures (campaign_id, email, email_hash, name, country, city, comment, show_name, contact_consent,
                                 locale, ip_hash, email_domain, data_key, reply_consent, contact_organisation_ids, emails_queued)
         SELECT campaign_id, email, email_hash, name, country, city, comment, show_name, cardinality(consent) > 0,
                signer_locale, ip_hash, email_domain, data_key, reply_consent, consent, 1
           FROM f ORDER BY campaign_id, email_hash
         ON CONFLICT (campaign_id, email_hash) DO NOTHING
         RETURNING id, campaign_id, email_hash
       ), sf AS (
         SELECT s.id, f.n, f.token_hash, f.expires_at, f.token_seed FROM s JOIN f USING (campaign_id, email_hash)
       ), t AS (
         INSERT INTO signature_tokens (token_hash, signature_id, expires_at) SELECT token_hash, id, expires_at FROM sf
       ), ${outbox.confirmationCte('o', 'sf')}
       SELECT i.n, c.campaign_id, c.consent_ok, o.id AS outbox_id
         FROM i LEFT JOIN c ON c.n = i.n LEFT JOIN sf ON sf.n = i.n LEFT JOIN o ON o.signature_id = sf.id
        ORDER BY i.n`);
  }

  /**
   * $1 … $15 of the held statement, and one element of each of the batch statement's first 15
   * arrays: the campaign's slug and the signer, sealed, in column order; $9 whether the signer
   * agreed that every organisation running the campaign may contact them, $15 else the ids of
   * those it chose.
   */
  private signerParams(slug: string, s: NewSignature): unknown[] {
    const k = this.keyring;
    return [
      slug,
      k.seal('signature.email', s.email),
      s.emailHash,
      k.seal('signature.name', s.name),
      s.country,
      k.sealOrNull('signature.city', s.city),
      k.sealOrNull('signature.comment', s.comment),
      s.showName,
      s.contactOrganisations === 'all',
      s.locale,
      s.ipHash,
      emailDomain(s.email),
      k.currentKeyId,
      s.replyConsent,
      s.contactOrganisations === 'all' ? [] : s.contactOrganisations,
    ];
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /**
   * The common case in one statement, hence one round trip and one atomic commit: if the campaign
   * takes signatures and has none for this email key, insert the pending signature, its token hash
   * and its confirmation email's outbox row (the mail module's CTE). Tells whether the campaign
   * takes signatures (`open`), its id, and the new outbox id (null for a duplicate).
   *
   * The signers that reach this in one turn of the event loop share that statement (TurnBatches:
   * up to NEW_SIGNER_BATCHES.maxBatch rows, NEW_SIGNER_BATCHES.maxCalls statements in flight), so
   * a crowd costs PostgreSQL one statement and one commit per batch, not per signature; each gets
   * its own answer, when the statement has committed. Should a batch's statement fail, each of its
   * signers is tried again alone, so that one signer's row never fails another's request.
   */
  async insertNew(slug: string, s: NewSignature, token: NewToken): Promise<InsertResult> {
    const outcome = await this.newSigners.add({ params: this.signerParams(slug, s), token });
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /** One statement for these signers, or, if it fails, one for each: an answer or an error for each. */
  private async insertBatch(batch: SignerRow[]): Promise<InsertOutcome[]> {
    try {
      return (await this.insertRows(batch)).map((result) => ({ result }));
    } catch (error) {
      if (batch.length === 1) return [{ error }];
      return Promise.all(batch.map((row) => this.insertRows([row]).then(([result]) => ({ result }), (e: unknown) => ({ error: e }))));
    }
  }

  private async insertRows(batch: SignerRow[]): Promise<InsertResult[]> {
    const columns: unknown[][] = Array.from({ length: 18 }, () => new Array<unknown>(batch.length));
    batch.forEach(({ params, token }, r) => {
      params.forEach((value, p) => (columns[p][r] = value));
      // The consent's list as one array literal: rows of a parameter array cannot differ in length.
      // Its ids are UUIDs (the DTO's check); anything else would change the literal, so it fails its row.
      const ids = params[14] as string[];
      if (!ids.every((id) => UUID_TEXT.test(id))) throw new Error('a consent list holds something other than UUIDs');
      columns[14][r] = `{${ids.join(',')}}`;
      columns[15][r] = token.hash;
      columns[16][r] = token.expiresAt;
      columns[17][r] = token.seed;
    });
    const rows = await this.insertNewStatement.rows(this.dataSource, columns);
    if (rows.length !== batch.length) throw new Error(`signing ${batch.length} answered ${rows.length} rows`);
    return rows.map((row): InsertResult => {
      if (!row.campaign_id) return { open: false };
      if (!row.consent_ok) return { open: true, consentOk: false };
      return { open: true, consentOk: true, campaignId: row.campaign_id, outboxId: row.outbox_id };
    });
  }

  /**
   * insertNew for a signature held by the abuse checks, in one statement: if the campaign takes
   * signatures and has none for this email key, insert it with status `held` and its reason, and
   * nothing else (no token, no outbox row; `emails_queued` 0, so a release may send its
   * confirmation within the cap). A duplicate of any signature inserts nothing. Tells whether the
   * campaign takes signatures.
   */
  async insertHeld(slug: string, s: NewSignature, heldReason: string): Promise<{ open: boolean; consentOk: boolean }> {
    const rows = await this.insertHeldStatement.rows(this.dataSource, [...this.signerParams(slug, s), heldReason]);
    return { open: Boolean(rows[0]?.campaign_id), consentOk: Boolean(rows[0]?.consent_ok) };
  }

  /**
   * The existing pending or verified signature for this key, counting one more email for it if it
   * is still under `max`. Returns null when the cap is reached (then the signer hears nothing
   * more), and for a held or invalidated signature, which a repeated signing never mails.
   */
  async countEmailForExisting(
    m: EntityManager,
    campaignId: string,
    emailHash: string,
    max: number,
  ): Promise<ExistingSignature | null> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [ExistingRow[], number] = await m.query(
      `UPDATE signatures SET emails_queued = emails_queued + 1
        WHERE campaign_id = $1 AND email_hash = $2 AND emails_queued < $3 AND status IN ('pending', 'verified')
        RETURNING id, status`,
      [campaignId, emailHash, max],
    );
    return rows[0] ? { id: rows[0].id, status: rows[0].status } : null;
  }

  async insertToken(m: EntityManager, signatureId: string, hash: Buffer, expiresAt: Date): Promise<void> {
    await m.query(`INSERT INTO signature_tokens (token_hash, signature_id, expires_at) VALUES ($1, $2, $3)`, [
      hash,
      signatureId,
      expiresAt,
    ]);
  }

  async findByTokenHash(hash: Buffer): Promise<TokenLookup | null> {
    const rows: TokenRow[] = await this.dataSource.query(
      `SELECT t.token_hash, t.expires_at, s.id AS signature_id, s.status AS signature_status, s.locale AS signer_locale,
              c.id AS campaign_id, c.slug, c.title, c.locale, c.translations, c.status, c.ends_at, c.closed_at
         FROM signature_tokens t
         JOIN signatures s ON s.id = t.signature_id
         JOIN campaigns c ON c.id = s.campaign_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      tokenHash: r.token_hash,
      expiresAt: r.expires_at,
      signatureId: r.signature_id,
      signatureStatus: r.signature_status,
      signerLocale: r.signer_locale,
      campaign: {
        id: r.campaign_id,
        slug: r.slug,
        title: r.title,
        locale: r.locale,
        translations: r.translations,
        status: r.status,
        endsAt: r.ends_at,
        closedAt: r.closed_at,
      },
    };
  }

  /** Verifies a pending signature; returns what the tally needs, or null if it was verified already. */
  /** A signature's status now, in the caller's transaction; null when it is gone. */
  async statusOf(m: EntityManager, signatureId: string): Promise<SignatureStatus | null> {
    const rows: { status: SignatureStatus }[] = await m.query(`SELECT status FROM signatures WHERE id = $1`, [signatureId]);
    return rows[0]?.status ?? null;
  }

  async verify(m: EntityManager, signatureId: string): Promise<VerifiedSignature | null> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [rows]: [VerifiedRow[], number] = await m.query(
      `UPDATE signatures SET status = 'verified', verified_at = now()
        WHERE id = $1 AND status = 'pending'
        RETURNING campaign_id, country`,
      [signatureId],
    );
    return rows[0] ? { campaignId: rows[0].campaign_id, country: rows[0].country } : null;
  }

  /**
   * In the caller's transaction: locks these signatures (FOR UPDATE, in id order, as invalidations
   * and held signatures do, so that none of them deadlocks with another) and returns the ids that
   * exist. A confirmation of one of them waits, or is waited for.
   */
  async lockByIds(m: EntityManager, ids: string[]): Promise<string[]> {
    const rows: IdRow[] = await m.query(`SELECT id FROM signatures WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    return rows.map((r) => r.id);
  }

  /** In the caller's transaction: the ids of every signature with this email's blind index, on every campaign (the index leads signatures_email_hash_campaign_key). */
  async idsByEmailHash(m: EntityManager, emailHash: string): Promise<string[]> {
    const rows: IdRow[] = await m.query(`SELECT id FROM signatures WHERE email_hash = $1 ORDER BY id`, [emailHash]);
    return rows.map((r) => r.id);
  }

  /**
   * In the caller's transaction, on signatures it locked: empties what identifies a supporter —
   * email, its blind index and domain, name, city, comment, address hash, the sealing key's id —
   * and stamps `anonymised_at`; status, country, created_at and verified_at stay, so the counters
   * and their breakdowns by country and day are unchanged. Deletes their confirmation tokens.
   * Returns how many were anonymised now (one anonymised before is left as it is).
   */
  async anonymise(m: EntityManager, ids: string[]): Promise<number> {
    // An UPDATE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
    const [, anonymised]: [IdRow[], number] = await m.query(
      `UPDATE signatures
          SET email = NULL, email_hash = NULL, name = NULL, city = NULL, comment = NULL, email_domain = NULL,
              ip_hash = NULL, data_key = NULL, anonymised_at = now()
        WHERE id = ANY($1::uuid[]) AND anonymised_at IS NULL
       RETURNING id`,
      [ids],
    );
    await m.query(`DELETE FROM signature_tokens WHERE signature_id = ANY($1::uuid[])`, [ids]);
    return anonymised;
  }

  /** Retention's dry run: how many never-confirmed signatures are past `days` (see staleUnconfirmedSql). */
  async countStaleUnconfirmed(days: number): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM signatures s WHERE ${staleUnconfirmedSql('$1')}`,
      [days],
    );
    return rows[0].n;
  }

  /**
   * Deletes the next `limit` never-confirmed signatures past `days` after id `after`, in one
   * transaction: locked in id order, then the rule is checked again on what was locked (a new
   * statement sees a token a duplicate signing or a release added meanwhile), and what still
   * matches is deleted — its tokens and emails with it (ON DELETE CASCADE), as an invalidation
   * deletes unconfirmed ones. Never-confirmed signatures have no letter and were never counted.
   */
  async deleteStaleUnconfirmed(days: number, after: string | null, limit: number): Promise<RetentionBatch> {
    return this.dataSource.transaction(async (m) => {
      const locked: IdRow[] = await m.query(
        `SELECT s.id FROM signatures s
          WHERE ($2::uuid IS NULL OR s.id > $2) AND ${staleUnconfirmedSql('$1')}
          ORDER BY s.id LIMIT $3
          FOR UPDATE`,
        [days, after, limit],
      );
      if (!locked.length) return { seen: 0, last: null, changed: 0, lettersCancelled: 0 };
      const ids = locked.map((r) => r.id);
      // A DELETE … RETURNING answers [rows, rowCount] through TypeORM's PostgreSQL driver.
      const [, deleted]: [IdRow[], number] = await m.query(
        `DELETE FROM signatures s WHERE s.id = ANY($2::uuid[]) AND ${staleUnconfirmedSql('$1')} RETURNING s.id`,
        [days, ids],
      );
      return { seen: ids.length, last: ids[ids.length - 1], changed: deleted, lettersCancelled: 0 };
    });
  }

  /** Retention's dry run: how many signatures of these campaigns are not anonymised yet. */
  async countNotAnonymised(campaignIds: string[]): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM signatures WHERE campaign_id = ANY($1::uuid[]) AND anonymised_at IS NULL`,
      [campaignIds],
    );
    return rows[0].n;
  }

  /** The campaign's next `limit` signatures not anonymised yet, after id `after`, in id order (not locked: anonymise locks them). */
  async notAnonymised(m: EntityManager, campaignId: string, after: string | null, limit: number): Promise<string[]> {
    const rows: IdRow[] = await m.query(
      `SELECT id FROM signatures
        WHERE campaign_id = $1 AND anonymised_at IS NULL AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [campaignId, after, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Pending, held and invalidated signatures of a campaign (organisers' stats only, never a public
   * path): read from the (campaign_id, status) index, never the verified ones.
   */
  async countUncounted(campaignId: string): Promise<UncountedSignatures> {
    const rows: StatusCountRow[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM signatures
        WHERE campaign_id = $1 AND status IN ('pending', 'held', 'invalidated') GROUP BY status`,
      [campaignId],
    );
    const counts: UncountedSignatures = { pending: 0, held: 0, invalidated: 0 };
    for (const r of rows) if (r.status !== 'verified') counts[r.status] = r.n;
    return counts;
  }

  /**
   * Verified signatures per campaign and calendar day in each campaign's zone, since `since`
   * (organisers' dashboard): one query for all the campaigns, days as YYYY-MM-DD.
   */
  async verifiedByZonedDay(campaigns: { id: string; timeZone: string }[], since: Date): Promise<{ campaignId: string; day: string; verified: number }[]> {
    if (!campaigns.length) return [];
    const rows: { campaign_id: string; day: string; n: number }[] = await this.dataSource.query(
      `SELECT s.campaign_id, to_char((s.verified_at AT TIME ZONE z.tz)::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
         FROM signatures s JOIN unnest($1::uuid[], $2::text[]) AS z (id, tz) ON s.campaign_id = z.id
        WHERE s.status = 'verified' AND s.verified_at >= $3 GROUP BY 1, 2`,
      [campaigns.map((c) => c.id), campaigns.map((c) => c.timeZone), since],
    );
    return rows.map((r) => ({ campaignId: r.campaign_id, day: r.day, verified: r.n }));
  }

  /** Held signatures per campaign, for these campaigns (organisers' dashboard): campaigns with none are absent. */
  async heldByCampaign(campaignIds: string[]): Promise<Record<string, number>> {
    if (!campaignIds.length) return {};
    const rows: { campaign_id: string; n: number }[] = await this.dataSource.query(
      `SELECT campaign_id, count(*)::int AS n FROM signatures WHERE campaign_id = ANY($1::uuid[]) AND status = 'held' GROUP BY campaign_id`,
      [campaignIds],
    );
    return Object.fromEntries(rows.map((r) => [r.campaign_id, r.n]));
  }

  /**
   * The latest verified supporters who agreed to be shown: their name and city, opened (the one
   * place a public path opens sealed data; an anonymised supporter is no longer shown).
   */
  /**
   * Verified supporters who chose to be shown, oldest first, `limit` after the keyset `after`
   * (verified_at, id): names and cities opened. Read through signatures_public_recent_idx.
   */
  async publicSignersAfter(
    campaignId: string,
    after: { verifiedAt: string; id: string } | null,
    limit: number,
  ): Promise<{ id: string; verifiedAt: string; name: string; city: string | null }[]> {
    // verified_at travels as text: a JavaScript Date would cut its microseconds and repeat a row.
    const rows: { id: string; verified_at: string; name: string; city: string | null }[] = await this.dataSource.query(
      `SELECT id, verified_at::text AS verified_at, name, city FROM signatures
        WHERE campaign_id = $1 AND status = 'verified' AND show_name AND name IS NOT NULL
          AND ($2::timestamptz IS NULL OR (verified_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY verified_at, id LIMIT $4`,
      [campaignId, after?.verifiedAt ?? null, after?.id ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      verifiedAt: r.verified_at,
      name: this.keyring.open('signature.name', r.name),
      city: this.keyring.openOrNull('signature.city', r.city),
    }));
  }

  async recentPublic(campaignId: string, limit: number): Promise<{ name: string; city: string | null }[]> {
    const rows: PublicSignerRow[] = await this.dataSource.query(
      `SELECT name, city FROM signatures
        WHERE campaign_id = $1 AND status = 'verified' AND show_name AND name IS NOT NULL
        ORDER BY verified_at DESC LIMIT $2`,
      [campaignId, limit],
    );
    return rows.map((r) => ({
      name: this.keyring.open('signature.name', r.name),
      city: this.keyring.openOrNull('signature.city', r.city),
    }));
  }
}
