import { MigrationInterface, QueryRunner } from 'typeorm';

/** Targets whose address may be shown, suppressed targets, and letters in other languages. */
export class AddTargetDetailsAndLetterTranslations1795270571591 implements MigrationInterface {
  name = 'AddTargetDetailsAndLetterTranslations1795270571591';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE targets ADD COLUMN email_public boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE targets ADD COLUMN suppressed_at timestamptz`);
    await q.query(`ALTER TABLE targets ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`
      CREATE TABLE campaign_letter_translations (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        subject text NOT NULL,
        body text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, locale)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_letter_translations`);
    await q.query(`ALTER TABLE targets DROP COLUMN updated_at`);
    await q.query(`ALTER TABLE targets DROP COLUMN suppressed_at`);
    await q.query(`ALTER TABLE targets DROP COLUMN email_public`);
  }
}
