import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** One lock for all dispatchers, so that two cannot both spend one target's hourly budget. */
const DISPATCH_LOCK = 4_260_004;

interface IdRow {
  id: string;
}

/** TypeORM's PostgreSQL driver answers an UPDATE (with RETURNING too) with its rows and their count. */
type Updated<Row> = [Row[], number];

interface LockRow {
  locked: boolean;
}

/**
 * Releases queued letters ($1 pace per hour, $2 at most in all, $3 one target or null for all):
 * per waiting target, its room in the last hour, then its oldest letters through its own index
 * range (LATERAL … LIMIT), round-robin across targets. Exported for the plan test.
 */
export const RELEASE_LETTERS_SQL = `WITH waiting AS (
   SELECT t.id AS target_id,
          $1 - (SELECT count(*) FROM letters c
                 WHERE c.target_id = t.id AND c.claimed_at > now() - interval '1 hour') AS room
     FROM targets t
     -- LIMIT 1 keeps this a probe per target: as EXISTS it may become a scan of every queued letter.
     CROSS JOIN LATERAL (SELECT 1 FROM letters q WHERE q.target_id = t.id AND q.status = 'queued' LIMIT 1) q
    WHERE t.suppressed_at IS NULL AND ($3::uuid IS NULL OR t.id = $3)
      AND (t.time_zone IS NULL OR (
            nida_zone_now(t.time_zone)::time >= t.window_start
        AND nida_zone_now(t.time_zone)::time < t.window_end
        AND extract(isodow FROM nida_zone_now(t.time_zone))::smallint = ANY (t.window_days)))
 ), picked AS (
   SELECT p.id, p.n
     FROM waiting w
     CROSS JOIN LATERAL (
       SELECT l.id, row_number() OVER (ORDER BY l.created_at, l.id) AS n
         FROM letters l
        WHERE l.target_id = w.target_id AND l.status = 'queued'
        ORDER BY l.created_at, l.id
        LIMIT LEAST(w.room, $2)) p
    WHERE w.room > 0
    ORDER BY p.n
    LIMIT $2
 )
 -- = ANY(ARRAY(…)): one primary-key probe per picked letter; a join here may hash the whole table.
 UPDATE letters SET status = 'sending', claimed_at = now(), enqueued_at = now()
  WHERE id = ANY (ARRAY(SELECT id FROM picked))
 RETURNING id`;
/**
 * The SQL of letter dispatch (table letters): releasing paced letters, and finding those whose
 * job may be lost. The dispatch service holds the order of the steps and what a failure means.
 */
@Injectable()
export class LetterDispatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Takes the dispatchers' transaction-scoped advisory lock; false when another dispatcher holds it. */
  async tryLock(m: EntityManager): Promise<boolean> {
    const [row]: LockRow[] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DISPATCH_LOCK]);
    return row.locked;
  }

  /**
   * One release statement (RELEASE_LETTERS_SQL), over every waiting target or only `targetId`, in
   * a savepoint: when it fails, the transaction is rolled back to before it (and stays usable) and
   * the error is thrown. Returns the ids released.
   */
  async release(m: EntityManager, pacePerHour: number, limit: number, targetId: string | null): Promise<string[]> {
    await m.query('SAVEPOINT letter_release');
    try {
      const [rows]: Updated<IdRow> = await m.query(RELEASE_LETTERS_SQL, [pacePerHour, limit, targetId]);
      await m.query('RELEASE SAVEPOINT letter_release');
      return rows.map((r) => r.id);
    } catch (error) {
      await m.query('ROLLBACK TO SAVEPOINT letter_release');
      throw error;
    }
  }

  /** The targets not suppressed that have letters waiting, to release one at a time. */
  async waitingTargets(m: EntityManager): Promise<string[]> {
    const rows: IdRow[] = await m.query(
      `SELECT t.id FROM targets t
        WHERE t.suppressed_at IS NULL
          AND EXISTS (SELECT 1 FROM letters l WHERE l.target_id = t.id AND l.status = 'queued')`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Released letters still unsent, not held by a sender, whose job was never enqueued (Redis was
   * away) or may be lost (enqueued more than `requeueAfterSeconds` before now and before
   * `waitingSince`, when the oldest letter job still waiting was added): enqueue again.
   * A letter whose sender died mid-send is among the latter once its lease ran out (no index holds
   * the lease, so that a claim is a heap-only update). Two bounded index reads.
   */
  async takeLost(requeueAfterSeconds: number, limit: number, waitingSince: Date | null = null): Promise<string[]> {
    const [rows]: Updated<IdRow> = await this.dataSource.query(
      `WITH fresh AS (
         SELECT id FROM letters
          WHERE status = 'sending' AND enqueued_at IS NULL AND (lease_until IS NULL OR lease_until < now())
          ORDER BY claimed_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), stale AS (
         SELECT id FROM letters
          WHERE status = 'sending' AND enqueued_at < least(now(), coalesce($3::timestamptz, now())) - make_interval(secs => $1)
            AND (lease_until IS NULL OR lease_until < now())
          ORDER BY enqueued_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), lost AS (
         SELECT id FROM fresh UNION SELECT id FROM stale LIMIT $2
       )
       UPDATE letters SET enqueued_at = now() WHERE id = ANY (ARRAY(SELECT id FROM lost))
       RETURNING id`,
      [requeueAfterSeconds, limit, waitingSince],
    );
    return rows.map((r) => r.id);
  }

  /**
   * For the metrics scrape: how many letters wait for release (queued: paced, or outside their
   * target's hours) and how long the oldest has waited, in seconds. One read of the queued-letters
   * index, cut off after `timeoutMs` by PostgreSQL.
   */
  async waiting(timeoutMs: number): Promise<{ count: number; oldestAgeSeconds: number }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
      const [row]: { n: number; age: number | null }[] = await m.query(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age FROM letters WHERE status = 'queued'`,
      );
      return { count: row.n, oldestAgeSeconds: Math.max(0, row.age ?? 0) };
    });
  }

  /** Letters whose job could not be added: the next pass takes them as never enqueued. */
  async markNotEnqueued(ids: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE letters SET enqueued_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`, [ids]);
  }
}
