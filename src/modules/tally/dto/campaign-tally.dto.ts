/** A campaign's counters as the tally keeps them: what organisers' stats show. */
export interface CampaignTally {
  /** Verified signatures folded so far (the public count). */
  verified: number;
  byCountry: { country: string; verified: number }[];
  /** `day` is `YYYY-MM-DD` (UTC). */
  byDay: { day: string; verified: number }[];
  milestones: { percent: number; reachedAt: string }[];
}
