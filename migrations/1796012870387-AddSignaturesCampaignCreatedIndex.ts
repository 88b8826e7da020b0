import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisers list and export a campaign's signatures newest first, keyset-paged on (created_at, id):
 * this index gives each page (and each batch of a CSV export) straight from the campaign's end of
 * the index, whatever its size. Without it a page of a campaign of 1,000,000 signatures sorts all of
 * them (signatures_campaign_status_idx has no order) or walks signatures_recent_idx through every
 * other campaign's rows.
 */
export class AddSignaturesCampaignCreatedIndex1796012870387 implements MigrationInterface {
  name = 'AddSignaturesCampaignCreatedIndex1796012870387';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX signatures_campaign_created_idx ON signatures (campaign_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signatures_campaign_created_idx`);
  }
}
