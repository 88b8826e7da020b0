import { MigrationInterface, QueryRunner } from 'typeorm';

/** The time zone a campaign's pages show dates in, chosen by its organisers; NULL: PAGE_TIME_ZONE. */
export class AddCampaignTimeZone1796000905958 implements MigrationInterface {
  name = 'AddCampaignTimeZone1796000905958';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN time_zone text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP COLUMN time_zone`);
  }
}
