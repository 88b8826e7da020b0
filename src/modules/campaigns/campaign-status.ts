import type { CampaignStatus } from './campaign.entity';

/**
 * The life of a campaign: draft → live → closed, and live or closed → won (a victory).
 * A closed campaign may go live again (its deadline extended); a won one is final.
 */
const NEXT: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['live'],
  live: ['closed', 'won'],
  closed: ['live', 'won'],
  won: [],
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return NEXT[from].includes(to);
}

/** The status the public sees: a live campaign whose deadline has passed is closed, even before the sweep runs. */
export function effectiveStatus(status: CampaignStatus, endsAt: Date | null, now = new Date()): CampaignStatus {
  return status === 'live' && endsAt !== null && endsAt.getTime() <= now.getTime() ? 'closed' : status;
}
