import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A letter may be cancelled: its signature was taken out of the count (a bulk invalidation) before
 * the letter left. Distinct from failed, which says the mail system could not deliver it.
 */
export class AddCancelledLetters1796004321008 implements MigrationInterface {
  name = 'AddCancelledLetters1796004321008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_status_check`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT letters_status_check
      CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'cancelled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE letters SET status = 'failed' WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_status_check`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT letters_status_check
      CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced'))`);
  }
}
