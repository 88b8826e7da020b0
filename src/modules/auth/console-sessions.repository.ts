import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A live session as resolving it finds it. */
export interface LiveConsoleSession {
  organiserId: string;
  csrfSecret: Buffer;
}

/** The only code that reads or writes console_sessions. */
@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(id: Buffer, organiserId: string, csrfSecret: Buffer, maxHours: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO console_sessions (id, organiser_id, csrf_secret, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
      [id, organiserId, csrfSecret, maxHours],
    );
  }

  /**
   * The session with this id when it is neither revoked, past its absolute expiry, nor idle
   * longer than `idleMinutes`; its last_seen_at is moved to now when it is a minute old or more
   * (so an active session costs one write a minute, not one per request). One statement.
   */
  async findLive(id: Buffer, idleMinutes: number): Promise<LiveConsoleSession | null> {
    const rows: { organiser_id: string; csrf_secret: Buffer }[] = await this.dataSource.query(
      `WITH s AS (
         SELECT id, organiser_id, csrf_secret, last_seen_at FROM console_sessions
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
           AND last_seen_at > now() - make_interval(mins => $2)
       ), touched AS (
         UPDATE console_sessions c SET last_seen_at = now() FROM s
         WHERE c.id = s.id AND s.last_seen_at < now() - interval '1 minute'
         RETURNING c.id
       )
       SELECT organiser_id, csrf_secret FROM s`,
      [id, idleMinutes],
    );
    return rows[0] ? { organiserId: rows[0].organiser_id, csrfSecret: rows[0].csrf_secret } : null;
  }

  async revoke(id: Buffer): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }

  /** Revokes every live session of the organiser except `keep` (null: all); returns how many. */
  async revokeAllOf(organiserId: string, keep: Buffer | null): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `WITH ended AS (
         UPDATE console_sessions SET revoked_at = now()
         WHERE organiser_id = $1 AND revoked_at IS NULL AND ($2::bytea IS NULL OR id <> $2)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM ended`,
      [organiserId, keep],
    );
    return rows[0].n;
  }
}
