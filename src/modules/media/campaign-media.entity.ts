import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Locale } from '../../common/locale';

/** One stored size of a photo: the same pixels as WebP and as JPEG. */
export interface ImageVersion {
  width: number;
  height: number;
  webp: { key: string; bytes: number };
  jpeg: { key: string; bytes: number };
}

/** A campaign's photo (resized, metadata-free versions only) and its share card's state. */
@Entity({ name: 'campaign_media' })
export class CampaignMedia {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  /** A hash of the photo's largest JPEG version: names its files and tells the card it changed. */
  @Column({ name: 'image_hash', type: 'text', nullable: true })
  imageHash: string | null;

  /** Smallest first. */
  @Column({ name: 'image_versions', type: 'jsonb', nullable: true })
  imageVersions: ImageVersion[] | null;

  /** The largest version's size. */
  @Column({ name: 'image_width', type: 'integer', nullable: true })
  imageWidth: number | null;

  @Column({ name: 'image_height', type: 'integer', nullable: true })
  imageHeight: number | null;

  /** The photo's dominant colour (`#rrggbb`), shown while it loads. */
  @Column({ name: 'image_colour', type: 'text', nullable: true })
  imageColour: string | null;

  /** The alternative text in each language. */
  @Column({ name: 'image_alt', type: 'jsonb', default: () => "'{}'::jsonb" })
  imageAlt: Partial<Record<Locale, string>>;

  @Column({ name: 'image_credit', type: 'text', nullable: true })
  imageCredit: string | null;

  @Column({ name: 'image_updated_at', type: 'timestamptz', nullable: true })
  imageUpdatedAt: Date | null;

  /** The share card's storage key (a 1200 × 630 PNG). */
  @Column({ name: 'card_key', type: 'text', nullable: true })
  cardKey: string | null;

  /** What the card shows (title, language, organisation, photo, count milestone), hashed. */
  @Column({ name: 'card_fingerprint', type: 'text', nullable: true })
  cardFingerprint: string | null;

  @Column({ name: 'card_rendered_at', type: 'timestamptz', nullable: true })
  cardRenderedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
