import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure and access on request. A request is stored only when the email has signed something
 * (the route answers the same either way): its kind, the email's blind index, the language of its
 * email and page, and for an erasure its link's token, as a hash only. The email address itself is
 * not stored here: the mail goes to the address the supporter signed with, read from their
 * signature when it is sent. The outbox learns a third kind of recipient, a request: exactly one
 * of signature, organiser and request is set on each row.
 */
export class CreatePrivacyRequests1796010772065 implements MigrationInterface {
  name = 'CreatePrivacyRequests1796010772065';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('erasure', 'access')),
        email_hash text,
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        token_hash bytea UNIQUE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        CHECK ((kind = 'erasure') = (token_hash IS NOT NULL))
      )`);
    // The daily cap per address and kind, and an erasure's cleaning of the address's other requests.
    await q.query(`CREATE INDEX privacy_requests_email_hash_idx ON privacy_requests (email_hash, kind, created_at)`);
    await q.query(`CREATE INDEX privacy_requests_expires_idx ON privacy_requests (expires_at)`);

    await q.query(`ALTER TABLE mail_outbox ADD COLUMN privacy_request_id uuid REFERENCES privacy_requests (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_one_recipient`);
    await q.query(`ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_one_recipient
      CHECK (num_nonnulls(signature_id, to_organiser_id, privacy_request_id) = 1
             AND (to_organiser_id IS NULL OR (locale IS NOT NULL AND payload IS NOT NULL)))`);
    await q.query(`CREATE INDEX mail_outbox_privacy_request_idx ON mail_outbox (privacy_request_id) WHERE privacy_request_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mail_outbox WHERE privacy_request_id IS NOT NULL`);
    await q.query(`DROP INDEX mail_outbox_privacy_request_idx`);
    await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_one_recipient`);
    await q.query(`ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_one_recipient
      CHECK ((signature_id IS NULL) = (to_organiser_id IS NOT NULL)
             AND (to_organiser_id IS NULL OR (locale IS NOT NULL AND payload IS NOT NULL)))`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN privacy_request_id`);
    await q.query(`DROP TABLE privacy_requests`);
  }
}
