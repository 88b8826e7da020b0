import { ApiEnum } from '../../../common/api-schema';
import { TRENDING_WINDOW_NAMES, type TrendingWindow } from '../trending-window';

/** A client address, by its keyed hash (never the address): its new signatures and their share of the campaign's. */
export class TrendingAddressDto {
  /** HMAC of the address keyed with APP_SECRET, as stored with each signature (usable as an invalidation's `ipHash`). */
  ipHash: string;
  count: number;
  /** count ÷ the campaign's new signatures in the window, 0–1 (four decimals). */
  share: number;
}

export class TrendingDomainDto {
  /** The email domain, lower case. */
  domain: string;
  count: number;
  /** count ÷ the campaign's new signatures in the window, 0–1 (four decimals). */
  share: number;
}

export class TrendingCountryDto {
  /** ISO 3166-1 alpha-2, as the signer gave it. */
  country: string;
  count: number;
  /** count ÷ the campaign's new signatures in the window, 0–1 (four decimals). */
  share: number;
}

/** One campaign with new signatures in the window, and its top sources (10 of each kind, largest first). */
export class TrendingCampaignDto {
  campaignId: string;
  slug: string;
  title: string;
  /** New signatures of every status (pending, verified, held, invalidated) created in the window. */
  newSignatures: number;
  addresses: TrendingAddressDto[];
  domains: TrendingDomainDto[];
  countries: TrendingCountryDto[];
}

export class TrendingResponseDto {
  @ApiEnum(TRENDING_WINDOW_NAMES)
  window: TrendingWindow;
  /** The window's start (included) and end (excluded), ISO 8601. */
  from: string;
  to: string;
  /** Campaigns with new signatures in the window, the most first. */
  campaigns: TrendingCampaignDto[];
}
