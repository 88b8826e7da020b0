import { MigrationInterface, QueryRunner } from 'typeorm';

/** The campaign page lists its latest public supporters: an index that holds only those rows. */
export class AddPublicSignersIndex1795272000000 implements MigrationInterface {
  name = 'AddPublicSignersIndex1795272000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX signatures_public_recent_idx ON signatures (campaign_id, verified_at DESC)
      WHERE status = 'verified' AND show_name`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signatures_public_recent_idx`);
  }
}
