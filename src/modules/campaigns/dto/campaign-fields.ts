import { Trim } from '../../../common/trim';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiLetterMode } from '../../../common/api-schema';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CAMPAIGN_KINDS, COMMENT_MODES } from '../campaign.entity';
import { LETTER_MODES, type LetterMode } from '../../../common/letter-mode';
import { LOCALES } from '../../../common/locale';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../campaign-slug';


/** Optional in an update, but never null: absent means "unchanged". */
export const NotNullIfPresent = () => ValidateIf((_, v) => v !== undefined);

export const TitleRules = () => applyDecorators(Trim(), IsString(), MinLength(3), MaxLength(200));
export const SummaryRules = () => applyDecorators(Trim(), IsString(), MinLength(1), MaxLength(500));
export const BodyRules = () => applyDecorators(Trim(), IsString(), MinLength(1), MaxLength(20000));
export const KindRules = () => IsIn(CAMPAIGN_KINDS);
export const LocaleRules = () => IsIn(LOCALES);
export const CommentModeRules = () => IsIn(COMMENT_MODES, { message: `comments must be one of ${COMMENT_MODES.join(', ')}` });
export const GoalRules = () => applyDecorators(IsOptional(), IsInt(), Min(1), Max(100_000_000));
export const EndsAtRules = () => applyDecorators(IsOptional(), IsISO8601({ strict: true, strictSeparator: true }));
export const SlugRules = () =>
  applyDecorators(
    IsString(),
    MaxLength(SLUG_MAX_LENGTH),
    Matches(SLUG_PATTERN, { message: 'slug may hold lower-case letters, digits and single hyphens' }),
  );

/** A campaign's title, summary and body in one language. */
export class CampaignTextDto {
  @ApiProperty({ minLength: 3, maxLength: 200, example: 'Where is Salim Radhi?' })
  @TitleRules()
  title: string;

  @ApiProperty({ minLength: 1, maxLength: 500 })
  @SummaryRules()
  summary: string;

  /** Blank line: paragraph; `**strong**`, `*emphasis*`, `[link](https://…)`. */
  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @BodyRules()
  body: string;
}

/** Texts in the other languages; the campaign's own locale is not repeated here. */
export class TranslationsDto {
  @ApiPropertyOptional({ type: () => CampaignTextDto, description: 'The texts in Arabic (when the campaign is in English).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignTextDto)
  ar?: CampaignTextDto;

  @ApiPropertyOptional({ type: () => CampaignTextDto, description: 'The texts in English (when the campaign is in Arabic).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignTextDto)
  en?: CampaignTextDto;
}

export const TranslationsRules = () =>
  applyDecorators(IsOptional(), ValidateNested(), Type(() => TranslationsDto));

/** The letter sent to the campaign's targets. */
export class LetterDto {
  /** `per_signature`: one letter per confirmed signature; `digest`: one a day with the new supporters; `none`. */
  @ApiLetterMode()
  @IsIn(LETTER_MODES)
  mode: LetterMode;

  /** Required unless mode is `none`. Placeholders: see GET /campaigns/:id/letter. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Reveal the fate of {{campaign.title}}' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subject?: string;

  /** Required unless mode is `none`. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 20000, example: 'Dear {{target.name}},\n\n…\n\n{{supporter.name}}' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  body?: string;
}

export const LetterRules = () => applyDecorators(IsOptional(), ValidateNested(), Type(() => LetterDto));
