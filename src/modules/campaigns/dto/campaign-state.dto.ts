import type { CampaignStatus } from '../campaign.entity';

export type { CampaignStatus };

/** Where a campaign stands, for other modules' rules (whether it takes signatures, confirmations). */
export interface CampaignState {
  id: string;
  slug: string;
  status: CampaignStatus;
  endsAt: Date | null;
  closedAt: Date | null;
}
