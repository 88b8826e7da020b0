import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign's photo and share card (media module): one row per campaign that has either. The
 * photo is kept only as the resized, metadata-free versions Nida made (their storage keys in
 * `image_versions`), never as uploaded. The card's state lives here, not in Redis: what it was
 * rendered from (`card_fingerprint`) and when, so a flushed Redis only delays the next render.
 */
export class CreateCampaignMedia1796020485769 implements MigrationInterface {
  name = 'CreateCampaignMedia1796020485769';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_media (
        campaign_id uuid PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
        image_hash text,
        image_versions jsonb,
        image_width integer CHECK (image_width > 0),
        image_height integer CHECK (image_height > 0),
        image_colour text CHECK (image_colour ~ '^#[0-9a-f]{6}$'),
        image_alt jsonb NOT NULL DEFAULT '{}'::jsonb,
        image_credit text,
        image_updated_at timestamptz,
        card_key text,
        card_fingerprint text,
        card_rendered_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((image_hash IS NULL) = (image_versions IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_media`);
  }
}
