import { IsOptional } from 'class-validator';
import type { CampaignKind, Locale } from '../campaign.entity';
import {
  BodyRules,
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
  @KindRules()
  kind: CampaignKind;

  @TitleRules()
  title: string;

  @SummaryRules()
  summary: string;

  @BodyRules()
  body: string;

  /** The campaign's own language: `ar` or `en`. */
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
}
