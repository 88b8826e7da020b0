/** The answer to every accepted signing request: the same bytes for a new, a duplicate and a verified signer. */
export class SignatureAcceptedResponseDto {
  status: 'pending';
}

export class ConfirmedCampaignDto {
  slug: string;
  title: string;
  locale: string;
}

export class SignatureConfirmedResponseDto {
  status: 'verified';
  campaign: ConfirmedCampaignDto;
}

/** Letters to one target, by status. */
export class LetterTotalsDto {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  bounced: number;
  /** Not sent: the signature was invalidated first. */
  cancelled: number;
}

export class CampaignStatsResponseDto {
  /** Confirmed and counted (the public count, as folded). */
  verified: number;
  /** Signed, not confirmed yet. */
  pending: number;
  /** Stored over a limit, not mailed, not counted, until an organiser releases or discards them. */
  held: number;
  /** Counted once, then taken out of the count by a bulk invalidation. */
  invalidated: number;
  byCountry: { country: string; verified: number }[];
  byDay: { day: string; verified: number }[];
  milestones: { percent: number; reachedAt: string }[];
  /** Letters per target: queued, sending, sent, failed, bounced, cancelled. */
  letters: { targetId: string; name: string; totals: LetterTotalsDto }[];
}
