import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key a post of an update carries (the console form's hidden field, the API's Idempotency-Key
 * header): a second post with the same key for the same campaign — a double click, a retried
 * request — finds the first update instead of posting (and emailing) it twice.
 */
export class AddCaseUpdateRequestKey1796170000000 implements MigrationInterface {
  name = 'AddCaseUpdateRequestKey1796170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_updates ADD COLUMN request_key text`);
    await q.query(`CREATE UNIQUE INDEX case_updates_request_key ON case_updates (campaign_id, request_key) WHERE request_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_updates_request_key`);
    await q.query(`ALTER TABLE case_updates DROP COLUMN request_key`);
  }
}
