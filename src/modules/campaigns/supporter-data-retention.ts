import type { Campaign } from './campaign.entity';

const HOUR_MS = 3_600_000;

/**
 * When a campaign's supporters are anonymised (SIGNATURE_RETENTION_DAYS_AFTER_CLOSE): `afterDays`
 * after it stopped for good — closed, or won (a won campaign's `won_at` is never before its
 * `closed_at`, so the later of the two). Null while it is a draft or live (reopening a closed
 * campaign clears its `closed_at`). Once the retention job did it, when it did.
 */
export function supporterDataAnonymisedAt(
  c: Pick<Campaign, 'status' | 'closedAt' | 'wonAt'> & { supportersAnonymisedAt?: Date | null },
  afterDays: number,
): Date | null {
  if (c.status !== 'closed' && c.status !== 'won') return null;
  if (c.supportersAnonymisedAt) return c.supportersAnonymisedAt;
  const ended = [c.closedAt, c.wonAt].filter((d): d is Date => d !== null && d !== undefined);
  if (!ended.length) return null;
  return new Date(Math.max(...ended.map((d) => d.getTime())) + afterDays * 24 * HOUR_MS);
}

/**
 * The same rule in SQL, on table campaigns, for a parameter holding `afterDays`: the campaign is
 * closed or won and ended more than that long ago (exact hours, as above: never a calendar day
 * that a time zone's clock change makes 23 or 25 hours long).
 */
export function anonymisationDueSql(afterDaysParameter: string): string {
  return `status IN ('closed', 'won') AND greatest(closed_at, won_at) < now() - make_interval(hours => ${afterDaysParameter} * 24)`;
}
