import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TallyRemoval } from './dto/tally-removal.dto';

export interface FoldResult {
  events: number;
  milestones: { campaignId: string; percent: number }[];
}

export interface Drift {
  campaignId: string;
  counted: number;
  actual: number;
}

/** Rows as PostgreSQL answers (bigint and count(*) arrive as strings). */
interface FoldRow {
  events: string;
  milestones: { campaignId: string; percent: number }[] | null;
}

interface DriftRow {
  campaign_id: string;
  counted: string;
  actual: string;
}

interface VerifiedRow {
  verified: string;
}

interface CountryRow {
  country: string;
  verified: string;
}

interface DayRow {
  day: string;
  verified: string;
}

interface MilestoneRow {
  percent: number;
  reached_at: Date;
}

/** The only code that touches tally events, counters and milestones. */
@Injectable()
export class TallyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One event per confirmed signature, in the confirming transaction. The day is UTC, like verified_at's. */
  /**
   * For the metrics scrape: the lowest and highest ids of the events not folded yet (null: none)
   * and how many there are, counted up to `countCap`. Two primary-key probes and a bounded count,
   * cut off after `timeoutMs` by PostgreSQL.
   */
  async unfolded(timeoutMs: number, countCap: number): Promise<{ oldestAgeSeconds: number; count: number }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
      // The lowest id is the first written (a bigserial): its age, from the primary key's first entry.
      const [row]: { age: number | null; n: number }[] = await m.query(
        `SELECT (SELECT extract(epoch FROM clock_timestamp() - created_at) FROM tally_events ORDER BY id LIMIT 1)::float8 AS age,
                (SELECT count(*) FROM (SELECT 1 FROM tally_events LIMIT $1) capped)::int AS n`,
        [countCap],
      );
      return { oldestAgeSeconds: Math.max(0, row.age ?? 0), count: row.n };
    });
  }

  /** A campaign's counter at zero, so its count reads 0 from the start (in the creating transaction). */
  async openCounter(manager: EntityManager, campaignId: string): Promise<void> {
    await manager.query(`INSERT INTO campaign_counters (campaign_id, verified) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [campaignId]);
  }

  async recordVerified(manager: EntityManager, campaignId: string, country: string): Promise<void> {
    await manager.query(
      `INSERT INTO tally_events (campaign_id, country, day) VALUES ($1, $2, (now() AT TIME ZONE 'UTC')::date)`,
      [campaignId, country],
    );
  }

  /** One negative event per (country, day) group of signatures taken out of the count, in the caller's transaction. */
  async recordRemoved(manager: EntityManager, campaignId: string, removed: TallyRemoval[]): Promise<void> {
    await manager.query(
      `INSERT INTO tally_events (campaign_id, country, day, delta)
       SELECT $1, r.country, r.day::date, -r.n FROM unnest($2::text[], $3::text[], $4::int[]) AS r (country, day, n)`,
      [campaignId, removed.map((r) => r.country), removed.map((r) => r.day), removed.map((r) => r.count)],
    );
  }

  /**
   * Folds up to `limit` events into the counters in one statement: the events are deleted and
   * their sums added per campaign, per country and per day; milestones reached are recorded.
   * Sums may be negative (an invalidation's events). A negative campaign sum only lowers the
   * existing counter (a plain UPDATE: PostgreSQL checks an upsert's proposed row, negative here,
   * against `verified >= 0` before it sees the conflict); a campaign whose batch took its count
   * back below a milestone loses that milestone (it was reached with signatures that no longer
   * count) and records it again when it is reached for real. Concurrent folds take disjoint batches
   * (SKIP LOCKED). A negative event waits for the next fold while an earlier event of its campaign
   * is in another fold's batch: that one may hold the +1 it takes back, and the count never goes
   * below what was really counted (nor below zero). Counters change once per batch, never once per
   * signature.
   */
  async fold(limit: number): Promise<FoldResult> {
    const rows: FoldRow[] = await this.dataSource.query(
        `WITH picked AS (
           SELECT id, campaign_id, delta FROM tally_events ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
         ), batch AS (
           DELETE FROM tally_events
            WHERE id IN (
              SELECT p.id FROM picked p
               WHERE p.delta >= 0 OR NOT EXISTS (
                 SELECT 1 FROM tally_events e
                  WHERE e.campaign_id = p.campaign_id AND e.id < p.id AND e.id NOT IN (SELECT id FROM picked)))
            RETURNING campaign_id, country, day, delta
         ), sums AS (
           SELECT campaign_id, sum(delta) AS n FROM batch GROUP BY campaign_id
         ), added AS (
           INSERT INTO campaign_counters AS k (campaign_id, verified, updated_at)
           SELECT campaign_id, n, now() FROM sums WHERE n >= 0
           ON CONFLICT (campaign_id) DO UPDATE SET verified = k.verified + EXCLUDED.verified, updated_at = now()
           RETURNING k.campaign_id, k.verified
         ), taken AS (
           UPDATE campaign_counters k SET verified = k.verified + s.n, updated_at = now()
             FROM sums s
            WHERE s.n < 0 AND k.campaign_id = s.campaign_id
           RETURNING k.campaign_id, k.verified
         ), campaign_sums AS (
           SELECT campaign_id, verified FROM added UNION ALL SELECT campaign_id, verified FROM taken
         ), country_sums AS (
           INSERT INTO campaign_country_counters AS k (campaign_id, country, verified)
           SELECT campaign_id, country, sum(delta) FROM batch GROUP BY campaign_id, country
           ON CONFLICT (campaign_id, country) DO UPDATE SET verified = k.verified + EXCLUDED.verified
           RETURNING 1
         ), day_sums AS (
           INSERT INTO campaign_day_counters AS k (campaign_id, day, verified)
           SELECT campaign_id, day, sum(delta) FROM batch GROUP BY campaign_id, day
           ON CONFLICT (campaign_id, day) DO UPDATE SET verified = k.verified + EXCLUDED.verified
           RETURNING 1
         ), reached AS (
           INSERT INTO campaign_milestones (campaign_id, percent, reached_at)
           SELECT s.campaign_id, p.percent, now()
             FROM campaign_sums s
             JOIN campaigns c ON c.id = s.campaign_id
             CROSS JOIN (VALUES (25), (50), (75), (100)) AS p (percent)
            WHERE c.goal IS NOT NULL AND s.verified * 100 >= c.goal::bigint * p.percent
           ON CONFLICT DO NOTHING
           RETURNING campaign_id, percent
         ), withdrawn AS (
           DELETE FROM campaign_milestones m
            USING taken s, campaigns c
            WHERE m.campaign_id = s.campaign_id AND c.id = s.campaign_id
              AND c.goal IS NOT NULL AND s.verified * 100 < c.goal::bigint * m.percent
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM batch) AS events,
                (SELECT count(*) FROM country_sums) + (SELECT count(*) FROM day_sums) + (SELECT count(*) FROM withdrawn) AS _written,
                (SELECT json_agg(json_build_object('campaignId', campaign_id, 'percent', percent)) FROM reached) AS milestones`,
        [limit],
      );
    return { events: Number(rows[0].events), milestones: rows[0].milestones ?? [] };
  }

  /**
   * Makes every counter equal to what the signatures say, less the events not folded yet, and
   * returns the campaign counters that were wrong. Holds a lock that keeps confirmations from
   * adding events and folds from removing them while it runs (a few hundred ms for a million
   * signatures), so the comparison is exact.
   */
  async reconcile(): Promise<Drift[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query('LOCK TABLE tally_events IN SHARE ROW EXCLUSIVE MODE');
      const drift: DriftRow[] = await m.query(
        `WITH actual AS (
           SELECT campaign_id, count(*) AS n FROM signatures WHERE status = 'verified' GROUP BY campaign_id
         ), unfolded AS (
           SELECT campaign_id, sum(delta) AS n FROM tally_events GROUP BY campaign_id
         ), expected AS (
           SELECT c.id AS campaign_id, coalesce(a.n, 0) - coalesce(u.n, 0) AS n
             FROM campaigns c LEFT JOIN actual a ON a.campaign_id = c.id LEFT JOIN unfolded u ON u.campaign_id = c.id
         ), fixed AS (
           INSERT INTO campaign_counters AS k (campaign_id, verified, updated_at)
           SELECT campaign_id, n, now() FROM expected
           ON CONFLICT (campaign_id) DO UPDATE SET verified = EXCLUDED.verified, updated_at = now()
            WHERE k.verified IS DISTINCT FROM EXCLUDED.verified
           RETURNING k.campaign_id, k.verified
         )
         SELECT f.campaign_id, coalesce(old.verified, 0) AS counted, f.verified AS actual
           FROM fixed f LEFT JOIN campaign_counters old ON old.campaign_id = f.campaign_id`,
      );
      await m.query(TallyRepository.reconcileBreakdown('campaign_country_counters', 'country', 'country'));
      await m.query(TallyRepository.reconcileBreakdown('campaign_day_counters', 'day', "(verified_at AT TIME ZONE 'UTC')::date"));
      return drift.map((d) => ({ campaignId: d.campaign_id, counted: Number(d.counted), actual: Number(d.actual) }));
    });
  }

  /**
   * SQL that sets a breakdown counter table (per country, per day) to the verified signatures less
   * the unfolded events, and deletes keys that no longer have any. Identifiers are constants.
   */
  private static reconcileBreakdown(table: string, key: string, signatureKey: string): string {
    return `WITH expected AS (
        SELECT campaign_id, ${key}, sum(n) AS n FROM (
          SELECT campaign_id, ${signatureKey} AS ${key}, count(*) AS n FROM signatures WHERE status = 'verified' GROUP BY 1, 2
          UNION ALL
          SELECT campaign_id, ${key}, -sum(delta) FROM tally_events GROUP BY 1, 2) x
        GROUP BY 1, 2
      ), upserted AS (
        INSERT INTO ${table} AS k (campaign_id, ${key}, verified)
        SELECT campaign_id, ${key}, n FROM expected
        ON CONFLICT (campaign_id, ${key}) DO UPDATE SET verified = EXCLUDED.verified
         WHERE k.verified IS DISTINCT FROM EXCLUDED.verified
        RETURNING 1
      )
      DELETE FROM ${table} k
       WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.campaign_id = k.campaign_id AND e.${key} = k.${key})`;
  }

  /** The folded count of verified signatures (0 before the first fold of a campaign without a counter). */
  async verified(campaignId: string): Promise<number> {
    const rows: VerifiedRow[] = await this.dataSource.query(
      `SELECT verified FROM campaign_counters WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows.length ? Number(rows[0].verified) : 0;
  }

  async byCountry(campaignId: string): Promise<{ country: string; verified: number }[]> {
    const rows: CountryRow[] = await this.dataSource.query(
      `SELECT country, verified FROM campaign_country_counters WHERE campaign_id = $1 AND verified > 0
        ORDER BY verified DESC, country`,
      [campaignId],
    );
    return rows.map((r) => ({ country: r.country, verified: Number(r.verified) }));
  }

  async byDay(campaignId: string): Promise<{ day: string; verified: number }[]> {
    const rows: DayRow[] = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, verified FROM campaign_day_counters
        WHERE campaign_id = $1 AND verified > 0 ORDER BY day`,
      [campaignId],
    );
    return rows.map((r) => ({ day: r.day, verified: Number(r.verified) }));
  }

  async milestones(campaignId: string): Promise<{ percent: number; reachedAt: string }[]> {
    const rows: MilestoneRow[] = await this.dataSource.query(
      `SELECT percent, reached_at FROM campaign_milestones WHERE campaign_id = $1 ORDER BY percent`,
      [campaignId],
    );
    return rows.map((r) => ({ percent: r.percent, reachedAt: r.reached_at.toISOString() }));
  }
}
