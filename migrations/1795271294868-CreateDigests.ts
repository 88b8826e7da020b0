import { MigrationInterface, QueryRunner } from 'typeorm';

/** Digests: one per campaign and period, each the source of one letter per target. */
export class CreateDigests1795271294868 implements MigrationInterface {
  name = 'CreateDigests1795271294868';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        supporters integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, period_end),
        CHECK (period_end > period_start)
      )`);
    await q.query(`ALTER TABLE letters ADD COLUMN digest_id uuid REFERENCES digests (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT letters_digest_target_key UNIQUE (digest_id, target_id)`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT letters_one_source CHECK ((signature_id IS NULL) <> (digest_id IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_one_source`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_digest_target_key`);
    await q.query(`ALTER TABLE letters DROP COLUMN digest_id`);
    await q.query(`DROP TABLE digests`);
  }
}
