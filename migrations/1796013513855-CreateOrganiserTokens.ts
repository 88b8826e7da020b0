import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-use links mailed to organisers (auth module): a forgotten password's reset link, or an
 * invitation to set a first password. The email carries a 256-bit token; the table keeps only
 * its SHA-256, when it expires and when it was used.
 */
export class CreateOrganiserTokens1796013513855 implements MigrationInterface {
  name = 'CreateOrganiserTokens1796013513855';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organiser_tokens (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        organiser_id uuid NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX organiser_tokens_organiser_idx ON organiser_tokens (organiser_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organiser_tokens`);
  }
}
