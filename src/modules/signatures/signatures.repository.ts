import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../infra/database/query-rows';
import type { CampaignStatus } from '../campaigns/campaign.entity';
import type { CampaignTranslations, Locale } from '../../common/locale';
import type { SignatureStatus } from './signature.entity';

export interface NewSignature {
  email: string;
  emailKey: string;
  name: string;
  country: string;
  city: string | null;
  comment: string | null;
  showName: boolean;
  contactConsent: boolean;
  replyConsent: boolean;
  /** Null: the campaign's own language. */
  locale: Locale | null;
  ipHash: string | null;
}

export interface NewToken {
  hash: Buffer;
  seed: Buffer;
  expiresAt: Date;
}

export interface TokenLookup {
  tokenHash: Buffer;
  expiresAt: Date;
  signatureId: string;
  signatureStatus: SignatureStatus;
  signerLocale: Locale;
  campaign: {
    id: string;
    slug: string;
    title: string;
    locale: Locale;
    translations: CampaignTranslations;
    status: CampaignStatus;
    endsAt: Date | null;
    closedAt: Date | null;
  };
}

/** The only code that queries signatures and their tokens. */
@Injectable()
export class SignaturesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /**
   * The common case in one statement, hence one round trip and one atomic commit: if the campaign
   * takes signatures and has none for this email key, insert the pending signature, its token hash
   * and its confirmation email's outbox row. Tells whether the campaign takes signatures (`open`)
   * and the new outbox id (null for a duplicate, or when the campaign does not take signatures).
   */
  async insertNew(slug: string, s: NewSignature, token: NewToken): Promise<{ open: boolean; outboxId: string | null }> {
    const rows: { outbox_id: string | null; campaign_id: string | null }[] = await this.dataSource.query(
      `WITH c AS (
         SELECT id, locale FROM campaigns
          WHERE slug = $1 AND status = 'live' AND (ends_at IS NULL OR ends_at > now())
       ), s AS (
         INSERT INTO signatures (campaign_id, email, email_key, name, country, city, comment, show_name,
                                 contact_consent, locale, ip_hash, emails_queued, reply_consent)
         SELECT c.id, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, c.locale), $11, 1, $15 FROM c
         ON CONFLICT (campaign_id, email_key) DO NOTHING
         RETURNING id
       ), t AS (
         INSERT INTO signature_tokens (token_hash, signature_id, expires_at) SELECT $12, s.id, $13 FROM s
       ), o AS (
         INSERT INTO mail_outbox (kind, signature_id, token_seed, enqueued_at)
         SELECT 'signature.confirmation', s.id, $14, now() FROM s
         RETURNING id
       )
       SELECT (SELECT id FROM o) AS outbox_id, (SELECT id FROM c) AS campaign_id`,
      [
        slug,
        s.email,
        s.emailKey,
        s.name,
        s.country,
        s.city,
        s.comment,
        s.showName,
        s.contactConsent,
        s.locale,
        s.ipHash,
        token.hash,
        token.expiresAt,
        token.seed,
        s.replyConsent,
      ],
    );
    return { open: rows[0]?.campaign_id != null, outboxId: rows[0]?.outbox_id ?? null };
  }

  /**
   * The existing signature for this key, counting one more email for it if it is still under `max`.
   * Returns null when the cap is reached (then the signer hears nothing more).
   */
  async countEmailForExisting(
    m: EntityManager,
    campaignId: string,
    emailKey: string,
    max: number,
  ): Promise<{ id: string; status: SignatureStatus } | null> {
    const rows = rowsOf<{ id: string; status: SignatureStatus }>(
      await m.query(
        `UPDATE signatures SET emails_queued = emails_queued + 1
          WHERE campaign_id = $1 AND email_key = $2 AND emails_queued < $3
          RETURNING id, status`,
        [campaignId, emailKey, max],
      ),
    );
    return rows[0] ?? null;
  }

  async insertToken(m: EntityManager, signatureId: string, hash: Buffer, expiresAt: Date): Promise<void> {
    await m.query(`INSERT INTO signature_tokens (token_hash, signature_id, expires_at) VALUES ($1, $2, $3)`, [
      hash,
      signatureId,
      expiresAt,
    ]);
  }

  async findByTokenHash(hash: Buffer): Promise<TokenLookup | null> {
    const rows = await this.dataSource.query(
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
  async verify(m: EntityManager, signatureId: string): Promise<{ campaignId: string; country: string } | null> {
    const rows = rowsOf<{ campaign_id: string; country: string }>(
      await m.query(
        `UPDATE signatures SET status = 'verified', verified_at = now()
          WHERE id = $1 AND status = 'pending'
          RETURNING campaign_id, country`,
        [signatureId],
      ),
    );
    return rows[0] ? { campaignId: rows[0].campaign_id, country: rows[0].country } : null;
  }

  /** Pending signatures of a campaign (organisers' stats only, never a public path). */
  async countPending(campaignId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM signatures WHERE campaign_id = $1 AND status = 'pending'`,
      [campaignId],
    );
    return n;
  }

  /** The latest verified supporters who agreed to be shown: their name and city only. */
  recentPublic(campaignId: string, limit: number): Promise<{ name: string; city: string | null }[]> {
    return this.dataSource.query(
      `SELECT name, city FROM signatures
        WHERE campaign_id = $1 AND status = 'verified' AND show_name
        ORDER BY verified_at DESC LIMIT $2`,
      [campaignId, limit],
    );
  }
}
