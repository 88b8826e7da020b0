import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim of an outbox row (attempts and lease_until) becomes a heap-only update: no index holds
 * lease_until any more, and pages keep a fifth free for the new row version, so a claim writes no
 * index entry (it wrote four). The relay takes a row whose lease lapsed once it is also
 * MAIL_REQUEUE_AFTER_SECONDS past its enqueueing, through mail_outbox_enqueued_idx.
 */
export class HotMailClaims1796220000000 implements MigrationInterface {
  name = 'HotMailClaims1796220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX mail_outbox_lease_idx`);
    await q.query(`ALTER TABLE mail_outbox SET (fillfactor = 80)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mail_outbox RESET (fillfactor)`);
    await q.query(`CREATE INDEX mail_outbox_lease_idx ON mail_outbox (lease_until) WHERE status = 'pending' AND lease_until IS NOT NULL`);
  }
}
