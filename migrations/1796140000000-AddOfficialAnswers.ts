import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officials answer through their letters' link, and organisers send them the petition as a PDF.
 *   targets.answer_seed / answer_token_hash: the seed of the target's answer link (the token is
 *     HMAC(APP_SECRET, seed), so a copy of the database alone makes no link) and SHA-256 of that
 *     token, looked up when the link is opened. Set when the first letter is written.
 *   target_replies.source / status: who recorded the reply ('organiser', or the 'official' through
 *     the link) and whether organisers approved it; an answer waits in 'pending_approval' and counts
 *     nowhere until it is 'approved'. Replies recorded by organisers are approved as they are made.
 *   target_replies.answered_by_name / answered_by_position: who answered, as they said.
 *   target_replies.public_at: when it was made public (automatic notices are owed from then).
 *   dossier_sends: one email of a target's dossier, sent under a lease like any other email; the
 *     request key (one per console form) makes a double click one email.
 */
export class AddOfficialAnswers1796140000000 implements MigrationInterface {
  name = 'AddOfficialAnswers1796140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE targets ADD COLUMN answer_seed bytea, ADD COLUMN answer_token_hash bytea`);
    await q.query(`CREATE UNIQUE INDEX targets_answer_token_idx ON targets (answer_token_hash) WHERE answer_token_hash IS NOT NULL`);
    await q.query(`
      ALTER TABLE target_replies
        ADD COLUMN source text NOT NULL DEFAULT 'organiser' CONSTRAINT target_replies_source_check CHECK (source IN ('organiser', 'official')),
        ADD COLUMN status text NOT NULL DEFAULT 'approved'
          CONSTRAINT target_replies_status_check CHECK (status IN ('pending_approval', 'approved', 'rejected')),
        ADD COLUMN answered_by_name text,
        ADD COLUMN answered_by_position text,
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN public_at timestamptz`);
    await q.query(`UPDATE target_replies SET public_at = created_at WHERE public_text IS NOT NULL`);
    await q.query(`CREATE INDEX target_replies_answers_idx ON target_replies (target_id, created_at) WHERE source = 'official'`);
    await q.query(`
      CREATE TABLE dossier_sends (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        target_id uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
        requested_by uuid REFERENCES organisers (id) ON DELETE SET NULL,
        request_key uuid NOT NULL,
        status text NOT NULL DEFAULT 'pending' CONSTRAINT dossier_sends_status_check CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        lease_until timestamptz,
        enqueued_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX dossier_sends_request_idx ON dossier_sends (target_id, request_key)`);
    await q.query(`CREATE INDEX dossier_sends_target_idx ON dossier_sends (target_id, created_at DESC)`);
    await q.query(`CREATE INDEX dossier_sends_pending_idx ON dossier_sends (created_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dossier_sends`);
    await q.query(`DROP INDEX target_replies_answers_idx`);
    await q.query(`ALTER TABLE target_replies DROP COLUMN source, DROP COLUMN status, DROP COLUMN answered_by_name,
                   DROP COLUMN answered_by_position, DROP COLUMN decided_at, DROP COLUMN public_at`);
    await q.query(`DROP INDEX targets_answer_token_idx`);
    await q.query(`ALTER TABLE targets DROP COLUMN answer_seed, DROP COLUMN answer_token_hash`);
  }
}
