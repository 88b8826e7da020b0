import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiLocale } from '../../../common/api-schema';
import { ApiCampaignKind, ApiCampaignStatus, ApiCaseStatus, ApiCommentMode } from './campaign-api';
import { TranslationsDto } from './campaign-fields';
import type { Campaign, CampaignKind, CampaignStatus, CaseStatus, CommentMode } from '../campaign.entity';
import type { CampaignTranslations, Locale } from '../../../common/locale';
import { effectiveStatus } from '../campaign-status';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class PublicOrganisationDto {
  /** What a signer names in `contactConsent` to let this organisation contact them. */
  id: string;
  name: string;
}

/**
 * A campaign as anyone sees it: no owner ids, no letter, never an email. The public route adds its
 * targets (public-campaigns module), which this module does not know.
 */
export class PublicCampaignDto {
  id: string;
  slug: string;
  @ApiCampaignKind()
  kind: CampaignKind;
  /** `live`, `closed` or `won` (a live campaign past its deadline shows as closed). */
  @ApiCampaignStatus()
  status: CampaignStatus;
  @ApiLocale()
  locale: Locale;
  /** The campaign's own locale first, then its translations. */
  @ApiLocale({ isArray: true, example: ['ar', 'en'] })
  availableLocales: Locale[];
  title: string;
  summary: string;
  body: string;
  /** The texts in the other language. */
  @ApiProperty({ type: () => TranslationsDto })
  translations: CampaignTranslations;
  goal: number | null;
  endsAt: string | null;
  /** The zone the campaign's dates are meant in; null: the platform's PAGE_TIME_ZONE. */
  @ApiProperty({ type: String, nullable: true, example: 'Asia/Baghdad' })
  timeZone: string | null;
  outcome: string | null;
  /** An urgent action's case status; null when not set. */
  @ApiCaseStatus({ nullable: true })
  caseStatus: CaseStatus | null;
  /** Whether supporters' comments are shown (`GET /campaigns/:slug/public-comments`): `off`, `moderated` or `open`. */
  @ApiCommentMode()
  comments: CommentMode;
  signatureCount: number;
  /** The lead organisation. */
  organisation: PublicOrganisationDto;
  /** The partner organisations running it with the lead ("by X, with Y and Z"), in the order they joined. */
  @ApiProperty({ type: () => PublicOrganisationDto, isArray: true })
  partners: PublicOrganisationDto[];
  publishedAt: string | null;
  closedAt: string | null;
  wonAt: string | null;

  static from(
    c: Campaign,
    signatureCount: number,
    organisationName: string,
    now = new Date(),
    partners: PublicOrganisationDto[] = [],
  ): PublicCampaignDto {
    return {
      id: c.id,
      slug: c.slug,
      kind: c.kind,
      status: effectiveStatus(c.status, c.endsAt, now),
      locale: c.locale,
      availableLocales: [c.locale, ...(Object.keys(c.translations) as Locale[]).filter((l) => l !== c.locale)],
      title: c.title,
      summary: c.summary,
      body: c.body,
      translations: c.translations,
      goal: c.goal,
      endsAt: iso(c.endsAt),
      timeZone: c.timeZone,
      outcome: c.outcome,
      caseStatus: c.caseStatus ?? null,
      comments: c.comments ?? 'moderated',
      signatureCount,
      organisation: { id: c.organisationId, name: organisationName },
      partners: partners.map((p) => ({ id: p.id, name: p.name })),
      publishedAt: iso(c.publishedAt),
      closedAt: iso(c.closedAt),
      wonAt: iso(c.wonAt),
    };
  }
}

/** A title and summary in one language. */
export class CampaignHeadlineDto {
  title: string;
  summary: string;
}

/** Titles and summaries in the languages other than the campaign's own. */
export class HeadlineTranslationsDto {
  @ApiPropertyOptional({ type: () => CampaignHeadlineDto })
  ar?: CampaignHeadlineDto;
  @ApiPropertyOptional({ type: () => CampaignHeadlineDto })
  en?: CampaignHeadlineDto;
}

/** One entry of the public list: the campaign without its long texts. */
export class PublicCampaignSummaryDto {
  id: string;
  slug: string;
  @ApiCampaignKind()
  kind: CampaignKind;
  @ApiCampaignStatus()
  status: CampaignStatus;
  @ApiLocale()
  locale: Locale;
  @ApiLocale({ isArray: true, example: ['ar', 'en'] })
  availableLocales: Locale[];
  title: string;
  summary: string;
  /** Titles and summaries in the other languages. */
  @ApiProperty({ type: () => HeadlineTranslationsDto })
  translations: Partial<Record<Locale, { title: string; summary: string }>>;
  goal: number | null;
  endsAt: string | null;
  signatureCount: number;
  organisation: PublicOrganisationDto;
  publishedAt: string | null;

  static from(c: Campaign, signatureCount: number, organisationName: string): PublicCampaignSummaryDto {
    const full = PublicCampaignDto.from(c, signatureCount, organisationName);
    const translations: PublicCampaignSummaryDto['translations'] = {};
    for (const [locale, text] of Object.entries(c.translations) as [Locale, { title: string; summary: string }][]) {
      translations[locale] = { title: text.title, summary: text.summary };
    }
    return {
      id: full.id,
      slug: full.slug,
      kind: full.kind,
      status: full.status,
      locale: full.locale,
      availableLocales: full.availableLocales,
      title: full.title,
      summary: full.summary,
      translations,
      goal: full.goal,
      endsAt: full.endsAt,
      signatureCount: full.signatureCount,
      organisation: full.organisation,
      publishedAt: full.publishedAt,
    };
  }
}

export class PublicCampaignListResponseDto {
  items: PublicCampaignSummaryDto[];
  total: number;
  page: number;
  pageSize: number;
}

export class CampaignCountResponseDto {
  verified: number;
  goal: number | null;
  updatedAt: string;
}
