import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiLocale } from '../../../common/api-schema';
import { ApiCampaignKind, ApiCaseStatus, ApiCommentMode } from './campaign-api';
import { CASE_STATUSES, type CampaignKind, type CaseStatus, type CommentMode } from '../campaign.entity';
import type { Locale } from '../../../common/locale';
import {
  BodyRules,
  CommentModeRules,
  EndsAtRules,
  GoalRules,
  KindRules,
  LetterDto,
  LetterRules,
  LocaleRules,
  NotNullIfPresent,
  SlugRules,
  SummaryRules,
  TitleRules,
  TranslationsDto,
  TranslationsRules,
} from './campaign-fields';

/** Every field optional; `goal` and `endsAt` may be null to clear them. Status, counts and owner are not fields. */
export class UpdateCampaignDto {
  @NotNullIfPresent()
  @ApiCampaignKind()
  @KindRules()
  kind?: CampaignKind;

  @NotNullIfPresent()
  @TitleRules()
  title?: string;

  @NotNullIfPresent()
  @SummaryRules()
  summary?: string;

  @NotNullIfPresent()
  @BodyRules()
  body?: string;

  @NotNullIfPresent()
  @ApiLocale()
  @LocaleRules()
  locale?: Locale;

  @GoalRules()
  goal?: number | null;

  @EndsAtRules()
  endsAt?: string | null;

  @NotNullIfPresent()
  @SlugRules()
  slug?: string;

  /** Replaces all translations. */
  @TranslationsRules()
  translations?: TranslationsDto;

  @LetterRules()
  letter?: LetterDto;

  /**
   * The IANA time zone its pages show the deadline in (e.g. `Asia/Baghdad`); also the zone of
   * its targets' replies and, for targets without a sending window, of its digest letters.
   * null: PAGE_TIME_ZONE; absent: unchanged. Refused with VALIDATION_FAILED when PostgreSQL does not know it.
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeZone?: string | null;

  /** An urgent action's case status, shown at the top of its page; null clears it. Petitions have none (400). */
  @ApiCaseStatus({ required: false, nullable: true })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  caseStatus?: CaseStatus | null;

  /** Post a win and each reply recorded public as updates by themselves, emailed to consenting supporters (within UPDATE_EMAILS_PER_WEEK). */
  @NotNullIfPresent()
  @IsBoolean()
  autoNotify?: boolean;

  /** Supporters' comments on the public page: `off`, `moderated` or `open` (see CreateCampaignDto). */
  @ApiCommentMode({ required: false })
  @NotNullIfPresent()
  @CommentModeRules()
  comments?: CommentMode;
}
