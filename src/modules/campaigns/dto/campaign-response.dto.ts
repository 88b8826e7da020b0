import type { Campaign, CampaignKind, CampaignStatus, CampaignTranslations, LetterMode, Locale } from '../campaign.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class CampaignLetterResponseDto {
  mode: LetterMode;
  subject: string | null;
  body: string | null;
}

/** A campaign as its organisers see it. */
export class CampaignResponseDto {
  id: string;
  organisationId: string;
  slug: string;
  kind: CampaignKind;
  status: CampaignStatus;
  locale: Locale;
  title: string;
  summary: string;
  body: string;
  translations: CampaignTranslations;
  goal: number | null;
  endsAt: string | null;
  letter: CampaignLetterResponseDto;
  outcome: string | null;
  signatureCount: number;
  publishedAt: string | null;
  closedAt: string | null;
  wonAt: string | null;
  createdAt: string;
  updatedAt: string;

  static from(c: Campaign, signatureCount: number): CampaignResponseDto {
    return {
      id: c.id,
      organisationId: c.organisationId,
      slug: c.slug,
      kind: c.kind,
      status: c.status,
      locale: c.locale,
      title: c.title,
      summary: c.summary,
      body: c.body,
      translations: c.translations,
      goal: c.goal,
      endsAt: iso(c.endsAt),
      letter: { mode: c.letterMode, subject: c.letterSubject, body: c.letterBody },
      outcome: c.outcome,
      signatureCount,
      publishedAt: iso(c.publishedAt),
      closedAt: iso(c.closedAt),
      wonAt: iso(c.wonAt),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}
