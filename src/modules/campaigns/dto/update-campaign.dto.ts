import type { CampaignKind, Locale } from '../campaign.entity';
import {
  BodyRules,
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
}
