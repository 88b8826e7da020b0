import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin can disable an organiser: from disabled_at on, their bearer tokens and console
 * sessions are refused and they cannot sign in (the auth module checks it at every request).
 */
export class AddOrganiserDisabledAt1796013213998 implements MigrationInterface {
  name = 'AddOrganiserDisabledAt1796013213998';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisers ADD COLUMN disabled_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisers DROP COLUMN disabled_at`);
  }
}
