import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim of a letter (attempts and lease_until) and a renewal of its lease become heap-only
 * updates, as an outbox row's did in HotMailClaims: no index holds lease_until any more, and pages
 * keep a fifth free for the new row version, so a claim writes no index entry (it wrote eight: one
 * in each index that holds a letter being sent). The dispatcher takes a letter whose
 * lease lapsed once it is also MAIL_REQUEUE_AFTER_SECONDS past its enqueueing, through letters_sending_idx.
 */
export class HotLetterClaims1796230000000 implements MigrationInterface {
  name = 'HotLetterClaims1796230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX letters_lease_idx`);
    await q.query(`ALTER TABLE letters SET (fillfactor = 80)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE letters RESET (fillfactor)`);
    await q.query(`CREATE INDEX letters_lease_idx ON letters (lease_until) WHERE status = 'sending' AND lease_until IS NOT NULL`);
  }
}
