import { MigrationInterface, QueryRunner } from 'typeorm';

/** One letter row per (signature, target), with its delivery state; supporters' consent to replies. */
export class CreateLetters1795270838677 implements MigrationInterface {
  name = 'CreateLetters1795270838677';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signatures ADD COLUMN reply_consent boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        target_id uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
        signature_id uuid REFERENCES signatures (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        enqueued_at timestamptz,
        sent_at timestamptz,
        UNIQUE (signature_id, target_id)
      )`);
    await q.query(`CREATE INDEX letters_queued_idx ON letters (target_id, created_at, id) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX letters_claimed_idx ON letters (target_id, claimed_at) WHERE claimed_at IS NOT NULL`);
    await q.query(`CREATE INDEX letters_sending_idx ON letters (enqueued_at) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX letters_campaign_idx ON letters (campaign_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE letters`);
    await q.query(`ALTER TABLE signatures DROP COLUMN reply_consent`);
  }
}
