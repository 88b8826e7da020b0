import { ApiProperty } from '@nestjs/swagger';
import { ApiLetterMode, ApiLocale } from '../../../common/api-schema';
import { ApiCampaignKind, ApiCampaignStatus, ApiCaseStatus, ApiCommentMode } from './campaign-api';
import { TranslationsDto } from './campaign-fields';
import type { Campaign, CampaignKind, CampaignStatus, CaseStatus, CommentMode } from '../campaign.entity';
import type { LetterMode } from '../../../common/letter-mode';
import type { CampaignTranslations, Locale } from '../../../common/locale';
import { supporterDataAnonymisedAt } from '../supporter-data-retention';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class CampaignLetterResponseDto {
  @ApiLetterMode()
  mode: LetterMode;
  subject: string | null;
  body: string | null;
}

/** A campaign as its organisers see it. */
export class CampaignResponseDto {
  id: string;
  organisationId: string;
  slug: string;
  @ApiCampaignKind()
  kind: CampaignKind;
  @ApiCampaignStatus()
  status: CampaignStatus;
  @ApiLocale()
  locale: Locale;
  title: string;
  summary: string;
  body: string;
  /** The texts in the other language. */
  @ApiProperty({ type: () => TranslationsDto })
  translations: CampaignTranslations;
  goal: number | null;
  endsAt: string | null;
  /** The zone its pages show dates in; null: the platform's PAGE_TIME_ZONE. */
  @ApiProperty({ type: String, nullable: true, example: 'Asia/Baghdad' })
  timeZone: string | null;
  letter: CampaignLetterResponseDto;
  outcome: string | null;
  /** An urgent action's case status; null when not set. */
  @ApiCaseStatus({ nullable: true })
  caseStatus: CaseStatus | null;
  /** A win and public replies are posted and emailed as updates by themselves. */
  autoNotify: boolean;
  /** Supporters' comments on the public page: `off`, `moderated` (once approved) or `open`. */
  @ApiCommentMode()
  comments: CommentMode;
  /** Why an admin sent it back from review (PUBLISH_REQUIRES_REVIEW); null otherwise. Cleared when it is sent for review again. */
  reviewNote: string | null;
  /** When an organiser asked to publish it, while it is `in_review`. */
  reviewRequestedAt: string | null;
  signatureCount: number;
  publishedAt: string | null;
  closedAt: string | null;
  wonAt: string | null;
  /**
   * When its supporters' email, name, city, comment and address hash are (or were) deleted:
   * SIGNATURE_RETENTION_DAYS_AFTER_CLOSE days after it closed or was won (counts and breakdowns
   * stay). Null while it is a draft or live.
   */
  supporterDataAnonymisedAt: string | null;
  /** True once the daily retention job did it. */
  supporterDataAnonymised: boolean;
  createdAt: string;
  updatedAt: string;

  /** `retentionDays`: SIGNATURE_RETENTION_DAYS_AFTER_CLOSE. */
  static from(c: Campaign, signatureCount: number, retentionDays: number): CampaignResponseDto {
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
      timeZone: c.timeZone,
      letter: { mode: c.letterMode, subject: c.letterSubject, body: c.letterBody },
      outcome: c.outcome,
      caseStatus: c.caseStatus ?? null,
      autoNotify: c.autoNotify ?? false,
      comments: c.comments ?? 'moderated',
      reviewNote: c.reviewNote ?? null,
      reviewRequestedAt: iso(c.reviewRequestedAt ?? null),
      signatureCount,
      publishedAt: iso(c.publishedAt),
      closedAt: iso(c.closedAt),
      wonAt: iso(c.wonAt),
      supporterDataAnonymisedAt: iso(supporterDataAnonymisedAt(c, retentionDays)),
      supporterDataAnonymised: Boolean(c.supportersAnonymisedAt),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

/** An organisation's campaigns, drafts included. */
export class CampaignListResponseDto {
  items: CampaignResponseDto[];
  total: number;
  page: number;
  pageSize: number;
}
