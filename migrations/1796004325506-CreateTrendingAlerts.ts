import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trending alerts: one row per source (a client address's keyed hash, an email domain, a country)
 * that passed TRENDING_ALERT_THRESHOLD for a campaign in one window, so admins are emailed about it
 * once. The outbox learns to send mail that is not a signature's: to an organiser (an admin),
 * in a language, with the template's data (counts, hashes, domains, countries: never a supporter's
 * email or name).
 */
export class CreateTrendingAlerts1796004325506 implements MigrationInterface {
  name = 'CreateTrendingAlerts1796004325506';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trending_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        source_type text NOT NULL CHECK (source_type IN ('ip', 'domain', 'country')),
        source text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL CHECK (window_end > window_start),
        new_signatures integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, source_type, source, window_start, window_end)
      )`);

    await q.query(`ALTER TABLE mail_outbox ADD COLUMN to_organiser_id uuid REFERENCES organisers (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE mail_outbox ADD COLUMN locale text CHECK (locale IN ('ar', 'en'))`);
    await q.query(`ALTER TABLE mail_outbox ADD COLUMN payload jsonb`);
    // A signature's email, or an organiser's with its language and data: never both, never neither.
    await q.query(`ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_one_recipient
      CHECK ((signature_id IS NULL) = (to_organiser_id IS NOT NULL)
             AND (to_organiser_id IS NULL OR (locale IS NOT NULL AND payload IS NOT NULL)))`);
    await q.query(`CREATE INDEX mail_outbox_to_organiser_idx ON mail_outbox (to_organiser_id) WHERE to_organiser_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mail_outbox WHERE to_organiser_id IS NOT NULL`);
    await q.query(`DROP INDEX mail_outbox_to_organiser_idx`);
    await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_one_recipient`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN payload`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN locale`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN to_organiser_id`);
    await q.query(`DROP TABLE trending_alerts`);
  }
}
