import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Update emails are claimed in batches (updates module): a send job takes up to UPDATE_SEND_BATCH
 * pending deliveries under one lease, marked by the holder's `lease_token`, so only that holder
 * renews or gives back those rows. Deliveries are no longer enqueued one job each: `enqueued_at`
 * goes, and the pending index serves the claim (pending rows of the updates being sent).
 */
export class AddUpdateDeliveryBatchLeases1796120000000 implements MigrationInterface {
  name = 'AddUpdateDeliveryBatchLeases1796120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE update_deliveries ADD COLUMN lease_token uuid`);
    // Drops update_deliveries_pending_idx (update_id, enqueued_at) with the column.
    await q.query(`ALTER TABLE update_deliveries DROP COLUMN enqueued_at`);
    await q.query(`CREATE INDEX update_deliveries_pending_idx ON update_deliveries (update_id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX update_deliveries_pending_idx`);
    await q.query(`ALTER TABLE update_deliveries ADD COLUMN enqueued_at timestamptz`);
    await q.query(`CREATE INDEX update_deliveries_pending_idx ON update_deliveries (update_id, enqueued_at) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE update_deliveries DROP COLUMN lease_token`);
  }
}
