import type { CampaignStatus } from './campaign.entity';

/**
 * The life of a campaign: draft → live → closed, and live or closed → won (a victory).
 * A closed campaign may go live again (its deadline extended); a won one is final.
 * With PUBLISH_REQUIRES_REVIEW, a draft goes to in_review first: an admin puts it live or sends it
 * back to draft (with a note).
 */
const NEXT: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['in_review', 'live'],
  in_review: ['draft', 'live'],
  live: ['closed', 'won'],
  closed: ['live', 'won'],
  won: [],
};

/** The moves an organiser makes from the status page (publish, close, win, reopen); review moves are an admin's. */
const ORGANISER_NEXT: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['live'],
  in_review: [],
  live: ['closed', 'won'],
  closed: ['live', 'won'],
  won: [],
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return NEXT[from].includes(to);
}

/** Whether an organiser may ask for this move (publishing may still end in review). */
export function organiserCanTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return ORGANISER_NEXT[from].includes(to);
}

/** Whether the public may see a campaign in this status (a draft or one in review: no). */
export function isPublicStatus(status: CampaignStatus): boolean {
  return status !== 'draft' && status !== 'in_review';
}

/** The SQL condition of isPublicStatus on a column. */
export const PUBLIC_STATUS_SQL = (column: string) => `${column} NOT IN ('draft', 'in_review')`;

/** The status the public sees: a live campaign whose deadline has passed is closed, even before the sweep runs. */
export function effectiveStatus(status: CampaignStatus, endsAt: Date | null, now = new Date()): CampaignStatus {
  return status === 'live' && endsAt !== null && endsAt.getTime() <= now.getTime() ? 'closed' : status;
}
