import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Locale } from '../../common/locale';
import { Keyring } from '../../infra/crypto/keyring';
import type { UpdateTranslations } from './case-update.entity';

/** One supporter's copy of an update, with what its email needs (the address opened). */
export interface DeliveryToSend {
  id: string;
  /** Attempts so far, this one included. */
  attempts: number;
  signatureId: string;
  emailHash: string;
  supporter: { email: string; name: string; locale: Locale };
  update: { locale: Locale; title: string; body: string; translations: UpdateTranslations; caseStatus: string | null; createdAt: Date };
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
  attempts: number;
  signature_id: string;
  update_locale: Locale;
  update_title: string;
  update_body: string;
  update_translations: UpdateTranslations;
  case_status: string | null;
  update_created_at: Date;
  email: string | null;
  name: string | null;
  email_hash: string | null;
  signer_locale: Locale;
  signer_ok: boolean;
  campaign_id: string;
  slug: string;
  campaign_locale: Locale;
  campaign_title: string;
  campaign_translations: Partial<Record<Locale, { title: string }>>;
  time_zone: string | null;
  organisation_id: string;
  organisation: string;
  opted_out: boolean;
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
   * Up to `limit` pending deliveries of sends in progress to hand (again) to the queue: never
   * enqueued, first; then enqueued more than `requeueAfterSeconds` ago and not held (their job lost
   * with Redis), or whose sender's lease ran out (it died mid-send). Marked enqueued now.
   */
  async takeForDispatch(limit: number, requeueAfterSeconds: number): Promise<string[]> {
    if (limit <= 0) return [];
    const [rows]: [IdRow[], number] = await this.dataSource.query(
      `WITH active AS (
         SELECT id FROM case_updates WHERE send_state = 'sending' ORDER BY created_at
       ), fresh AS (
         SELECT d.id FROM update_deliveries d
          WHERE d.update_id = ANY (ARRAY(SELECT id FROM active)) AND d.status = 'pending' AND d.enqueued_at IS NULL
          LIMIT $1 FOR UPDATE OF d SKIP LOCKED
       ), stale AS (
         SELECT d.id FROM update_deliveries d
          WHERE d.update_id = ANY (ARRAY(SELECT id FROM active)) AND d.status = 'pending'
            AND d.enqueued_at < now() - make_interval(secs => $2) AND (d.lease_until IS NULL OR d.lease_until < now())
          LIMIT $1 FOR UPDATE OF d SKIP LOCKED
       ), due AS (
         SELECT id FROM fresh UNION SELECT id FROM stale LIMIT $1
       )
       UPDATE update_deliveries SET enqueued_at = now() WHERE id = ANY (ARRAY(SELECT id FROM due))
       RETURNING id`,
      [limit, requeueAfterSeconds],
    );
    return rows.map((r) => r.id);
  }

  /** Forgets that deliveries were enqueued (the enqueue failed, or the send resumes), so the dispatcher takes them again at once. */
  async markNotEnqueued(ids: string[]): Promise<void> {
    if (ids.length) await this.dataSource.query(`UPDATE update_deliveries SET enqueued_at = NULL WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async markUpdateNotEnqueued(updateId: string): Promise<void> {
    await this.dataSource.query(`UPDATE update_deliveries SET enqueued_at = NULL WHERE update_id = $1 AND status = 'pending'`, [updateId]);
  }

  /** Cancels the pending deliveries of cancelled sends that nobody holds. Returns how many. */
  async cancelPending(updateId?: string): Promise<number> {
    const [, n]: [unknown[], number] = await this.dataSource.query(
      `UPDATE update_deliveries d SET status = 'cancelled', lease_until = NULL
        WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
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
   * Takes the lease on a pending delivery of a send in progress for `leaseSeconds`, counts an
   * attempt and loads what its email needs, in one statement. Null when it is no longer pending,
   * another sender holds it, or its send is paused or cancelled (it stays pending). A delivery
   * whose supporter opted out, withdrew consent or was anonymised meanwhile is marked skipped and
   * null returned.
   */
  async claim(id: string, leaseSeconds: number): Promise<DeliveryToSend | null> {
    const rows: ClaimRow[] = await this.dataSource.query(
      `WITH d AS (
         UPDATE update_deliveries d SET attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2)
          WHERE d.id = $1 AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
            AND EXISTS (SELECT 1 FROM case_updates u WHERE u.id = d.update_id AND u.send_state = 'sending')
          RETURNING d.id, d.attempts, d.update_id, d.signature_id)
       SELECT d.id, d.attempts, d.signature_id,
              u.locale AS update_locale, u.title AS update_title, u.body AS update_body, u.translations AS update_translations,
              u.case_status, u.created_at AS update_created_at,
              s.email, s.name, s.email_hash, s.locale AS signer_locale,
              (s.status = 'verified' AND s.contact_consent AND s.contact_organisation_ids @> ARRAY[o.id]) AS signer_ok,
              c.id AS campaign_id, c.slug, c.locale AS campaign_locale, c.title AS campaign_title, c.translations AS campaign_translations,
              c.time_zone, o.id AS organisation_id, o.name AS organisation,
              ${OPTED_OUT('s.email_hash', 'c.id', 'o.id')} AS opted_out
         FROM d
         JOIN case_updates u ON u.id = d.update_id
         JOIN signatures s ON s.id = d.signature_id
         JOIN campaigns c ON c.id = s.campaign_id
         -- The sender: the organisation that posted the update (a partner), else the lead.
         JOIN organisations o ON o.id = coalesce(u.organisation_id, c.organisation_id)`,
      [id, leaseSeconds],
    );
    const r = rows[0];
    if (!r) return null;
    if (r.email === null || r.name === null || r.email_hash === null || !r.signer_ok || r.opted_out) {
      await this.markSkipped(r.id, r.opted_out ? 'opted out' : 'recipient gone');
      return null;
    }
    return {
      id: r.id,
      attempts: r.attempts,
      signatureId: r.signature_id,
      emailHash: r.email_hash,
      supporter: { email: this.keyring.open('signature.email', r.email), name: this.keyring.open('signature.name', r.name), locale: r.signer_locale },
      update: {
        locale: r.update_locale,
        title: r.update_title,
        body: r.update_body,
        translations: r.update_translations,
        caseStatus: r.case_status,
        createdAt: r.update_created_at,
      },
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
    };
  }

  async renewLease(id: string, leaseSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET lease_until = now() + make_interval(secs => $2) WHERE id = $1 AND status = 'pending'`,
      [id, leaseSeconds],
    );
  }

  async markSent(id: string, messageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL, lease_until = NULL
        WHERE id = $1 AND status = 'pending'`,
      [id, messageId],
    );
  }

  private async markSkipped(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET status = 'skipped', last_error = $2, lease_until = NULL WHERE id = $1 AND status = 'pending'`,
      [id, reason],
    );
  }

  /** Records a failed attempt and gives the lease back, so the job's retry may take it. */
  async recordError(id: string, error: string, failed: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE update_deliveries SET last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END, lease_until = NULL
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), failed],
    );
  }

  /**
   * A delivery reported bounced (a DSN to its VERP address): marked failed with the status, and
   * its address's blind index and organisation returned for the suppression; null when unknown.
   */
  async markBounced(id: string, status: string): Promise<{ emailHash: string; organisationId: string } | null> {
    const rows: { email_hash: string | null; organisation_id: string }[] = await this.dataSource.query(
      `WITH d AS (
         UPDATE update_deliveries SET status = 'failed', last_error = $2, lease_until = NULL
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
