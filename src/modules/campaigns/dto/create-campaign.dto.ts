import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiLocale } from '../../../common/api-schema';
import { ApiCampaignKind, ApiCommentMode } from './campaign-api';
import type { CampaignKind, CommentMode } from '../campaign.entity';
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
  SlugRules,
  SummaryRules,
  TitleRules,
  TranslationsDto,
  TranslationsRules,
} from './campaign-fields';

export class CreateCampaignDto {
  /** `petition` or `urgent_action`. */
  @ApiCampaignKind()
  @KindRules()
  kind: CampaignKind;

  @TitleRules()
  title: string;

  @SummaryRules()
  summary: string;

  @BodyRules()
  body: string;

  /** The campaign's own language: `ar` or `en`. */
  @ApiLocale()
  @LocaleRules()
  locale: Locale;

  /** Signatures aimed for. */
  @GoalRules()
  goal?: number | null;

  /** Deadline (ISO 8601). An urgent action published without one gets URGENT_ACTION_DEFAULT_DAYS. */
  @EndsAtRules()
  endsAt?: string | null;

  /** Generated from the title when absent. */
  @IsOptional()
  @SlugRules()
  slug?: string;

  @TranslationsRules()
  translations?: TranslationsDto;

  @LetterRules()
  letter?: LetterDto;

  /**
   * The IANA time zone its pages show the deadline in (e.g. `Asia/Baghdad`); also the zone of
   * its targets' replies and, for targets without a sending window, of its digest letters.
   * Absent: PAGE_TIME_ZONE. Refused with VALIDATION_FAILED when PostgreSQL does not know it.
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeZone?: string;

  /**
   * Supporters' comments on the public page: `off` (never shown), `moderated` (the default: shown
   * once an organiser approves them) or `open` (shown once the signature is verified, until hidden).
   */
  @ApiCommentMode({ required: false })
  @IsOptional()
  @CommentModeRules()
  comments?: CommentMode;
}
