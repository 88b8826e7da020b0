import { MigrationInterface, QueryRunner } from 'typeorm';

/** An optional sending window per target: office hours on given days, in its own time zone. */
export class AddTargetSendingWindow1795271397049 implements MigrationInterface {
  name = 'AddTargetSendingWindow1795271397049';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE targets ADD COLUMN time_zone text`);
    await q.query(`ALTER TABLE targets ADD COLUMN window_start time`);
    await q.query(`ALTER TABLE targets ADD COLUMN window_end time`);
    await q.query(`ALTER TABLE targets ADD COLUMN window_days smallint[]`);
    await q.query(`ALTER TABLE targets ADD CONSTRAINT targets_window_complete
      CHECK ((time_zone IS NULL) = (window_start IS NULL) AND (time_zone IS NULL) = (window_end IS NULL)
             AND (time_zone IS NULL) = (window_days IS NULL) AND (window_start IS NULL OR window_start < window_end))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE targets DROP CONSTRAINT targets_window_complete`);
    await q.query(`ALTER TABLE targets DROP COLUMN window_days`);
    await q.query(`ALTER TABLE targets DROP COLUMN window_end`);
    await q.query(`ALTER TABLE targets DROP COLUMN window_start`);
    await q.query(`ALTER TABLE targets DROP COLUMN time_zone`);
  }
}
