import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in console session; the cookie's token is stored only as its SHA-256 (the id). */
@Entity({ name: 'console_sessions' })
export class ConsoleSession {
  @PrimaryColumn({ type: 'bytea' })
  id: Buffer;

  /** References organisers (ON DELETE CASCADE in the migration; no relation here: another module's entity). */
  @Column({ name: 'organiser_id', type: 'uuid' })
  organiserId: string;

  /** The secret the session's CSRF token is derived from. */
  @Column({ name: 'csrf_secret', type: 'bytea' })
  csrfSecret: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
