import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Locale } from '../../common/locale';
import { CampaignMedia, ImageVersion } from './campaign-media.entity';

export interface NewImage {
  imageHash: string;
  imageVersions: ImageVersion[];
  imageWidth: number;
  imageHeight: number;
  imageColour: string;
  imageAlt: Record<Locale, string>;
  imageCredit: string | null;
}

/** What a share card is drawn from: a published campaign, its organisation, count and photo (one read). */
export interface CardSourceRow {
  campaignId: string;
  locale: Locale;
  title: string;
  organisation: string;
  count: number;
  imageHash: string | null;
  imageVersions: ImageVersion[] | null;
  cardKey: string | null;
  cardFingerprint: string | null;
  cardRenderedAt: Date | null;
}

interface RawCardSource {
  campaign_id: string;
  locale: Locale;
  title: string;
  organisation: string;
  count: string | number | null;
  image_hash: string | null;
  image_versions: ImageVersion[] | null;
  card_key: string | null;
  card_fingerprint: string | null;
  card_rendered_at: Date | null;
}

/**
 * The only SQL on `campaign_media`. The card's source reads `campaigns`, `organisations` and
 * `campaign_counters` in the same statement (a read across modules, never a write).
 */
@Injectable()
export class MediaRepository {
  constructor(@InjectRepository(CampaignMedia) private readonly repo: Repository<CampaignMedia>) {}

  find(campaignId: string): Promise<CampaignMedia | null> {
    return this.repo.findOneBy({ campaignId });
  }

  /** Sets the campaign's photo; answers the one it replaced (its files are to be deleted), if any. */
  saveImage(campaignId: string, image: NewImage): Promise<ImageVersion[] | null> {
    return this.repo.manager.transaction(async (m) => {
      const old: { image_versions: ImageVersion[] | null }[] = await m.query('SELECT image_versions FROM campaign_media WHERE campaign_id = $1 FOR UPDATE', [campaignId]);
      await m.query(
        `INSERT INTO campaign_media (campaign_id, image_hash, image_versions, image_width, image_height, image_colour, image_alt, image_credit, image_updated_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())
         ON CONFLICT (campaign_id) DO UPDATE SET image_hash = EXCLUDED.image_hash, image_versions = EXCLUDED.image_versions,
           image_width = EXCLUDED.image_width, image_height = EXCLUDED.image_height, image_colour = EXCLUDED.image_colour,
           image_alt = EXCLUDED.image_alt, image_credit = EXCLUDED.image_credit, image_updated_at = now(), updated_at = now()`,
        [
          campaignId,
          image.imageHash,
          JSON.stringify(image.imageVersions),
          image.imageWidth,
          image.imageHeight,
          image.imageColour,
          JSON.stringify(image.imageAlt),
          image.imageCredit,
        ],
      );
      return old[0]?.image_versions ?? null;
    });
  }

  /** Replaces the photo's alt texts and credit, keeping its files; false when the campaign has no photo. */
  async updateTexts(campaignId: string, alt: Record<Locale, string>, credit: string | null): Promise<boolean> {
    const [, updated]: [unknown[], number] = await this.repo.manager.query(
      `UPDATE campaign_media SET image_alt = $2, image_credit = $3, updated_at = now()
        WHERE campaign_id = $1 AND image_versions IS NOT NULL RETURNING 1`,
      [campaignId, JSON.stringify(alt), credit],
    );
    return updated > 0;
  }

  /** Removes the photo (the card stays until it is rendered again); answers the versions removed. */
  clearImage(campaignId: string): Promise<ImageVersion[] | null> {
    return this.repo.manager.transaction(async (m) => {
      const old: { image_versions: ImageVersion[] | null }[] = await m.query('SELECT image_versions FROM campaign_media WHERE campaign_id = $1 FOR UPDATE', [campaignId]);
      if (!old[0]?.image_versions) return null;
      await m.query(
        `UPDATE campaign_media SET image_hash = NULL, image_versions = NULL, image_width = NULL, image_height = NULL,
           image_colour = NULL, image_alt = '{}'::jsonb, image_credit = NULL, image_updated_at = now(), updated_at = now()
         WHERE campaign_id = $1`,
        [campaignId],
      );
      return old[0].image_versions;
    });
  }

  /** Published campaigns with what their card shows and how their card stands, for the sweep and the render. */
  async cardSources(campaignId?: string): Promise<CardSourceRow[]> {
    const rows: RawCardSource[] = await this.repo.query(
      `SELECT c.id AS campaign_id, c.locale, c.title, o.name AS organisation, cc.verified AS count,
              m.image_hash, m.image_versions, m.card_key, m.card_fingerprint, m.card_rendered_at
         FROM campaigns c
         JOIN organisations o ON o.id = c.organisation_id
         LEFT JOIN campaign_counters cc ON cc.campaign_id = c.id
         LEFT JOIN campaign_media m ON m.campaign_id = c.id
        WHERE c.status NOT IN ('draft', 'in_review') AND ($1::uuid IS NULL OR c.id = $1::uuid)
        ORDER BY c.id`,
      [campaignId ?? null],
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      locale: r.locale,
      title: r.title,
      organisation: r.organisation,
      count: Number(r.count ?? 0),
      imageHash: r.image_hash,
      imageVersions: r.image_versions,
      cardKey: r.card_key,
      cardFingerprint: r.card_fingerprint,
      cardRenderedAt: r.card_rendered_at,
    }));
  }

  /** Records a rendered card; answers the key of the card it replaced, if any. */
  saveCard(campaignId: string, key: string, fingerprint: string): Promise<string | null> {
    return this.repo.manager.transaction(async (m) => {
      const old: { card_key: string | null }[] = await m.query('SELECT card_key FROM campaign_media WHERE campaign_id = $1 FOR UPDATE', [campaignId]);
      await m.query(
        `INSERT INTO campaign_media (campaign_id, card_key, card_fingerprint, card_rendered_at, updated_at)
         VALUES ($1, $2, $3, now(), now())
         ON CONFLICT (campaign_id) DO UPDATE SET card_key = EXCLUDED.card_key, card_fingerprint = EXCLUDED.card_fingerprint,
           card_rendered_at = now(), updated_at = now()`,
        [campaignId, key, fingerprint],
      );
      return old[0]?.card_key ?? null;
    });
  }
}
