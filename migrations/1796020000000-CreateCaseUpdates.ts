import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case updates and the batch emails that carry them (updates module).
 *
 * - campaigns.case_status: an urgent action's case status (a fixed list), shown at the top of its page;
 *   campaigns.auto_notify: whether a win and a public reply are posted (and emailed) as updates by themselves.
 * - case_updates.source: `organiser`, or the automatic notice it is (`won`, `reply` with the reply's id), once each.
 * - case_updates: an organiser's update, in the campaign's language with translations; with
 *   `notify`, its send: state, the fan-out's keyset cursor and lease, when the fan-out finished.
 * - update_deliveries: one row per (update, signature) recipient, unique, written by the fan-out
 *   in chunks; sent under a lease like mail_outbox and letters; its id is the Message-ID.
 * - update_opt_outs: who said stop, by the blind index of their email (never the email): for one
 *   campaign, for a whole organisation, or (`suppressed`) every update after a hard bounce.
 */
export class CreateCaseUpdates1796020000000 implements MigrationInterface {
  name = 'CreateCaseUpdates1796020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns ADD COLUMN case_status text
        CHECK (case_status IN ('ongoing', 'detained', 'disappeared', 'on_trial', 'sentenced', 'released', 'resolved')),
        ADD COLUMN auto_notify boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE case_updates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        locale text NOT NULL CHECK (locale IN ('ar', 'en')),
        title text NOT NULL,
        body text NOT NULL,
        translations jsonb NOT NULL DEFAULT '{}'::jsonb,
        case_status text,
        notify boolean NOT NULL DEFAULT false,
        send_state text CHECK (send_state IN ('sending', 'paused', 'cancelled', 'done')),
        fanout_cursor uuid,
        fanout_lease_until timestamptz,
        fanout_enqueued_at timestamptz,
        fanned_out_at timestamptz,
        finished_at timestamptz,
        created_by uuid,
        source text NOT NULL DEFAULT 'organiser' CHECK (source IN ('organiser', 'won', 'reply')),
        source_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((send_state IS NULL) = (NOT notify))
      )`);
    await q.query(`CREATE INDEX case_updates_campaign_idx ON case_updates (campaign_id, created_at DESC)`);
    await q.query(`CREATE UNIQUE INDEX case_updates_notice_once ON case_updates (campaign_id, source, source_id) WHERE source <> 'organiser'`);
    await q.query(`CREATE INDEX case_updates_active_idx ON case_updates (created_at) WHERE send_state IN ('sending', 'paused')`);
    await q.query(`
      CREATE TABLE update_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        update_id uuid NOT NULL REFERENCES case_updates (id) ON DELETE CASCADE,
        signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        enqueued_at timestamptz,
        lease_until timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT update_deliveries_once UNIQUE (update_id, signature_id)
      )`);
    await q.query(`CREATE INDEX update_deliveries_pending_idx ON update_deliveries (update_id, enqueued_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX update_deliveries_signature_idx ON update_deliveries (signature_id)`);
    await q.query(`
      CREATE TABLE update_opt_outs (
        email_hash text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('campaign', 'organisation', 'suppressed')),
        scope_id uuid NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (email_hash, scope, scope_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE update_opt_outs`);
    await q.query(`DROP TABLE update_deliveries`);
    await q.query(`DROP TABLE case_updates`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN case_status, DROP COLUMN auto_notify`);
  }
}
