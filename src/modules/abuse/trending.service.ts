import { Injectable } from '@nestjs/common';
import type { TrendingCampaignDto, TrendingResponseDto } from './dto/trending-response.dto';
import { TrendingRepository } from './trending.repository';
import { TRENDING_TOP, TRENDING_WINDOWS, type TrendingWindow } from './trending-window';

/** count ÷ total, 0–1, to four decimals. */
export function shareOf(count: number, total: number): number {
  return total > 0 ? Math.round((count / total) * 10_000) / 10_000 : 0;
}

/**
 * Trending sources for admins: per campaign with new signatures in the last window, the client
 * addresses (keyed hashes), email domains and countries that brought the most, each with its
 * share of the campaign's new signatures. One statement (see SOURCE_COUNTS_SQL for its cost).
 */
@Injectable()
export class TrendingService {
  constructor(private readonly counts: TrendingRepository) {}

  async top(window: TrendingWindow, now = new Date()): Promise<TrendingResponseDto> {
    const seconds = TRENDING_WINDOWS[window];
    const from = new Date(now.getTime() - seconds * 1000);
    const rows = await this.counts.sourceCounts({ from, to: now, origin: from, windowSeconds: seconds, top: TRENDING_TOP, above: 0 });
    const campaigns = new Map<string, TrendingCampaignDto>();
    for (const r of rows) {
      let campaign = campaigns.get(r.campaignId);
      if (!campaign) {
        campaign = { campaignId: r.campaignId, slug: r.campaign.slug, title: r.campaign.title, newSignatures: r.total, addresses: [], domains: [], countries: [] };
        campaigns.set(r.campaignId, campaign);
      }
      const counted = { count: r.count, share: shareOf(r.count, r.total) };
      if (r.sourceType === 'ip') campaign.addresses.push({ ipHash: r.source, ...counted });
      else if (r.sourceType === 'domain') campaign.domains.push({ domain: r.source, ...counted });
      else campaign.countries.push({ country: r.source, ...counted });
    }
    return { window, from: from.toISOString(), to: now.toISOString(), campaigns: [...campaigns.values()] };
  }
}
