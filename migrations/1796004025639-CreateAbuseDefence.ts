import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Abuse defence: signatures may be held (over a limit, a honeypot, too fast: stored, not mailed,
 * not counted, until an organiser releases or discards them) or invalidated (counted once, then
 * taken out by a recorded bulk invalidation); each keeps its email's domain for limits, trending
 * and invalidation criteria. Block and allow lists; the record of each bulk invalidation.
 */
export class CreateAbuseDefence1796004025639 implements MigrationInterface {
  name = 'CreateAbuseDefence1796004025639';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_status_check`);
    await q.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_check`);
    await q.query(`ALTER TABLE signatures ADD CONSTRAINT signatures_status_check
      CHECK (status IN ('pending', 'verified', 'held', 'invalidated'))`);
    // Verified and invalidated signatures were confirmed; pending and held ones not yet.
    await q.query(`ALTER TABLE signatures ADD CONSTRAINT signatures_verified_check
      CHECK ((status IN ('verified', 'invalidated')) = (verified_at IS NOT NULL))`);
    // Derived from the email while emails are stored as they are (the privacy work may store it itself).
    await q.query(`ALTER TABLE signatures ADD COLUMN email_domain text NOT NULL
      GENERATED ALWAYS AS (lower(split_part(email, '@', 2))) STORED`);
    await q.query(`CREATE INDEX signatures_domain_recent_idx ON signatures (email_domain, created_at)`);
    await q.query(`ALTER TABLE signatures ADD COLUMN held_reason text`);
    await q.query(`ALTER TABLE signatures ADD COLUMN invalidation_id uuid`);
    await q.query(`CREATE INDEX signatures_held_idx ON signatures (campaign_id, created_at) WHERE status = 'held'`);
    await q.query(`CREATE INDEX signatures_recent_idx ON signatures (created_at)`);

    await q.query(`
      CREATE TABLE blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('ip', 'cidr', 'domain', 'email')),
        value text NOT NULL,
        action text NOT NULL DEFAULT 'block' CHECK (action IN ('block', 'allow')),
        note text,
        created_by uuid REFERENCES organisers (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (type, value)
      )`);

    await q.query(`
      CREATE TABLE invalidations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        criteria jsonb NOT NULL,
        reason text NOT NULL,
        matched integer NOT NULL,
        created_by uuid REFERENCES organisers (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX invalidations_campaign_idx ON invalidations (campaign_id, created_at DESC)`);
    await q.query(`ALTER TABLE signatures ADD CONSTRAINT signatures_invalidation_fk
      FOREIGN KEY (invalidation_id) REFERENCES invalidations (id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM signatures WHERE status IN ('held', 'invalidated')`);
    await q.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_invalidation_fk`);
    await q.query(`DROP TABLE invalidations`);
    await q.query(`DROP TABLE blocks`);
    await q.query(`DROP INDEX signatures_domain_recent_idx`);
    await q.query(`DROP INDEX signatures_recent_idx`);
    await q.query(`DROP INDEX signatures_held_idx`);
    await q.query(`ALTER TABLE signatures DROP COLUMN invalidation_id`);
    await q.query(`ALTER TABLE signatures DROP COLUMN held_reason`);
    await q.query(`ALTER TABLE signatures DROP COLUMN email_domain`);
    await q.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_verified_check`);
    await q.query(`ALTER TABLE signatures DROP CONSTRAINT signatures_status_check`);
    await q.query(`ALTER TABLE signatures ADD CONSTRAINT signatures_status_check CHECK (status IN ('pending', 'verified'))`);
    await q.query(`ALTER TABLE signatures ADD CONSTRAINT signatures_check CHECK ((status = 'verified') = (verified_at IS NOT NULL))`);
  }
}
