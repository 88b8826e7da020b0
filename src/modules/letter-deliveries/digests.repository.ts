import { Injectable } from '@nestjs/common';
import { Keyring } from '../../infra/crypto/keyring';
import { DataSource } from 'typeorm';

/** One lock for all digest cutters, so that a period is cut once. */
const DIGEST_LOCK = 4_260_005;

/** A supporter a digest names: one who agreed to be shown. */
export interface DigestSupporter {
  name: string;
  city: string | null;
  country: string;
}

interface LockRow {
  locked: boolean;
}

interface IdRow {
  id: string;
}

interface SupporterRow {
  id: string;
  name: string;
  city: string | null;
  country: string;
  /** As PostgreSQL writes it, to the microsecond: the next page's cursor. */
  verified_at: string;
}

/** The SQL of digests (table digests, and the letters each digest writes). */
@Injectable()
export class DigestsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
  ) {}

  /**
   * Cuts the digests that are due: for each digest campaign whose last digest (or publication) is
   * at least `intervalHours` old and that has new verified supporters, one digest row and one
   * letter per target that is not suppressed. The period ends 30 s in the past, so a confirmation
   * committing right now (its verified_at a moment earlier) falls in the next period, not between
   * two. One cutter at a time (advisory lock); returns how many letters were queued.
   */
  async cutDue(intervalHours: number): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }]: LockRow[] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DIGEST_LOCK]);
      if (!locked) return 0;
      const rows: IdRow[] = await m.query(
        `WITH due AS (
           SELECT c.id AS campaign_id, coalesce(max(d.period_end), c.published_at) AS period_start
             FROM campaigns c LEFT JOIN digests d ON d.campaign_id = c.id
            WHERE c.letter_mode = 'digest' AND c.published_at IS NOT NULL
            GROUP BY c.id
           HAVING now() - interval '30 seconds' - coalesce(max(d.period_end), c.published_at) >= make_interval(hours => $1)
         ), counted AS (
           SELECT due.campaign_id, due.period_start, count(*) AS n
             FROM due JOIN signatures s ON s.campaign_id = due.campaign_id
            WHERE s.status = 'verified' AND s.verified_at > due.period_start AND s.verified_at <= now() - interval '30 seconds'
            GROUP BY due.campaign_id, due.period_start
         ), cut AS (
           INSERT INTO digests (campaign_id, period_start, period_end, supporters)
           SELECT campaign_id, period_start, now() - interval '30 seconds', n FROM counted
           RETURNING id, campaign_id
         )
         INSERT INTO letters (campaign_id, target_id, digest_id)
         SELECT cut.campaign_id, t.id, cut.id FROM cut JOIN targets t ON t.campaign_id = cut.campaign_id AND t.suppressed_at IS NULL
         RETURNING id`,
        [intervalHours],
      );
      return rows.length;
    });
  }

  /**
   * The supporters a digest letter may name: verified within its period and agreed to be shown,
   * (anonymised ones are counted, no longer named), in order, a page at a time (keyset on verified_at, id), so a digest of any size is read in
   * bounded steps. Those who did not agree are counted (`supporters` on the digest), never listed.
   * The period and the cursor stay in PostgreSQL's own precision (microseconds: a JavaScript Date
   * keeps milliseconds, which would name a supporter twice at a page's edge or drop one at the
   * period's).
   */
  async *supporters(digestId: string, pageSize = 1000): AsyncGenerator<DigestSupporter[]> {
    let after: { verifiedAt: string; id: string } | null = null;
    for (;;) {
      const rows: SupporterRow[] = await this.dataSource.query(
        `SELECT s.id, s.name, s.city, s.country, s.verified_at::text AS verified_at
           FROM digests d
           JOIN signatures s ON s.campaign_id = d.campaign_id
          WHERE d.id = $1 AND s.status = 'verified' AND s.show_name AND s.name IS NOT NULL
            AND s.verified_at > d.period_start AND s.verified_at <= d.period_end
            AND ($2::timestamptz IS NULL OR (s.verified_at, s.id) > ($2::timestamptz, $3::uuid))
          ORDER BY s.verified_at, s.id
          LIMIT $4`,
        [digestId, after?.verifiedAt ?? null, after?.id ?? null, pageSize],
      );
      if (rows.length) {
        yield rows.map((r) => ({ name: this.keyring.open('signature.name', r.name), city: this.keyring.openOrNull('signature.city', r.city), country: r.country }));
      }
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { verifiedAt: last.verified_at, id: last.id };
    }
  }
}
