import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An organiser's credentials version, carried in their bearer tokens (`ver`): setting a password
 * (changed or reset) raises it, so every token issued before stops working at once, as their
 * console sessions do. Tokens issued before this column existed carry no version and count as 0.
 */
export class AddOrganiserCredentialsVersion1796160000000 implements MigrationInterface {
  name = 'AddOrganiserCredentialsVersion1796160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisers ADD COLUMN credentials_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisers DROP COLUMN credentials_version`);
  }
}
