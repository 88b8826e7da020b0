import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each tally event was written, so the metrics can say how long the oldest one has waited to
 * be folded (nida_tally_lag_seconds). A constant default: PostgreSQL adds the column without
 * rewriting the table, and events already there count from the migration.
 */
export class AddTallyEventCreatedAt1796180000000 implements MigrationInterface {
  name = 'AddTallyEventCreatedAt1796180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tally_events ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tally_events DROP COLUMN created_at`);
  }
}
