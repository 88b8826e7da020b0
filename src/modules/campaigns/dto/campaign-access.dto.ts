import type { Campaign } from '../campaign.entity';

/** What a caller needs on a campaign: `view` (any organisation running it), `edit` (the lead and editor partners), `lead`. */
export type CampaignAccessLevel = 'view' | 'edit' | 'lead';

/** The caller's place on a campaign. */
export interface CampaignAccess {
  campaign: Campaign;
  /** The organisation the caller acts as: its own when a partner; the lead for the lead's organisers and admins. */
  organisationId: string;
  level: CampaignAccessLevel;
}
