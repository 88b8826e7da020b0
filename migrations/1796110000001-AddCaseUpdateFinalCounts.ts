import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A finished send's counts kept on its update (`final_counts`: recipients, sent, failed, pending,
 * skipped, cancelled), so its progress still reads the same once retention deleted its delivery
 * rows (UPDATE_DELIVERY_RETENTION_DAYS), which name supporters; `deliveries_purged_at` says when.
 */
export class AddCaseUpdateFinalCounts1796110000001 implements MigrationInterface {
  name = 'AddCaseUpdateFinalCounts1796110000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_updates ADD COLUMN final_counts jsonb, ADD COLUMN deliveries_purged_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_updates DROP COLUMN final_counts, DROP COLUMN deliveries_purged_at`);
  }
}
