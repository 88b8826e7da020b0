import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the retention job finished anonymising a closed or won campaign's supporters
 * (SIGNATURE_RETENTION_DAYS_AFTER_CLOSE after it ended), so each night looks only at campaigns not
 * done yet instead of reading every old campaign's signatures again. Reopening a campaign clears it.
 */
export class AddCampaignSupportersAnonymisedAt1796010331763 implements MigrationInterface {
  name = 'AddCampaignSupportersAnonymisedAt1796010331763';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN supporters_anonymised_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP COLUMN supporters_anonymised_at`);
  }
}
