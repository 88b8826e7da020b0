import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases on sends: an outbox row or a letter is sent by one holder at a time, until its lease
 * runs out (`lease_until`). A clock per time zone that answers NULL for a zone PostgreSQL does
 * not know, so one bad zone never fails a statement over many targets; a target's dispatch
 * problem is kept on the target. Indexes that let the dispatcher and the relays read only what they
 * take: letters per (target, status); outbox and letters by when they were enqueued.
 */
export class AddSendLeasesAndZoneClock1796000649957 implements MigrationInterface {
  name = 'AddSendLeasesAndZoneClock1796000649957';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mail_outbox ADD COLUMN lease_until timestamptz`);
    await q.query(`ALTER TABLE letters ADD COLUMN lease_until timestamptz`);
    await q.query(`ALTER TABLE targets ADD COLUMN dispatch_error text`);
    await q.query(`CREATE INDEX letters_target_status_idx ON letters (target_id, status)`);
    await q.query(`DROP INDEX mail_outbox_pending_idx`);
    await q.query(`CREATE INDEX mail_outbox_unqueued_idx ON mail_outbox (created_at) WHERE status = 'pending' AND enqueued_at IS NULL`);
    await q.query(`CREATE INDEX mail_outbox_enqueued_idx ON mail_outbox (enqueued_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX letters_unqueued_idx ON letters (claimed_at) WHERE status = 'sending' AND enqueued_at IS NULL`);
    await q.query(`CREATE INDEX mail_outbox_lease_idx ON mail_outbox (lease_until) WHERE status = 'pending' AND lease_until IS NOT NULL`);
    await q.query(`CREATE INDEX letters_lease_idx ON letters (lease_until) WHERE status = 'sending' AND lease_until IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION nida_zone_now(zone text) RETURNS timestamp
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        RETURN now() AT TIME ZONE zone;
      EXCEPTION WHEN invalid_parameter_value THEN
        RETURN NULL;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION nida_zone_now(text)`);
    await q.query(`DROP INDEX letters_lease_idx`);
    await q.query(`DROP INDEX mail_outbox_lease_idx`);
    await q.query(`DROP INDEX letters_unqueued_idx`);
    await q.query(`DROP INDEX mail_outbox_enqueued_idx`);
    await q.query(`DROP INDEX mail_outbox_unqueued_idx`);
    await q.query(`CREATE INDEX mail_outbox_pending_idx ON mail_outbox (created_at) WHERE status = 'pending'`);
    await q.query(`DROP INDEX letters_target_status_idx`);
    await q.query(`ALTER TABLE targets DROP COLUMN dispatch_error`);
    await q.query(`ALTER TABLE letters DROP COLUMN lease_until`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN lease_until`);
  }
}
