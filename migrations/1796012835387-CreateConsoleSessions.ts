import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organiser console's sessions (auth module). The cookie holds a random 256-bit token; the
 * table keeps only its SHA-256, so a copy of the database signs no one in. A session ends when
 * revoked (logout, password change, the organiser disabled), after CONSOLE_SESSION_IDLE_MINUTES
 * without a request (last_seen_at) or at expires_at (CONSOLE_SESSION_MAX_HOURS after sign-in).
 */
export class CreateConsoleSessions1796012835387 implements MigrationInterface {
  name = 'CreateConsoleSessions1796012835387';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        id bytea PRIMARY KEY CHECK (octet_length(id) = 32),
        organiser_id uuid NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
        csrf_secret bytea NOT NULL CHECK (octet_length(csrf_secret) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX console_sessions_organiser_idx ON console_sessions (organiser_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
