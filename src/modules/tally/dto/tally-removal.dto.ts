/**
 * Verified signatures taken out of the count (a bulk invalidation), grouped by what the count knew
 * them by: their country and the UTC day they were counted on (`YYYY-MM-DD`, `verified_at`'s day).
 */
export interface TallyRemoval {
  country: string;
  day: string;
  count: number;
}
