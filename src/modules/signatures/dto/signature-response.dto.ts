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
}

export class CampaignStatsResponseDto {
  verified: number;
  pending: number;
  byCountry: { country: string; verified: number }[];
  byDay: { day: string; verified: number }[];
  milestones: { percent: number; reachedAt: string }[];
  /** Letters per target: queued, sending, sent, failed, bounced. */
  letters: { targetId: string; name: string; totals: LetterTotalsDto }[];
}
