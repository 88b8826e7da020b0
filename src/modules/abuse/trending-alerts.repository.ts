import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TrendingSourceType } from './trending-alert.entity';

/** One alerting process at a time (a transaction-scoped advisory lock; the unique row also forbids a second alert). */
const TRENDING_ALERT_LOCK = 4_260_006;

/** An alert to record: a source past the threshold for a campaign in one window. */
export interface NewTrendingAlert {
  campaignId: string;
  sourceType: TrendingSourceType;
  source: string;
  windowStart: Date;
  windowEnd: Date;
  newSignatures: number;
}

interface LockRow {
  locked: boolean;
}

interface RecordedRow {
  campaign_id: string;
  source_type: TrendingSourceType;
  source: string;
  window_start: Date;
}

/** The only code that writes trending_alerts. */
@Injectable()
export class TrendingAlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Takes the alerting lock for the transaction; false when another process holds it. */
  async tryLock(m: EntityManager): Promise<boolean> {
    const [row]: LockRow[] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [TRENDING_ALERT_LOCK]);
    return row.locked;
  }

  /**
   * Records the alerts not recorded before, in one statement, and returns those of `alerts` (the
   * others were alerted already: unique per campaign, source and window).
   */
  async recordNew<T extends NewTrendingAlert>(m: EntityManager, alerts: T[]): Promise<T[]> {
    if (!alerts.length) return [];
    const rows: RecordedRow[] = await m.query(
      `INSERT INTO trending_alerts (campaign_id, source_type, source, window_start, window_end, new_signatures)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[])
       ON CONFLICT (campaign_id, source_type, source, window_start, window_end) DO NOTHING
       RETURNING campaign_id, source_type, source, window_start`,
      [
        alerts.map((a) => a.campaignId),
        alerts.map((a) => a.sourceType),
        alerts.map((a) => a.source),
        alerts.map((a) => a.windowStart),
        alerts.map((a) => a.windowEnd),
        alerts.map((a) => a.newSignatures),
      ],
    );
    const key = (campaignId: string, type: string, source: string, start: Date) => `${campaignId}|${type}|${source}|${start.getTime()}`;
    const recorded = new Set(rows.map((r) => key(r.campaign_id, r.source_type, r.source, new Date(r.window_start))));
    return alerts.filter((a) => recorded.has(key(a.campaignId, a.sourceType, a.source, a.windowStart)));
  }
}
