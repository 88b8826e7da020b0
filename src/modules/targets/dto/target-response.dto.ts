import type { Locale } from '../../campaigns/campaign.entity';
import type { Target } from '../target.entity';

/** A target as its campaign's organisers see it (with its email). */
export class TargetResponseDto {
  id: string;
  campaignId: string;
  name: string;
  title: string | null;
  organisation: string | null;
  email: string;
  locale: Locale;
  country: string | null;
  createdAt: string;

  static from(t: Target): TargetResponseDto {
    return {
      id: t.id,
      campaignId: t.campaignId,
      name: t.name,
      title: t.title,
      organisation: t.organisation,
      email: t.email,
      locale: t.locale,
      country: t.country,
      createdAt: t.createdAt.toISOString(),
    };
  }
}
