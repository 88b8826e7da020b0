import { MigrationInterface, QueryRunner } from 'typeorm';

/** Signatures with their confirmation tokens, the mail outbox, tally events and the counters they feed. */
export class CreateSignatureChain1795267161309 implements MigrationInterface {
  name = 'CreateSignatureChain1795267161309';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signatures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        email text NOT NULL,
        email_key text NOT NULL,
        name text NOT NULL,
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        city text,
        comment text,
        show_name boolean NOT NULL DEFAULT false,
        contact_consent boolean NOT NULL DEFAULT false,
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
        emails_queued integer NOT NULL DEFAULT 0,
        ip_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        CHECK ((status = 'verified') = (verified_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX signatures_campaign_email_key ON signatures (campaign_id, email_key)`);
    await q.query(`CREATE INDEX signatures_campaign_status_idx ON signatures (campaign_id, status)`);

    await q.query(`
      CREATE TABLE signature_tokens (
        token_hash bytea PRIMARY KEY,
        signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX signature_tokens_signature_id_idx ON signature_tokens (signature_id)`);

    await q.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        signature_id uuid REFERENCES signatures (id) ON DELETE CASCADE,
        token_seed bytea,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX mail_outbox_pending_idx ON mail_outbox (created_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX mail_outbox_signature_id_idx ON mail_outbox (signature_id)`);

    await q.query(`
      CREATE TABLE tally_events (
        id bigserial PRIMARY KEY,
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        country text NOT NULL,
        day date NOT NULL,
        delta integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE campaign_country_counters (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        country text NOT NULL,
        verified bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (campaign_id, country)
      )`);
    await q.query(`
      CREATE TABLE campaign_day_counters (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        day date NOT NULL,
        verified bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (campaign_id, day)
      )`);
    await q.query(`
      CREATE TABLE campaign_milestones (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        percent integer NOT NULL CHECK (percent IN (25, 50, 75, 100)),
        reached_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, percent)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_milestones`);
    await q.query(`DROP TABLE campaign_day_counters`);
    await q.query(`DROP TABLE campaign_country_counters`);
    await q.query(`DROP TABLE tally_events`);
    await q.query(`DROP TABLE mail_outbox`);
    await q.query(`DROP TABLE signature_tokens`);
    await q.query(`DROP TABLE signatures`);
  }
}
