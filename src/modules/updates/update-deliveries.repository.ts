import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Locale } from '../../common/locale';
import { Keyring } from '../../infra/crypto/keyring';
import type { UpdateTranslations } from './case-update.entity';

/** One supporter's copy of an update, claimed in a batch, with what its email needs of the supporter (the address opened). */
export interface ClaimedDelivery {
  id: string;
  updateId: string;
  /** Attempts so far, this one included. */
  attempts: number;
  signatureId: string;
  emailHash: string;
  organisationId: string;
  supporter: { email: string; name: string; locale: Locale };
}

/** What every email of one update shares: its text and its campaign's, read once per batch. */
export interface UpdateToSend {
  id: string;
  sendState: string | null;
  locale: Locale;
  title: string;
  body: string;
  translations: UpdateTranslations;
  caseStatus: string | null;
  createdAt: Date;
  campaign: {
    id: string;
    slug: string;
    locale: Locale;
    title: string;
    translations: Partial<Record<Locale, { title: string }>>;
    timeZone: string | null;
    organisationId: string;
    organisation: string;
  };
}

interface ClaimRow {
  id: string;
  update_id: string;
  attempts: number;
  signature_id: string;
  email: string;
  name: string;
  email_hash: string;
  signer_locale: Locale;
  organisation_id: string;
}

interface UpdateRow {
  id: string;
  send_state: string | null;
  locale: Locale;
  title: string;
  body: string;
  translations: UpdateTranslations;
  case_status: string | null;
  created_at: Date;
  campaign_id: string;
  slug: string;
  campaign_locale: Locale;
  campaign_title: string;
  campaign_translations: Partial<Record<Locale, { title: string }>>;
  time_zone: string | null;
  organisation_id: string;
  organisation: string;
}

interface IdRow {
  id: string;
}

/**
 * An address in update_opt_outs for the updates `sender` sends on this campaign: a stop of this
 * campaign's updates from that organisation (`campaign` when it is the lead, `partnership` when a
 * partner), of all that organisation's, or of everything (suppressed).
 */
const OPTED_OUT = (hash: string, campaign: string, sender: string) => `EXISTS (
  SELECT 1 FROM update_opt_outs x
   WHERE x.email_hash = ${hash}
     AND ((x.scope = 'campaign' AND x.scope_id = ${campaign} AND EXISTS (SELECT 1 FROM campaigns l WHERE l.id = ${campaign} AND l.organisation_id = ${sender}))
       OR (x.scope = 'partnership' AND x.scope_id IN (SELECT p.id FROM campaign_partners p WHERE p.campaign_id = ${campaign} AND p.organisation_id = ${sender}))
       OR (x.scope = 'organisation' AND x.scope_id = ${sender}) OR x.scope = 'suppressed'))`;

/** The SQL of fanning out and sending notified updates (update_deliveries, and case_updates' send columns). */
@Injectable()
export class UpdateDeliveriesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  // ── fan-out ───────────────────────────────────────────────────────────────

  /**
   * Takes the fan-out lease of a notified update not yet fanned out (and not cancelled); returns
   * where it stands — `organisationId` is the sender: the organisation that posted it (a partner),
   * else the campaign's lead — or null when there is nothing to do or another holder's lease runs.
   */
  async claimFanOut(updateId: string, leaseSeconds: number): Promise<{ campaignId: string; organisationId: string; cursor: string | null } | null> {
    const [rows]: [{ campaign_id: string; organisation_id: string; fanout_cursor: string | null }[], number] = await this.dataSource.query(
      `UPDATE case_updates u SET fanout_lease_until = now() + make_interval(secs => $2)
         FROM campaigns c
        WHERE u.id = $1 AND c.id = u.campaign_id AND u.notify AND u.fanned_out_at IS NULL AND u.send_state IN ('sending', 'paused')
          AND (u.fanout_lease_until IS NULL OR u.fanout_lease_until < now())
        RETURNING u.campaign_id, coalesce(u.organisation_id, c.organisation_id) AS organisation_id, u.fanout_cursor`,
      [updateId, leaseSeconds],
    );
    const r = rows[0];
    return r ? { campaignId: r.campaign_id, organisationId: r.organisation_id, cursor: r.fanout_cursor } : null;
  }

  /**
   * Writes the next chunk of delivery rows, after `cursor` in signature id order (keyset): verified
   * signatures of the campaign with an address whose supporter agreed that the sending organisation
   * (`at.organisationId`) may contact them, not opted out of its updates. One transaction
   * with the cursor's move, which is guarded by the cursor that was read (a second holder after a
   * lost lease changes nothing twice: the rows are unique per update and signature, and the cursor
   * only moves from where it was). Returns the new cursor and whether that was the last chunk;
   * null when the update moved on (cancelled, or another holder advanced it).
   */
  async fanOutChunk(
    updateId: string,
    at: { campaignId: string; organisationId: string; cursor: string | null },
    chunk: number,
    leaseSeconds: number,
  ): Promise<{ cursor: string | null; written: number; done: boolean } | null> {
    return this.dataSource.transaction(async (m) => {
      const rows: { last: string | null; n: number; written: number }[] = await m.query(
        `WITH r AS (
           SELECT s.id FROM signatures s
            WHERE s.campaign_id = $2 AND s.status = 'verified' AND s.contact_consent AND s.email_hash IS NOT NULL AND s.email IS NOT NULL
              -- Per-partner consent: only those who agreed that the sender may contact them.
              AND s.contact_organisation_ids @> ARRAY[$4::uuid]
              AND ($3::uuid IS NULL OR s.id > $3::uuid)
              AND NOT ${OPTED_OUT('s.email_hash', '$2', '$4')}
            ORDER BY s.id LIMIT $5
         ), ins AS (
           INSERT INTO update_deliveries (update_id, signature_id) SELECT $1, id FROM r ON CONFLICT DO NOTHING RETURNING 1
         )
         SELECT (SELECT id FROM r ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*) FROM r)::int AS n, (SELECT count(*) FROM ins)::int AS written`,
        [updateId, at.campaignId, at.cursor, at.organisationId, chunk],
      );
      const { last, n, written } = rows[0];
      const done = n < chunk;
      const [moved]: [IdRow[], number] = await m.query(
        `UPDATE case_updates SET fanout_cursor = coalesce($3::uuid, fanout_cursor),
                fanned_out_at = CASE WHEN $4 THEN now() ELSE NULL END,
                fanout_lease_until = CASE WHEN $4 THEN NULL ELSE now() + make_interval(secs => $5) END
          WHERE id = $1 AND fanout_cursor IS NOT DISTINCT FROM $2::uuid AND fanned_out_at IS NULL AND send_state IN ('sending', 'paused')
          RETURNING id`,
        [updateId, at.cursor, last, done, leaseSeconds],
      );
      if (!moved.length) {
        // Rolled back: nothing of this chunk is kept.
        throw new FanOutMoved();
      }
      return { cursor: last ?? at.cursor, written, done };
    }).catch((error: unknown) => {
      if (error instanceof FanOutMoved) return null;
      throw error;
    });
  }

  /** Gives a fan-out's lease back (its holder stops early). */
  async releaseFanOut(updateId: string): Promise<void> {
    await this.dataSource.query(`UPDATE case_updates SET fanout_lease_until = NULL WHERE id = $1`, [updateId]);
  }

  /**
   * Notified updates whose fan-out must be (re-)enqueued: not finished, not held, and never
   * enqueued or enqueued more than `requeueAfterSeconds` ago (its job lost with Redis, or its
   * worker dead). Marked enqueued now.
   */
  async takeFanOutsForRelay(requeueAfterSeconds: number): Promise<string[]> {
    const [rows]: [IdRow[], number] = await this.dataSource.query(
      `UPDATE case_updates SET fanout_enqueued_at = now()
        WHERE id = ANY (ARRAY(
          SELECT id FROM case_updates
           WHERE send_state IN ('sending', 'paused') AND fanned_out_at IS NULL
             AND (fanout_lease_until IS NULL OR fanout_lease_until < now())
             AND (fanout_enqueued_at IS NULL OR fanout_enqueued_at < now() - make_interval(secs => $1))
           LIMIT 100 FOR UPDATE SKIP LOCKED))
        RETURNING id`,
      [requeueAfterSeconds],
    );
    return rows.map((r) => r.id);
  }

  // ── dispatch ──────────────────────────────────────────────────────────────

  /**
   * How many deliveries a send job could claim now (pending, of a send in progress, held by
   * nobody and not waiting for a retry), counted up to `limit`.
   */
  async countClaimable(limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM update_deliveries d
          WHERE d.update_id = ANY (ARRAY(SELECT id FROM case_updates WHERE send_state = 'sending'))
            AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
          LIMIT $1) x`,
      [limit],
    );
    return rows[0].n;
  }

  /** Cancels the pending deliveries of cancelled sends that no sender holds. Returns how many. */
  async cancelPending(updateId?: string): Promise<number> {
    const [, n]: [unknown[], number] = await this.dataSource.query(
      `UPDATE update_deliveries d SET status = 'cancelled', lease_until = NULL, lease_token = NULL
        WHERE d.status = 'pending' AND (d.lease_token IS NULL OR d.lease_until < now())
          AND d.update_id IN (SELECT id FROM case_updates WHERE send_state = 'cancelled' AND ($1::uuid IS NULL OR id = $1::uuid))
        RETURNING d.id`,
      [updateId ?? null],
    );
    return n;
  }

  /** Marks done the sends fanned out with nothing left pending. Returns their ids. */
  async finishDone(): Promise<string[]> {
    const [rows]: [IdRow[], number] = await this.dataSource.query(
      `UPDATE case_updates u SET send_state = 'done', finished_at = now()
        WHERE u.send_state = 'sending' AND u.fanned_out_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM update_deliveries d WHERE d.update_id = u.id AND d.status = 'pending')
        RETURNING u.id`,
    );
    return rows.map((r) => r.id);
  }

  // ── sending ───────────────────────────────────────────────────────────────

  /**
   * Claims up to `limit` pending deliveries of sends in progress (oldest update first), in one
   * statement: each is locked (SKIP LOCKED: two senders never take the same row), counted an
   * attempt and leased for `leaseSeconds` under `token`. Those whose supporter opted out, withdrew
   * consent or was anonymised since the fan-out are marked skipped in the same statement; the
   * others are returned with their address and name opened.
   */
  async claimBatch(limit: number, leaseSeconds: number, token: string): Promise<ClaimedDelivery[]> {
    const rows: ClaimRow[] = await this.dataSource.query(
      `WITH picked AS (
         SELECT d.id FROM update_deliveries d
          WHERE d.update_id = ANY (ARRAY(SELECT id FROM case_updates WHERE send_state = 'sending' ORDER BY created_at))
            AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
          LIMIT $1 FOR UPDATE OF d SKIP LOCKED
       ), judged AS (
         SELECT p.id,
                CASE WHEN s.email IS NULL OR s.name IS NULL OR s.email_hash IS NULL OR s.status <> 'verified' OR NOT s.contact_consent
                       OR NOT (s.contact_organisation_ids @> ARRAY[coalesce(u.organisation_id, c.organisation_id)]) THEN 'recipient gone'
                     WHEN ${OPTED_OUT('s.email_hash', 'c.id', 'coalesce(u.organisation_id, c.organisation_id)')} THEN 'opted out' END AS skip
           FROM picked p
           JOIN update_deliveries d ON d.id = p.id
           JOIN case_updates u ON u.id = d.update_id
           JOIN signatures s ON s.id = d.signature_id
           JOIN campaigns c ON c.id = s.campaign_id
       ), claimed AS (
         UPDATE update_deliveries d
            SET attempts = d.attempts + 1,
                status = CASE WHEN j.skip IS NULL THEN d.status ELSE 'skipped' END,
                last_error = coalesce(j.skip, d.last_error),
                lease_until = CASE WHEN j.skip IS NULL THEN now() + make_interval(secs => $2) END,
                lease_token = CASE WHEN j.skip IS NULL THEN $3::uuid END
           FROM judged j
          WHERE d.id = j.id
         RETURNING d.id, d.update_id, d.attempts, d.signature_id, j.skip
       )
       SELECT k.id, k.update_id, k.attempts, k.signature_id, s.email, s.name, s.email_hash, s.locale AS signer_locale,
              coalesce(u.organisation_id, c.organisation_id) AS organisation_id -- the sender: a partner that posted it, else the lead
         FROM claimed k
         JOIN case_updates u ON u.id = k.update_id
         JOIN signatures s ON s.id = k.signature_id
         JOIN campaigns c ON c.id = s.campaign_id
        WHERE k.skip IS NULL`,
      [limit, leaseSeconds, token],
    );
    return rows.map((r) => ({
      id: r.id,
      updateId: r.update_id,
      attempts: r.attempts,
      signatureId: r.signature_id,
      emailHash: r.email_hash,
      organisationId: r.organisation_id,
      supporter: { email: this.keyring.open('signature.email', r.email), name: this.keyring.open('signature.name', r.name), locale: r.signer_locale },
    }));
  }

  /** The updates (and their campaigns) a batch's emails carry, and where their sends stand. */
  async updatesToSend(ids: string[]): Promise<Map<string, UpdateToSend>> {
    const rows: UpdateRow[] = await this.dataSource.query(
      `SELECT u.id, u.send_state, u.locale, u.title, u.body, u.translations, u.case_status, u.created_at,
              c.id AS campaign_id, c.slug, c.locale AS campaign_locale, c.title AS campaign_title, c.translations AS campaign_translations,
              c.time_zone, o.id AS organisation_id, o.name AS organisation
         FROM case_updates u
         JOIN campaigns c ON c.id = u.campaign_id
         -- The sender: the organisation that posted the update (a partner), else the lead.
         JOIN organisations o ON o.id = coalesce(u.organisation_id, c.organisation_id)
        WHERE u.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          sendState: r.send_state,
          locale: r.locale,
          title: r.title,
          body: r.body,
          translations: r.translations,
          caseStatus: r.case_status,
          createdAt: r.created_at,
          campaign: {
            id: r.campaign_id,
            slug: r.slug,
            locale: r.campaign_locale,
            title: r.campaign_title,
            translations: r.campaign_translations,
            timeZone: r.time_zone,
            organisationId: r.organisation_id,
            organisation: r.organisation,
          },
        },
      ]),
    );
  }

  /** Whether every one of these sends is still in progress (not paused, cancelled or done). */
  async stillSending(updateIds: string[]): Promise<boolean> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM case_updates WHERE id = ANY($1::uuid[]) AND send_state = 'sending'`,
      [updateIds],
    );
    return rows[0].n === updateIds.length;
  }

  /** Keeps a batch's unsent deliveries held by `token` for `leaseSeconds` more. */
  async renewBatch(ids: string[], token: string, leaseSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET lease_until = now() + make_interval(secs => $3)
        WHERE id = ANY($1::uuid[]) AND lease_token = $2 AND status = 'pending'`,
      [ids, token, leaseSeconds],
    );
  }

  /**
   * Gives back deliveries of a batch that were never handed to SMTP (the send was paused or
   * cancelled meanwhile): no longer held, and their attempt not counted.
   */
  async releaseBatch(ids: string[], token: string): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE update_deliveries SET lease_until = NULL, lease_token = NULL, attempts = greatest(attempts - 1, 0)
        WHERE id = ANY($1::uuid[]) AND lease_token = $2 AND status = 'pending'`,
      [ids, token],
    );
  }

  /** Records deliveries the SMTP server accepted, in one statement; each with Message-ID `<update-<id>@domain>`. */
  async markSent(ids: string[], domain: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET status = 'sent', sent_at = now(), message_id = '<update-' || id || '@' || $2 || '>',
              last_error = NULL, lease_until = NULL, lease_token = NULL
        WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids, domain],
    );
  }

  /**
   * Records a failed attempt: `failed` ends the delivery; otherwise it is given back to be tried
   * again, not before `retryInMs` (the retry's backoff, kept in lease_until).
   */
  async recordError(id: string, error: string, failed: boolean, retryInMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END,
              lease_until = CASE WHEN $3 THEN NULL ELSE now() + make_interval(secs => $4::float8 / 1000) END, lease_token = NULL
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), failed, retryInMs],
    );
  }

  /**
   * A delivery reported bounced (a DSN to its VERP address): marked failed with the status, and
   * its address's blind index and organisation returned for the suppression; null when unknown.
   */
  async markBounced(id: string, status: string): Promise<{ emailHash: string; organisationId: string } | null> {
    const rows: { email_hash: string | null; organisation_id: string }[] = await this.dataSource.query(
      `WITH d AS (
         UPDATE update_deliveries SET status = 'failed', last_error = $2, lease_until = NULL, lease_token = NULL
          WHERE id = $1 AND status IN ('sent', 'pending', 'failed') RETURNING signature_id)
       SELECT s.email_hash, c.organisation_id FROM d JOIN signatures s ON s.id = d.signature_id JOIN campaigns c ON c.id = s.campaign_id`,
      [id, `bounced ${status}`.slice(0, 500)],
    );
    const r = rows[0];
    return r?.email_hash ? { emailHash: r.email_hash, organisationId: r.organisation_id } : null;
  }
}

/** A fan-out chunk found its update moved on (cancelled, or advanced by another holder). */
class FanOutMoved extends Error {}
