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
  emailPublic: boolean;
  /** When letters to this address stopped after repeated hard bounces. */
  suppressedAt: string | null;
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
      emailPublic: t.emailPublic,
      suppressedAt: t.suppressedAt ? t.suppressedAt.toISOString() : null,
      createdAt: t.createdAt.toISOString(),
    };
  }
}

/** A target as the public sees it: its address only if the organiser made it public. */
export class PublicTargetDto {
  name: string;
  title: string | null;
  organisation: string | null;
  email?: string;

  static from(t: Target): PublicTargetDto {
    return {
      name: t.name,
      title: t.title,
      organisation: t.organisation,
      ...(t.emailPublic ? { email: t.email } : {}),
    };
  }
}
