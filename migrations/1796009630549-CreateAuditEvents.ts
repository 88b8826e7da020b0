import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per organiser action that reads or changes supporter data or a
 * campaign's state (and the system's and supporters' own, such as a retention run or an erasure):
 * who, when, what, which campaign, from which address's keyed hash. Never a supporter's email or
 * name. No foreign keys: a row outlives the organiser, campaign or signature it names.
 */
export class CreateAuditEvents1796009630549 implements MigrationInterface {
  name = 'CreateAuditEvents1796009630549';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_kind text NOT NULL CHECK (actor_kind IN ('organiser', 'admin', 'system', 'supporter')),
        organisation_id uuid,
        action text NOT NULL CHECK (action ~ '^[a-z_]+\\.[a-z_]+$'),
        campaign_id uuid,
        subject_id uuid,
        details jsonb NOT NULL DEFAULT '{}',
        ip_hash text,
        -- an organiser or an admin is named; the system and a supporter acting on themselves are not
        CONSTRAINT audit_events_actor CHECK ((actor_id IS NOT NULL) = (actor_kind IN ('organiser', 'admin')))
      )`);
    await q.query(`CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_organisation_idx ON audit_events (organisation_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_campaign_idx ON audit_events (campaign_id, at DESC, id DESC) WHERE campaign_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
  }
}
