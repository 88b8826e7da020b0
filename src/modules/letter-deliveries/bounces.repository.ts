import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

interface BouncedRow {
  target_id: string;
}

/** TypeORM's PostgreSQL driver answers an UPDATE (with RETURNING too) with its rows and their count. */
type Updated<Row> = [Row[], number];

interface CountRow {
  n: number;
}

/** The SQL of delivery reports (table letters): a letter bounced, a suppressed target's waiting letters failed. */
@Injectable()
export class BouncesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Marks a sent (or still sending) letter bounced; its target, or null when there was nothing to mark. */
  async markBounced(m: EntityManager, letterId: string, status: string): Promise<string | null> {
    const [rows]: Updated<BouncedRow> = await m.query(
      `UPDATE letters SET status = 'bounced', last_error = $2 WHERE id = $1 AND status IN ('sent', 'sending') RETURNING target_id`,
      [letterId, `bounced: ${status}`],
    );
    return rows[0]?.target_id ?? null;
  }

  /** How many of the target's letters have bounced. */
  async countBounced(m: EntityManager, targetId: string): Promise<number> {
    const [{ n }]: CountRow[] = await m.query(`SELECT count(*)::int AS n FROM letters WHERE target_id = $1 AND status = 'bounced'`, [targetId]);
    return n;
  }

  /** Fails the target's letters still waiting, saying why. */
  async failQueued(m: EntityManager, targetId: string, reason: string): Promise<void> {
    await m.query(`UPDATE letters SET status = 'failed', last_error = $2 WHERE target_id = $1 AND status = 'queued'`, [targetId, reason]);
  }
}
