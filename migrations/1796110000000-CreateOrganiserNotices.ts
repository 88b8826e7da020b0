import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The emails a campaign's organisers are owed once each (notices module): a milestone of the goal
 * reached (25, 50, 75, 100 %), an urgent action's deadline less than 24 hours away. A row is
 * written in the transaction that queues its emails (mail_outbox), so each is sent once, never lost.
 */
export class CreateOrganiserNotices1796110000000 implements MigrationInterface {
  name = 'CreateOrganiserNotices1796110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organiser_notices (
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('milestone_25', 'milestone_50', 'milestone_75', 'milestone_100', 'deadline_24h')),
        emails integer NOT NULL DEFAULT 0 CHECK (emails >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organiser_notices`);
  }
}
