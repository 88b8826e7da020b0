import { MigrationInterface, QueryRunner } from 'typeorm';

/** Replies officials sent, as organisers record them. */
export class CreateTargetReplies1795271220096 implements MigrationInterface {
  name = 'CreateTargetReplies1795271220096';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE target_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        target_id uuid NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
        received_on date NOT NULL,
        summary text NOT NULL,
        public_text text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX target_replies_target_idx ON target_replies (target_id, received_on DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE target_replies`);
  }
}
